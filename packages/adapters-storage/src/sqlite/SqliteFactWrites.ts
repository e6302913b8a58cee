/**
 * Writing single facts on SQLite, one prepared statement each: what the stores' batch upserts
 * run row by row inside their transaction, and what the bulk import (`SqliteFactImport`) runs
 * inside its one transaction — so the two cannot drift apart. Every write replaces by id; a
 * period takes its VM's tenant and an event its user's organization, and a VM or user that
 * moves carries its periods or events along.
 */
import type {
  LicensedUser,
  LicenseEvent,
  Organization,
  ProtectionPeriod,
  Tenant,
  Vm,
} from "@tally/core";
import type SqliteDriver from "better-sqlite3";
import { UserMoves } from "../records/UserMoves.ts";
import { ONGOING_END_SQL } from "../schema/Database.ts";

const upsertTenantSql =
  "insert into tenants (id, name) values (?, ?) on conflict (id) do update set name = excluded.name";
const upsertVmSql =
  "insert into vms (id, name, tenant_id) values (?, ?, ?) on conflict (id) do update set name = excluded.name, tenant_id = excluded.tenant_id";
const vmTenantSql = "select tenant_id from vms where id = ?";
/** Finds the VM's periods through the report index's (tenant_id, vm_id) prefix. */
const moveVmPeriodsSql =
  "update protection_periods set tenant_id = ? where tenant_id is ? and vm_id = ?";
/** Inserts or replaces a period; its tenant is the VM's (the VMs are checked before). */
const upsertPeriodSql = `insert into protection_periods (id, vm_id, tenant_id, start_at, end_at)
  values (?, ?, (select tenant_id from vms where id = ?), ?, coalesce(?, ${ONGOING_END_SQL}))
  on conflict (id) do update set vm_id = excluded.vm_id, tenant_id = excluded.tenant_id,
    start_at = excluded.start_at, end_at = excluded.end_at`;
const upsertOrganizationSql = `insert into organizations (id, name, capacity, tenant_id) values (?, ?, ?, ?)
  on conflict (id) do update set name = excluded.name, capacity = excluded.capacity,
    tenant_id = excluded.tenant_id`;
const upsertUserSql = `insert into licensed_users (id, name, organization_id) values (?, ?, ?)
  on conflict (id) do update set name = excluded.name, organization_id = excluded.organization_id`;
const userOrganizationSql = "select organization_id from licensed_users where id = ?";
/**
 * Gives the events of users who moved from one organization to another the new one; the
 * users are found within the old organization's part of the report index (no user index).
 */
const moveUserEventsSql = `update license_events set organization_id = ?
  where organization_id = ? and user_id in (select value from json_each(?))`;
/** Inserts or replaces an event; its organization is the user's (the users are checked before). */
const upsertEventSql = `insert into license_events (id, user_id, organization_id, kind, at)
  values (?, ?, (select organization_id from licensed_users where id = ?), ?, ?)
  on conflict (id) do update set user_id = excluded.user_id,
    organization_id = excluded.organization_id, kind = excluded.kind, at = excluded.at`;
const tenantExistsSql = "select 1 from tenants where id = ?";
const organizationExistsSql = "select 1 from organizations where id = ?";

/** Prepares a statement (or hands out one prepared before) on the connection written to. */
export type PrepareStatement = (sql: string) => SqliteDriver.Statement;

/** Writes single facts, and answers whether a referenced fact exists. */
export interface SqliteFactWriter {
  readonly tenant: (tenant: Tenant) => void;
  /** Upserts the VM; if it changes tenant, its periods follow. */
  readonly vm: (vm: Vm) => void;
  /** Upserts the period (its VM must exist). */
  readonly period: (period: ProtectionPeriod) => void;
  readonly organization: (organization: Organization) => void;
  /** Upserts the user; if it changes organization, its events follow at `finish`. */
  readonly user: (user: LicensedUser) => void;
  /** Upserts the event (its user must exist). */
  readonly event: (event: LicenseEvent) => void;
  /** Moves the events of users who changed organization (once, after the last `user`). */
  readonly finish: () => void;
  readonly tenantExists: (id: string) => boolean;
  readonly vmExists: (id: string) => boolean;
  readonly organizationExists: (id: string) => boolean;
  readonly userExists: (id: string) => boolean;
}

/** A writer whose statements come from `prepare`; run it inside a write transaction. */
export const makeSqliteFactWriter = (prepare: PrepareStatement): SqliteFactWriter => {
  /** The statement of `sql`, prepared on first use (a writer may use a few of them only). */
  const statement = (sql: string) => {
    let prepared: SqliteDriver.Statement | undefined;
    return () => {
      prepared ??= prepare(sql);
      return prepared;
    };
  };
  const upsertTenant = statement(upsertTenantSql);
  const upsertVm = statement(upsertVmSql);
  const vmTenant = statement(vmTenantSql);
  const moveVmPeriods = statement(moveVmPeriodsSql);
  const upsertPeriod = statement(upsertPeriodSql);
  const upsertOrganization = statement(upsertOrganizationSql);
  const upsertUser = statement(upsertUserSql);
  const userOrganization = statement(userOrganizationSql);
  const moveUserEvents = statement(moveUserEventsSql);
  const upsertEvent = statement(upsertEventSql);
  const tenantExists = statement(tenantExistsSql);
  const organizationExists = statement(organizationExistsSql);
  const moves = new UserMoves();
  return {
    tenant: (t) => {
      upsertTenant().run(t.id, t.name);
    },
    vm: (vm) => {
      const previous = vmTenant().get(vm.id) as { readonly tenant_id: string | null } | undefined;
      upsertVm().run(vm.id, vm.name, vm.tenantId);
      if (previous !== undefined && previous.tenant_id !== vm.tenantId) {
        moveVmPeriods().run(vm.tenantId, previous.tenant_id, vm.id);
      }
    },
    period: (p) => {
      upsertPeriod().run(p.id, p.vmId, p.vmId, p.start, p.end);
    },
    organization: (o) => {
      upsertOrganization().run(o.id, o.name, o.capacity, o.tenantId);
    },
    user: (u) => {
      const previous = userOrganization().get(u.id) as
        | { readonly organization_id: string }
        | undefined;
      upsertUser().run(u.id, u.name, u.organizationId);
      if (previous !== undefined) moves.record(u.id, previous.organization_id, u.organizationId);
    },
    event: (e) => {
      upsertEvent().run(e.id, e.userId, e.userId, e.kind, e.at);
    },
    finish: () => {
      for (const move of moves.groups()) {
        moveUserEvents().run(move.to, move.from, JSON.stringify(move.userIds));
      }
    },
    tenantExists: (id) => tenantExists().get(id) !== undefined,
    vmExists: (id) => vmTenant().get(id) !== undefined,
    organizationExists: (id) => organizationExists().get(id) !== undefined,
    userExists: (id) => userOrganization().get(id) !== undefined,
  };
};
