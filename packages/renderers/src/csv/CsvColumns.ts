/**
 * The columns of each CSV report, in order: a header and how a row gives the cell. Text cells
 * (ids and names) go through the formula guard and quoting; the other cells are numbers,
 * timestamps and fixed words, which never need either.
 */
import type {
  LicenseUserLine,
  OrganizationSummary,
  TenantReportLine,
  TenantSummary,
} from "@tally/core";

/** Turns an instant into ISO 8601 text in the report's zone. */
export type InstantText = (instant: number) => string;

/** One CSV column: its header, whether the cell is hostile text, and how a row gives it. */
export interface CsvColumn<A> {
  readonly header: string;
  readonly text: boolean;
  readonly cell: (row: A, instant: InstantText) => string;
}

const text = <A>(header: string, cell: (row: A) => string): CsvColumn<A> => ({
  header,
  text: true,
  cell,
});

const plain = <A>(
  header: string,
  cell: (row: A, instant: InstantText) => string,
): CsvColumn<A> => ({
  header,
  text: false,
  cell,
});

/** Seconds of a millisecond duration, exactly (`90.5`, `3600`). */
const seconds = (ms: number): string => `${ms / 1000}`;

/** A figure with fixed decimals; empty when it is not a finite number. */
const decimals = (value: number, digits: number): string =>
  Number.isFinite(value) ? value.toFixed(digits) : "";

/**
 * The vendor's six columns: `tenantId;tenantName;vmId;vmName;protectionStart;protectionEnd`,
 * tenant fields empty for a VM of no tenant.
 */
export const vendorTenantColumns: ReadonlyArray<CsvColumn<TenantReportLine>> = [
  text("tenantId", (l) => l.tenantId ?? ""),
  text("tenantName", (l) => l.tenantName ?? ""),
  text("vmId", (l) => l.vmId),
  text("vmName", (l) => l.vmName),
  plain("protectionStart", (l, instant) => instant(l.start)),
  plain("protectionEnd", (l, instant) => instant(l.end)),
];

/** The vendor's columns plus `protectedSeconds` (end − start) and `ongoing` (`true`/`false`). */
export const extendedTenantColumns: ReadonlyArray<CsvColumn<TenantReportLine>> = [
  ...vendorTenantColumns,
  plain("protectedSeconds", (l) => seconds(l.end - l.start)),
  plain("ongoing", (l) => (l.ongoing ? "true" : "false")),
];

/**
 * One line per tenant: `tenantId;tenantName;vmCount;protectedVmHours;peakConcurrentVms;peakAt;
 * averageConcurrentVms`. Hours and the average have three decimals; `peakAt` is empty when
 * nothing was protected.
 */
export const tenantSummaryColumns: ReadonlyArray<CsvColumn<TenantSummary>> = [
  text("tenantId", (s) => s.tenantId ?? ""),
  text("tenantName", (s) => s.tenantName ?? ""),
  plain("vmCount", (s) => `${s.vmCount}`),
  plain("protectedVmHours", (s) => decimals(s.protectedMs / 3_600_000, 3)),
  plain("peakConcurrentVms", (s) => `${s.peakConcurrent}`),
  plain("peakAt", (s, instant) => (s.peakAt === null ? "" : instant(s.peakAt))),
  plain("averageConcurrentVms", (s) => decimals(s.averageConcurrent, 3)),
];

/** The tenant summary plus the exact `protectedSeconds`. */
export const extendedTenantSummaryColumns: ReadonlyArray<CsvColumn<TenantSummary>> = [
  ...tenantSummaryColumns,
  plain("protectedSeconds", (s) => seconds(s.protectedMs)),
];

/**
 * The per-user license list:
 * `organizationId;organizationName;userId;userName;status;licensedSince;revokedAt`
 * (`revokedAt` empty when the licence was not revoked in the interval).
 */
export const licenseUserColumns: ReadonlyArray<CsvColumn<LicenseUserLine>> = [
  text("organizationId", (u) => u.organizationId),
  text("organizationName", (u) => u.organizationName),
  text("userId", (u) => u.userId),
  text("userName", (u) => u.userName),
  plain("status", (u) => u.status),
  plain("licensedSince", (u, instant) => instant(u.licensedSince)),
  plain("revokedAt", (u, instant) => (u.revokedAt === null ? "" : instant(u.revokedAt))),
];

/**
 * One line per organization: `organizationId;organizationName;capacity;licensedAtEnd;newUsers;
 * revokedUsers;exceededUsers;peakLicensed;peakAt;usagePercent;peakUsagePercent;
 * overCapacityHours` (usage at the end and at the peak with two decimals, empty when the capacity
 * is 0; `peakAt` empty when no one was licensed; hours over capacity with three decimals). The
 * figures follow the license rules at the top of the core's `LicenseOverviewFold`.
 */
export const organizationSummaryColumns: ReadonlyArray<CsvColumn<OrganizationSummary>> = [
  text("organizationId", (o) => o.organizationId),
  text("organizationName", (o) => o.organizationName),
  plain("capacity", (o) => `${o.capacity}`),
  plain("licensedAtEnd", (o) => `${o.licensedAtEnd}`),
  plain("newUsers", (o) => `${o.newUsers}`),
  plain("revokedUsers", (o) => `${o.revokedUsers}`),
  plain("exceededUsers", (o) => `${o.exceededUsers}`),
  plain("peakLicensed", (o) => `${o.peakLicensed}`),
  plain("peakAt", (o, instant) => (o.peakAt === null ? "" : instant(o.peakAt))),
  plain("usagePercent", (o) => (o.usagePercent === null ? "" : decimals(o.usagePercent, 2))),
  plain("peakUsagePercent", (o) =>
    o.peakUsagePercent === null ? "" : decimals(o.peakUsagePercent, 2),
  ),
  plain("overCapacityHours", (o) => decimals(o.overCapacityMs / 3_600_000, 3)),
];

/** The cells of a row as fast-csv is given them: text cells neutralised, others as they are. */
export const referenceCells = <A>(
  columns: ReadonlyArray<CsvColumn<A>>,
  row: A,
  instant: InstantText,
  neutralise: (text: string) => string,
): string[] =>
  columns.map((column) =>
    column.text ? neutralise(column.cell(row, instant)) : column.cell(row, instant),
  );
