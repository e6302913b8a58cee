/**
 * Report metadata as a table row and back; the request is JSON encoded with the core's
 * `ReportRequest` schema.
 */
import {
  type ReportDraft,
  ReportFormat,
  type ReportMeta,
  ReportRequest,
  TaskType,
} from "@tally/core";
import { Schema } from "effect";
import type { ReportsTable } from "../schema/Database.ts";

const encodeRequest = Schema.encodeSync(ReportRequest);
const decodeRequest = Schema.decodeUnknownSync(ReportRequest);
const decodeType = Schema.decodeUnknownSync(TaskType);
const decodeFormat = Schema.decodeUnknownSync(ReportFormat);

/** Where a report's bytes are: a file name (SQLite) or the chunk size (PostgreSQL). */
export interface ReportContentLocation {
  readonly contentFile: string | null;
  readonly chunkSize: number | null;
}

/** The row that stores `meta`. */
export const reportRow = (meta: ReportMeta, location: ReportContentLocation): ReportsTable => ({
  id: meta.id,
  task_id: meta.taskId,
  type: meta.type,
  format: meta.format,
  content_type: meta.contentType,
  file_name: meta.fileName,
  request: JSON.stringify(encodeRequest(meta.request)),
  tenant_scope: meta.tenantScope,
  created_at: meta.createdAt,
  expires_at: meta.expiresAt,
  row_count: meta.rowCount,
  byte_size: meta.byteSize,
  sha256: meta.sha256,
  content_file: location.contentFile,
  chunk_size: location.chunkSize,
});

/** The columns of `reports`, in the order `reportInsertParameters` gives their values. */
const reportColumns = [
  "id",
  "task_id",
  "type",
  "format",
  "content_type",
  "file_name",
  "request",
  "tenant_scope",
  "created_at",
  "expires_at",
  "row_count",
  "byte_size",
  "sha256",
  "content_file",
  "chunk_size",
] as const satisfies ReadonlyArray<keyof ReportsTable>;

/**
 * The insert of one report row, shared by both backends; `placeholder(n)` writes the n-th
 * parameter (1-based) in the driver's style (`?` for SQLite, `$n` for PostgreSQL).
 */
export const reportInsertSql = (placeholder: (n: number) => string): string =>
  `insert into reports (${reportColumns.join(", ")}) values (${reportColumns
    .map((_, i) => placeholder(i + 1))
    .join(", ")})`;

/** The parameters of `reportInsertSql` for a row. */
export const reportInsertParameters = (row: ReportsTable): Array<string | number | null> =>
  reportColumns.map((column) => row[column]);

/** The metadata a row stores. */
export const reportMetaFromRow = (row: ReportsTable): ReportMeta => ({
  id: row.id,
  taskId: row.task_id,
  type: decodeType(row.type),
  format: decodeFormat(row.format),
  contentType: row.content_type,
  fileName: row.file_name,
  request: decodeRequest(JSON.parse(row.request)),
  tenantScope: row.tenant_scope,
  createdAt: Number(row.created_at),
  expiresAt: Number(row.expires_at),
  rowCount: Number(row.row_count),
  byteSize: Number(row.byte_size),
  sha256: row.sha256,
});

/** The metadata of a finished report: the draft's fields only (a caller may pass more). */
export const reportMetaOf = (
  draft: ReportDraft,
  content: { readonly rowCount: number; readonly byteSize: number; readonly sha256: string },
): ReportMeta => ({
  id: draft.id,
  taskId: draft.taskId,
  type: draft.type,
  format: draft.format,
  contentType: draft.contentType,
  fileName: draft.fileName,
  request: draft.request,
  tenantScope: draft.tenantScope,
  createdAt: draft.createdAt,
  expiresAt: draft.expiresAt,
  rowCount: content.rowCount,
  byteSize: content.byteSize,
  sha256: content.sha256,
});
