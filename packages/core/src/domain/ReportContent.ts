/**
 * What a report says, before it is rendered: the lines and summaries that the domain folds
 * compute from the stored facts, and that renderers turn into bytes.
 */
import type { Instant } from "./Instant.ts";

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

/** How a user holds a license in the interval. */
export type LicenseStatus = "Licensed" | "New" | "Exceeded";

/**
 * One user of a license overview: licensed at some point of the interval. `licensedSince` is
 * the start of the licence that covers the interval; `revokedAt` is set when it was revoked
 * within the interval.
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
 * Per-organization figures of a license overview. `usagePercent` is
 * `licensedAtEnd / capacity * 100` (null when capacity is 0).
 */
export interface OrganizationSummary {
  readonly organizationId: string;
  readonly organizationName: string;
  readonly capacity: number;
  readonly licensedAtEnd: number;
  readonly newUsers: number;
  readonly revokedUsers: number;
  readonly exceededUsers: number;
  readonly peakLicensed: number;
  readonly peakAt: Instant | null;
  readonly usagePercent: number | null;
}
