/** The use cases: what Tally does, as effects over the ports. */
export * from "./FactReads.ts";
export * from "./Ingest.ts";
export * from "./Maintenance.ts";
export * from "./PasswordLogins.ts";
export * from "./ReportFileName.ts";
export * from "./Reports.ts";
export * from "./ReportsNow.ts";
export * from "./RunNextTask.ts";
export * from "./SubmitReport.ts";
export * from "./SubmitReportInput.ts";
export * from "./Tasks.ts";
