/**
 * The TenantDirectory port on PostgreSQL. Upserts send column arrays through `unnest`, in one
 * transaction; a VM that changes tenant carries its periods' `tenant_id` along.
 */
import { TenantDirectory, type Vm } from "@tally/core";
import { Option } from "effect";
import { sql, type Transaction } from "kysely";
import {
  listTenantsQuery,
  listVmsQuery,
  tenantsQuery,
  vmsQuery,
} from "../queries/DirectoryQueries.ts";
import type { Database } from "../schema/Database.ts";
import { lastOfEachId, slices } from "./IngestionBatches.ts";
import type { PostgresDatabase } from "./PostgresDatabase.ts";

/**
 * Gives the periods of VMs that changed tenant their new tenant. They are found through the
 * report index's (tenant_id, vm_id) prefix, once for VMs that had a tenant and once for VMs
 * that had none (`IS NOT DISTINCT FROM` could not use the index).
 */
const movePeriods = async (
  trx: Transaction<Database>,
  vms: ReadonlyArray<Vm>,
  previous: ReadonlyArray<{ readonly id: string; readonly tenant_id: string | null }>,
): Promise<void> => {
  const tenantBefore = new Map(previous.map((row) => [row.id, row.tenant_id]));
  const moved = vms.filter(
    (vm) => tenantBefore.has(vm.id) && tenantBefore.get(vm.id) !== vm.tenantId,
  );
  const fromTenant = moved.filter((vm) => tenantBefore.get(vm.id) !== null);
  const fromNone = moved.filter((vm) => tenantBefore.get(vm.id) === null);
  if (fromTenant.length > 0) {
    await sql`update protection_periods p set tenant_id = m.tenant_id
      from unnest(${fromTenant.map((vm) => vm.id)}::text[], ${fromTenant.map((vm) => vm.tenantId)}::text[],
        ${fromTenant.map((vm) => tenantBefore.get(vm.id))}::text[]) as m (id, tenant_id, before)
      where p.tenant_id = m.before and p.vm_id = m.id`.execute(trx);
  }
  if (fromNone.length > 0) {
    await sql`update protection_periods p set tenant_id = m.tenant_id
      from unnest(${fromNone.map((vm) => vm.id)}::text[], ${fromNone.map((vm) => vm.tenantId)}::text[])
        as m (id, tenant_id)
      where p.tenant_id is null and p.vm_id = m.id`.execute(trx);
  }
};

/** A TenantDirectory over a PostgreSQL database. */
export const makePostgresTenantDirectory = (
  database: PostgresDatabase,
): TenantDirectory["Service"] =>
  TenantDirectory.of({
    upsertTenants: (tenants) =>
      database.use("TenantDirectory.upsertTenants", async (db) => {
        if (tenants.length === 0) return;
        await db.transaction().execute(async (trx) => {
          for (const slice of slices(lastOfEachId(tenants))) {
            await sql`insert into tenants (id, name)
              select * from unnest(${slice.map((t) => t.id)}::text[], ${slice.map((t) => t.name)}::text[])
              on conflict (id) do update set name = excluded.name`.execute(trx);
          }
        });
      }),
    upsertVms: (vms) =>
      database.use("TenantDirectory.upsertVms", async (db) => {
        if (vms.length === 0) return;
        await db.transaction().execute(async (trx) => {
          for (const slice of slices(lastOfEachId(vms))) {
            const ids = slice.map((vm) => vm.id);
            // Lock the VMs that exist (a concurrent period upsert waits) and learn their tenants.
            const previous = await sql<{ id: string; tenant_id: string | null }>`
              select id, tenant_id from vms where id = any(${ids}::text[]) order by id for update`.execute(
              trx,
            );
            await sql`insert into vms (id, name, tenant_id)
              select * from unnest(${ids}::text[], ${slice.map((vm) => vm.name)}::text[],
                ${slice.map((vm) => vm.tenantId)}::text[])
              on conflict (id) do update set name = excluded.name, tenant_id = excluded.tenant_id`.execute(
              trx,
            );
            await movePeriods(trx, slice, previous.rows);
          }
        });
      }),
    getTenant: (id) =>
      database.use("TenantDirectory.getTenant", async (db) =>
        Option.fromNullishOr(await tenantsQuery(db, id).executeTakeFirst()),
      ),
    listTenants: (page) =>
      database.use("TenantDirectory.listTenants", (db) => listTenantsQuery(db, page).execute()),
    getVm: (id) =>
      database.use("TenantDirectory.getVm", async (db) =>
        Option.fromNullishOr(await vmsQuery(db, id).executeTakeFirst()),
      ),
    listVms: (page) =>
      database.use("TenantDirectory.listVms", (db) => listVmsQuery(db, page).execute()),
  });
