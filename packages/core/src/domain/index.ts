/** The domain: pure values and functions, no I/O. */
export * from "./errors.ts";
export * from "./Instant.ts";
export * from "./License.ts";
export * from "./Principal.ts";
export * from "./ProtectionPeriod.ts";
export * from "./Report.ts";
export * from "./ReportContent.ts";
export * from "./ReportingInterval.ts";
export * from "./ReportRequest.ts";
export * from "./ReportTask.ts";
export * from "./Tenant.ts";
export * from "./TimeZoneSpec.ts";
