/**
 * The TenantDirectory port on SQLite. Upserts run prepared statements in a loop inside one
 * IMMEDIATE transaction; a VM that changes tenant carries its periods' `tenant_id` along.
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

const upsertTenantSql =
  "insert into tenants (id, name) values (?, ?) on conflict (id) do update set name = excluded.name";
const upsertVmSql =
  "insert into vms (id, name, tenant_id) values (?, ?, ?) on conflict (id) do update set name = excluded.name, tenant_id = excluded.tenant_id";
const vmTenantSql = "select tenant_id from vms where id = ?";
/** Finds the VM's periods through the report index's (tenant_id, vm_id) prefix. */
const moveVmPeriodsSql =
  "update protection_periods set tenant_id = ? where tenant_id is ? and vm_id = ?";

/** A TenantDirectory over an open SQLite database. */
export const makeSqliteTenantDirectory = (database: SqliteDatabase): TenantDirectory["Service"] =>
  TenantDirectory.of({
    upsertTenants: (tenants) =>
      database.use("TenantDirectory.upsertTenants", (db) => {
        if (tenants.length === 0) return;
        const upsert = db.statement(upsertTenantSql);
        db.writeTransaction(() => {
          for (const tenant of tenants) upsert.run(tenant.id, tenant.name);
        });
      }),
    upsertVms: (vms) =>
      database.use("TenantDirectory.upsertVms", (db) => {
        if (vms.length === 0) return;
        const upsert = db.statement(upsertVmSql);
        const vmTenant = db.statement(vmTenantSql);
        const moveVmPeriods = db.statement(moveVmPeriodsSql);
        db.writeTransaction(() => {
          for (const vm of vms) {
            const previous = vmTenant.get(vm.id) as { tenant_id: string | null } | undefined;
            upsert.run(vm.id, vm.name, vm.tenantId);
            if (previous !== undefined && previous.tenant_id !== vm.tenantId) {
              moveVmPeriods.run(vm.tenantId, previous.tenant_id, vm.id);
            }
          }
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
