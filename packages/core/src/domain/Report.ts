/**
 * Report metadata: what a stored report is, where it came from, and how to check its bytes.
 */
import { Schema } from "effect";
import { Instant } from "./Instant.ts";
import { ReportFormat, ReportRequest } from "./ReportRequest.ts";
import { TaskType } from "./ReportTask.ts";

/** A stored report. `sha256` is the lowercase hex digest of the content (a stable ETag). */
export const ReportMeta = Schema.Struct({
  id: Schema.String,
  taskId: Schema.String,
  type: TaskType,
  format: ReportFormat,
  contentType: Schema.String,
  fileName: Schema.String,
  request: ReportRequest,
  tenantScope: Schema.NullOr(Schema.String),
  createdAt: Instant,
  expiresAt: Instant,
  rowCount: Schema.Int,
  byteSize: Schema.Int,
  sha256: Schema.String,
});
/** A stored report. */
export type ReportMeta = typeof ReportMeta.Type;

/** What the worker knows of a report before its bytes are written. */
export type ReportDraft = Omit<ReportMeta, "rowCount" | "byteSize" | "sha256">;
