/**
 * Validated report requests, stored with a task: every default is already resolved (interval
 * bounds, zone), so running the task later or elsewhere gives the same report.
 */
import { Schema } from "effect";
import { OrganizationFilter } from "./License.ts";
import { ReportingInterval } from "./ReportingInterval.ts";
import { TenantFilter } from "./Tenant.ts";
import { ZoneSelection } from "./TimeZoneSpec.ts";

/** Output formats. */
export const ReportFormat = Schema.Literals(["csv", "pdf"]);
/** Output formats. */
export type ReportFormat = typeof ReportFormat.Type;

/** CSV field separators. */
export const CsvSeparator = Schema.Literals([";", ","]);
/** CSV field separators. */
export type CsvSeparator = typeof CsvSeparator.Type;

/**
 * A tenant protection report. `variant`: `detail` (one line per merged period) or `summary`
 * (one line per tenant; CSV only — the PDF always has both). `columns`: `vendor` (exactly the
 * vendor's six) or `extended` (adds `protectedSeconds` and `ongoing`).
 */
export const TenantReportRequest = Schema.TaggedStruct("TenantReport", {
  interval: ReportingInterval,
  zone: ZoneSelection,
  tenant: TenantFilter,
  format: ReportFormat,
  variant: Schema.Literals(["detail", "summary"]),
  columns: Schema.Literals(["vendor", "extended"]),
  separator: CsvSeparator,
});
/** A tenant protection report request. */
export type TenantReportRequest = typeof TenantReportRequest.Type;

/**
 * A license overview report. `variant`: `users` (the per-user list) or `summary` (one line per
 * organization; CSV only — the PDF always has both).
 */
export const LicenseOverviewRequest = Schema.TaggedStruct("LicenseOverview", {
  interval: ReportingInterval,
  zone: ZoneSelection,
  organizations: OrganizationFilter,
  format: ReportFormat,
  variant: Schema.Literals(["users", "summary"]),
  separator: CsvSeparator,
});
/** A license overview report request. */
export type LicenseOverviewRequest = typeof LicenseOverviewRequest.Type;

/** Any report request. */
export const ReportRequest = Schema.Union([TenantReportRequest, LicenseOverviewRequest]);
/** Any report request. */
export type ReportRequest = typeof ReportRequest.Type;
