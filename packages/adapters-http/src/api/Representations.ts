/**
 * What the native API answers, as Schemas: tasks, reports, the request they were made from,
 * pages of a listing, and the first vendor's view of a task. Instants are ISO 8601 UTC text.
 */
import { ReportFormat, TaskFailure, TaskType, taskStateTags } from "@tally/core";
import { Schema } from "effect";

/** An instant as the APIs write it: ISO 8601 UTC with milliseconds. */
export const IsoTimestamp = Schema.String.annotate({
  format: "date-time",
  description: "ISO 8601 UTC, e.g. 2024-03-31T00:59:59.000Z",
});

/** The native report kinds and the task types they stand for. */
export const reportKinds = {
  "tenant-protection": "CreateTenantReport",
  "license-overview": "CreateLicenseOverviewReport",
} as const;

/** A native report kind. */
export const ReportKind = Schema.Literals(["tenant-protection", "license-overview"]);
/** A native report kind. */
export type ReportKind = typeof ReportKind.Type;

/** The request a task or report was made from, in the words `POST /v1/reports` uses. */
export const RequestJson = Schema.Struct({
  type: ReportKind,
  start: IsoTimestamp,
  end: IsoTimestamp,
  timezone: Schema.String,
  format: ReportFormat,
  variant: Schema.Literals(["detail", "summary", "users"]),
  separator: Schema.Literals([";", ","]),
  tenantId: Schema.NullOr(Schema.String),
  columns: Schema.optionalKey(Schema.Literals(["vendor", "extended"])),
  organizationId: Schema.optionalKey(Schema.NullOr(Schema.String)),
}).annotate({ identifier: "ReportRequest" });
/** The request a task or report was made from. */
export type RequestJson = typeof RequestJson.Type;

/** A report task. */
export const TaskJson = Schema.Struct({
  id: Schema.String,
  type: TaskType,
  state: Schema.Literals(taskStateTags),
  cancelRequested: Schema.Boolean,
  progress: Schema.Int.annotate({ description: "0 to 100" }),
  attempts: Schema.Int,
  maxAttempts: Schema.Int,
  createdAt: IsoTimestamp,
  startedAt: Schema.NullOr(IsoTimestamp),
  finishedAt: Schema.NullOr(IsoTimestamp),
  stateChangedAt: IsoTimestamp,
  changedAt: IsoTimestamp,
  reportId: Schema.NullOr(Schema.String).annotate({ description: "Once Succeeded" }),
  error: Schema.NullOr(TaskFailure).annotate({ description: "Once Failed" }),
  requestedBy: Schema.String,
  request: RequestJson,
  links: Schema.Struct({
    self: Schema.String,
    report: Schema.optionalKey(Schema.String),
    content: Schema.optionalKey(Schema.String),
  }),
}).annotate({ identifier: "Task" });
/** A report task. */
export type TaskJson = typeof TaskJson.Type;

/** A stored report's metadata. */
export const ReportJson = Schema.Struct({
  id: Schema.String,
  taskId: Schema.String,
  type: TaskType,
  format: ReportFormat,
  contentType: Schema.String,
  fileName: Schema.String,
  createdAt: IsoTimestamp,
  expiresAt: IsoTimestamp,
  rowCount: Schema.Int,
  byteSize: Schema.Int,
  sha256: Schema.String.annotate({ description: "SHA-256 of the content, lowercase hex" }),
  request: RequestJson,
  links: Schema.Struct({ self: Schema.String, content: Schema.String, task: Schema.String }),
}).annotate({ identifier: "Report" });
/** A stored report's metadata. */
export type ReportJson = typeof ReportJson.Type;

/** A page of a keyset-paginated listing; `nextCursor` is null on the last page. */
export const Page = <S extends Schema.Top>(item: S) =>
  Schema.Struct({
    items: Schema.Array(item),
    nextCursor: Schema.NullOr(Schema.String).annotate({
      description: "Pass as `cursor` for the next page; null on the last page",
    }),
  });

/** The first vendor's task states (see `VendorTaskState`). */
export const vendorTaskStates = [
  "Created",
  "Queued",
  "Starting",
  "Running",
  "Completed",
  "Stopping",
  "Failed",
  "Canceled",
] as const;

/** A vendor task state name. */
export type VendorTaskState = (typeof vendorTaskStates)[number];

/** A task as the first vendor's API shows it (JSON; the same fields as the XML). */
export const VendorTaskJson = Schema.Struct({
  id: Schema.String,
  created: IsoTimestamp,
  stateChanged: IsoTimestamp,
  changed: IsoTimestamp,
  state: Schema.Literals(vendorTaskStates),
  type: TaskType,
  stage: Schema.String,
  progress: Schema.Int,
  result: Schema.NullOr(Schema.String).annotate({
    description: "Completed: the report id; Failed: the error message",
  }),
  error: Schema.NullOr(Schema.String).annotate({ description: "Failed: the error message" }),
}).annotate({ identifier: "VendorTask" });
/** A task as the first vendor's API shows it. */
export type VendorTaskJson = typeof VendorTaskJson.Type;
