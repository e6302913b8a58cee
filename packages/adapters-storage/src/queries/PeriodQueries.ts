/**
 * The protection-period report queries, built with kysely for both dialects.
 *
 * The stream is ordered by tenant (VMs of no tenant last), VM, start, end. Both databases
 * keep NULLs on one side of an index, SQLite first and PostgreSQL last, so an ordered scan
 * cannot put them last in both; instead an all-tenants stream reads two parts in turn, each
 * one ordered scan of `protection_periods_report`: the VMs with a tenant, then those without.
 */
import type { ReportingInterval, TenantFilter } from "@tally/core";
import { type Kysely, sql } from "kysely";
import { type Database, ONGOING_END_SQL } from "../schema/Database.ts";

/** Which periods one part of a stream reads. */
export type PeriodPart =
  | { readonly _tag: "OneTenant"; readonly tenantId: string }
  | { readonly _tag: "WithTenant" }
  | { readonly _tag: "WithoutTenant" };

/** The parts a filter reads, in stream order. */
export const periodParts = (filter: TenantFilter): ReadonlyArray<PeriodPart> =>
  filter._tag === "OneTenant"
    ? [{ _tag: "OneTenant", tenantId: filter.tenantId }]
    : [{ _tag: "WithTenant" }, { _tag: "WithoutTenant" }];

/** `end_at` as the domain has it: NULL for an ongoing period. */
export const periodEndSql = sql<number | null>`nullif(p.end_at, ${sql.raw(ONGOING_END_SQL)})`;

/** The periods of a part overlapping the interval, without columns or order. */
const overlapping = (db: Kysely<Database>, interval: ReportingInterval, part: PeriodPart) => {
  const base = db
    .selectFrom("protection_periods as p")
    .where("p.start_at", "<", interval.end)
    .where("p.end_at", ">", interval.start);
  switch (part._tag) {
    case "OneTenant":
      return base.where("p.tenant_id", "=", part.tenantId);
    case "WithTenant":
      return base.where("p.tenant_id", "is not", null);
    case "WithoutTenant":
      return base.where("p.tenant_id", "is", null);
  }
};

/**
 * The rows of a part as arrays in this order: tenant id, tenant name, VM id, VM name, start,
 * end (null when ongoing), ordered for the report.
 */
export const overlappingPeriodsQuery = (
  db: Kysely<Database>,
  interval: ReportingInterval,
  part: PeriodPart,
) =>
  overlapping(db, interval, part)
    .innerJoin("vms as v", "v.id", "p.vm_id")
    .leftJoin("tenants as t", "t.id", "p.tenant_id")
    .select([
      "p.tenant_id",
      "t.name as tenant_name",
      "p.vm_id",
      "v.name as vm_name",
      "p.start_at",
      periodEndSql.as("end_at"),
    ])
    .orderBy("p.tenant_id")
    .orderBy("p.vm_id")
    .orderBy("p.start_at")
    .orderBy("p.end_at");

/**
 * The periods of a part overlapping the interval as arrays of tenant id, VM id, start, end
 * (null when ongoing), in report order — the columns of the report index alone, no join (see
 * `vmsOfPartQuery`, which the SQLite stream merges them with).
 */
export const overlappingPeriodKeysQuery = (
  db: Kysely<Database>,
  interval: ReportingInterval,
  part: PeriodPart,
) =>
  overlapping(db, interval, part)
    .select(["p.tenant_id", "p.vm_id", "p.start_at", periodEndSql.as("end_at")])
    .orderBy("p.tenant_id")
    .orderBy("p.vm_id")
    .orderBy("p.start_at")
    .orderBy("p.end_at");

/**
 * The VMs of a part as arrays of tenant id, VM id, VM name, tenant name, in the order their
 * periods come in (tenant, then VM): one scan of `vms_tenant`, a tenant looked up per VM.
 */
export const vmsOfPartQuery = (db: Kysely<Database>, part: PeriodPart) => {
  const base = db
    .selectFrom("vms as v")
    .leftJoin("tenants as t", "t.id", "v.tenant_id")
    .select(["v.tenant_id", "v.id", "v.name", "t.name as tenant_name"]);
  const ofPart =
    part._tag === "OneTenant"
      ? base.where("v.tenant_id", "=", part.tenantId)
      : part._tag === "WithTenant"
        ? base.where("v.tenant_id", "is not", null)
        : base.where("v.tenant_id", "is", null);
  return ofPart.orderBy("v.tenant_id").orderBy("v.id");
};

/** How many rows a part of the stream has. */
export const countOverlappingQuery = (
  db: Kysely<Database>,
  interval: ReportingInterval,
  part: PeriodPart,
) => overlapping(db, interval, part).select((eb) => eb.fn.countAll<number>().as("n"));

/** The earliest start of the periods of the VMs a filter selects (null when there are none). */
export const earliestStartQuery = (db: Kysely<Database>, filter: TenantFilter) => {
  const base = db
    .selectFrom("protection_periods as p")
    .select((eb) => eb.fn.min<number | null>("p.start_at").as("earliest"));
  return filter._tag === "OneTenant" ? base.where("p.tenant_id", "=", filter.tenantId) : base;
};
