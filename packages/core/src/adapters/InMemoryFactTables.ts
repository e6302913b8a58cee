/**
 * The tables behind the in-memory fact stores (tenant directory, protection periods,
 * licenses). Periods are reported joined with their VM and tenant, and users belong to
 * organizations, so the three stores share one set of tables — like the tables of one
 * database — when built together with `InMemoryFacts.make()`.
 *
 * Rows are stored as copies, and copies are handed out: callers never share a mutable object
 * with a store, as they would not with a database.
 */
import { compareCodePoints } from "../domain/CodePointOrder.ts";
import type { LicensedUser, LicenseEvent, Organization } from "../domain/License.ts";
import type { ProtectionPeriod } from "../domain/ProtectionPeriod.ts";
import type { Tenant, Vm } from "../domain/Tenant.ts";
import type { PageRequest } from "../ports/TenantDirectory.ts";

/** The in-memory tables, each keyed by the row's id. */
export interface FactTables {
  readonly tenants: Map<string, Tenant>;
  readonly vms: Map<string, Vm>;
  readonly periods: Map<string, ProtectionPeriod>;
  readonly organizations: Map<string, Organization>;
  readonly users: Map<string, LicensedUser>;
  readonly events: Map<string, LicenseEvent>;
}

/** Fresh, empty tables. */
export const emptyFactTables = (): FactTables => ({
  tenants: new Map(),
  vms: new Map(),
  periods: new Map(),
  organizations: new Map(),
  users: new Map(),
  events: new Map(),
});

/** Rows per chunk when a store streams rows: large enough that per-chunk work is negligible. */
export const streamChunkSize = 4096;

/** Splits rows into chunks of `streamChunkSize` for `Stream.fromArrays`. */
export const inChunks = <A>(rows: ReadonlyArray<A>): Array<ReadonlyArray<A>> => {
  const chunks: Array<ReadonlyArray<A>> = [];
  for (let i = 0; i < rows.length; i += streamChunkSize) {
    chunks.push(rows.slice(i, i + streamChunkSize));
  }
  return chunks;
};

/** The rows after `page.after` by id (code point order), at most `page.limit`. */
export const pageOf = <A extends { readonly id: string }>(
  rows: Iterable<A>,
  page: PageRequest,
): Array<A> => {
  const { after } = page;
  const selected: Array<A> = [];
  for (const row of rows) {
    if (after === undefined || compareCodePoints(row.id, after) > 0) selected.push(row);
  }
  return selected
    .sort((a, b) => compareCodePoints(a.id, b.id))
    .slice(0, Math.max(0, Math.floor(page.limit)));
};
