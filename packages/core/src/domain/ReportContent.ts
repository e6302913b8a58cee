/**
 * What a report says, before it is rendered: the lines and summaries that the domain folds
 * compute from the stored facts, and that renderers turn into bytes.
 */
import type { Instant } from "./Instant.ts";
import type { TimeBuckets } from "./TimeBuckets.ts";

/**
 * One line of a tenant protection report: a merged protection period, clipped to the interval
 * and, if still protected, to the generation time. `ongoing` is true when the VM is still protected
 * at the generation time (the merged period has no end, or ends after it). `start < end` always.
 */
export interface TenantReportLine {
  readonly tenantId: string | null;
  readonly tenantName: string | null;
  readonly vmId: string;
  readonly vmName: string;
  readonly start: Instant;
  readonly end: Instant;
  readonly ongoing: boolean;
}

/**
 * The per-tenant summary of a tenant protection report (tenant fields null for VMs of no
 * tenant). `protectedMs` is the total protected VM time; `peakAt` is when the peak of
 * concurrently protected VMs first occurred (null when nothing was protected);
 * `averageConcurrent` is `protectedMs` divided by the covered length of the interval
 * (`min(end, generatedAt) - start`).
 */
export interface TenantSummary {
  readonly tenantId: string | null;
  readonly tenantName: string | null;
  readonly vmCount: number;
  readonly protectedMs: number;
  readonly peakConcurrent: number;
  readonly peakAt: Instant | null;
  readonly averageConcurrent: number;
}

/**
 * Where a licence stands at the end of the interval (the rules are written out at the top of
 * `LicenseOverviewFold`): `Revoked` within the interval; else held at the end, `Exceeded` when it
 * holds a seat beyond the organization's capacity, `New` when it began within the interval,
 * `Licensed` when it began before it.
 */
export type LicenseStatus = "Licensed" | "New" | "Exceeded" | "Revoked";

/**
 * One licence of a user that is held at some instant of the interval or revoked within it.
 * `licensedSince` is when the licence began (possibly before the interval); `revokedAt` is its
 * revocation when that falls within the interval (then the status is `Revoked`), else null.
 */
export interface LicenseUserLine {
  readonly organizationId: string;
  readonly organizationName: string;
  readonly userId: string;
  readonly userName: string;
  readonly status: LicenseStatus;
  readonly licensedSince: Instant;
  readonly revokedAt: Instant | null;
}

/**
 * Licensed users over the interval, for a chart: the most users licensed at once within each
 * bucket of the interval.
 */
export interface LicensedUsersOverTime {
  readonly buckets: TimeBuckets;
  /** One figure per bucket, in time order. */
  readonly mostLicensed: ReadonlyArray<number>;
}

/**
 * Per-organization figures of a license overview (see the rules at the top of
 * `LicenseOverviewFold`). Usage is given twice, against the count at the end and against the
 * peak: `usagePercent` is `licensedAtEnd / capacity * 100`, `peakUsagePercent` is
 * `peakLicensed / capacity * 100` (both rounded to 2 decimals, null when capacity is 0).
 */
export interface OrganizationSummary {
  readonly organizationId: string;
  readonly organizationName: string;
  readonly capacity: number;
  /** Users holding a licence just before the end of the interval. */
  readonly licensedAtEnd: number;
  /** Distinct users with a licence that began within the interval. */
  readonly newUsers: number;
  /** Distinct users with a licence revoked within the interval (the `Revoked` lines). */
  readonly revokedUsers: number;
  /** Users holding a seat beyond capacity at the end: `max(0, licensedAtEnd - capacity)`. */
  readonly exceededUsers: number;
  /** The most users licensed at once within the interval. */
  readonly peakLicensed: number;
  /** The first instant of the interval at which `peakLicensed` users were licensed. */
  readonly peakAt: Instant | null;
  readonly usagePercent: number | null;
  readonly peakUsagePercent: number | null;
  /** How long, within the interval, more users were licensed than the capacity allows (ms). */
  readonly overCapacityMs: number;
  readonly licensedOverTime: LicensedUsersOverTime;
}
