/**
 * The TenantDirectory port on SQLite. Upserts run prepared statements in a loop inside one
 * IMMEDIATE transaction (`SqliteFactWrites`); a VM that changes tenant carries its periods'
 * `tenant_id` along.
 */
import { TenantDirectory } from "@tally/core";
import { Option } from "effect";
import {
  listTenantsQuery,
  listVmsQuery,
  tenantsQuery,
  vmsQuery,
} from "../queries/DirectoryQueries.ts";
import type { SqliteDatabase } from "./SqliteDatabase.ts";
import { makeSqliteFactWriter } from "./SqliteFactWrites.ts";

/** A TenantDirectory over an open SQLite database. */
export const makeSqliteTenantDirectory = (database: SqliteDatabase): TenantDirectory["Service"] =>
  TenantDirectory.of({
    upsertTenants: (tenants) =>
      database.use("TenantDirectory.upsertTenants", (db) => {
        if (tenants.length === 0) return;
        const write = makeSqliteFactWriter((sql) => db.statement(sql));
        db.writeTransaction(() => {
          for (const tenant of tenants) write.tenant(tenant);
        });
      }),
    upsertVms: (vms) =>
      database.use("TenantDirectory.upsertVms", (db) => {
        if (vms.length === 0) return;
        const write = makeSqliteFactWriter((sql) => db.statement(sql));
        db.writeTransaction(() => {
          for (const vm of vms) write.vm(vm);
        });
      }),
    getTenant: (id) =>
      database.use("TenantDirectory.getTenant", (db) =>
        Option.fromNullishOr(db.first(tenantsQuery(db.kysely, id))),
      ),
    listTenants: (page) =>
      database.use("TenantDirectory.listTenants", (db) =>
        db.all(listTenantsQuery(db.kysely, page)),
      ),
    getVm: (id) =>
      database.use("TenantDirectory.getVm", (db) =>
        Option.fromNullishOr(db.first(vmsQuery(db.kysely, id))),
      ),
    listVms: (page) =>
      database.use("TenantDirectory.listVms", (db) => db.all(listVmsQuery(db.kysely, page))),
  });
