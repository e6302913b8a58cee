/**
 * Native reports: submit any report type (202 + `Location` of the task + `Retry-After`,
 * `Idempotency-Key` honoured), list, read metadata, download (ETag, Range,
 * Content-Disposition) and delete.
 */
import { deleteReport, getReport, listReports, type ReportMeta, submitReport } from "@tally/core";
import { Effect, Result, Schema } from "effect";
import { HttpServerResponse } from "effect/http";
import { HttpProblem, validationProblem } from "../../problems/HttpProblem.ts";
import { mediaTypeOf, negotiate } from "../../protocol/ContentNegotiation.ts";
import { limitQuery, singleQuery } from "../../protocol/QueryParameters.ts";
import { reportDownload } from "../../protocol/ReportDownload.ts";
import { readJsonBody } from "../../protocol/RequestBody.ts";
import { jsonResponse } from "../../protocol/Responses.ts";
import { decodeWithIssues } from "../../protocol/SchemaDecoding.ts";
import {
  type IssueList,
  readInstant,
  readZoneSpec,
  stringMember,
} from "../../protocol/TimeFields.ts";
import { parseOffsetTimestamp } from "../../protocol/WireInstant.ts";
import type { AuthenticatedRoute, CoreServices } from "../../routing/Route.ts";
import { pageJson } from "./KeysetPage.ts";
import { reportJson, reportKinds, taskJson } from "./NativeRepresentations.ts";
import { decodeCursor } from "./PageCursor.ts";

const tags = ["Reports"];

/** The body of `POST /v1/reports`. */
export const SubmitReportBody = Schema.Struct({
  type: Schema.Literals(["tenant-protection", "license-overview"]),
  start: Schema.optionalKey(Schema.String).annotate({
    description:
      "ISO 8601 with Z or an offset (inclusive). Tenant reports default to the earliest record; license overviews need it",
  }),
  end: Schema.optionalKey(Schema.String).annotate({
    description:
      "ISO 8601 with Z or an offset (exclusive). Tenant reports default to now; license overviews need it",
  }),
  timezone: Schema.optionalKey(Schema.String).annotate({
    description:
      "How timestamps are written in the report: UTC (default), Local, UTC+HH:MM, UTC-HH:MM",
  }),
  tenantId: Schema.optionalKey(Schema.String).annotate({
    description:
      "Tenant report: one tenant (default all). License overview: the organizations of this tenant",
  }),
  organizationId: Schema.optionalKey(Schema.String).annotate({
    description: "License overview: one organization",
  }),
  format: Schema.Literals(["csv", "pdf"]),
  variant: Schema.optionalKey(Schema.Literals(["detail", "summary", "users"])).annotate({
    description:
      "Tenant report: detail (default) or summary. License overview: users (default) or summary. Summary is CSV only",
  }),
  columns: Schema.optionalKey(Schema.Literals(["vendor", "extended"])).annotate({
    description:
      "Tenant report CSV: the vendor's six columns (default) or extended (adds protectedSeconds, ongoing)",
  }),
  separator: Schema.optionalKey(Schema.Literals([";", ","])).annotate({
    description: "CSV separator (default ;)",
  }),
}).annotate({ identifier: "SubmitReport" });

/** The native report routes. */
export const reportRoutes = (options: {
  readonly maxBodyBytes: number;
  readonly maxPageSize: number;
}): ReadonlyArray<AuthenticatedRoute<CoreServices>> => [
  {
    method: "POST",
    path: "/v1/reports",
    face: "native",
    access: "authenticated",
    handle: ({ request, principal }) =>
      Effect.gen(function* () {
        const json = yield* readJsonBody(request, options.maxBodyBytes);
        const decoded = decodeWithIssues(SubmitReportBody, json);
        const issues: IssueList = Result.isFailure(decoded) ? [...decoded.failure] : [];
        const zone = readZoneSpec(
          stringMember(json, "timezone"),
          "timezone",
          { _tag: "Utc" },
          issues,
        );
        const start = readInstant(
          stringMember(json, "start"),
          "start",
          parseOffsetTimestamp,
          issues,
        );
        const end = readInstant(stringMember(json, "end"), "end", parseOffsetTimestamp, issues);
        if (issues.length > 0 || Result.isFailure(decoded)) return yield* validationProblem(issues);
        const body = decoded.success;
        const { task, replayed } = yield* submitReport(
          principal,
          {
            type: reportKinds[body.type],
            start,
            end,
            zone,
            tenantId: body.tenantId,
            organizationId: body.organizationId,
            format: body.format,
            variant: body.variant,
            columns: body.columns,
            separator: body.separator,
          },
          {
            idempotencyKey: request.headers["idempotency-key"],
            fieldNames: { zone: "timezone", idempotencyKey: "Idempotency-Key" },
          },
        );
        return jsonResponse(taskJson(task), {
          status: 202,
          headers: {
            location: `/v1/tasks/${encodeURIComponent(task.id)}`,
            "retry-after": "1",
            ...(replayed ? { "idempotent-replayed": "true" } : {}),
          },
        });
      }),
    doc: {
      operationId: "submitReport",
      summary: "Submit a report (tenant protection or license overview)",
      description:
        "Queues a report task and answers 202 with the task, its `Location` and `Retry-After: 1`. " +
        "With an `Idempotency-Key`, repeating the same request returns the same task " +
        "(`Idempotent-Replayed: true`); the same key with a different request is a 409.",
      tags,
      parameters: [
        {
          name: "Idempotency-Key",
          in: "header",
          description: "1 to 255 characters; makes retries safe",
        },
      ],
      requestBody: {
        content: {
          "application/json": {
            schema: SubmitReportBody,
            example: {
              type: "tenant-protection",
              start: "2024-03-01T00:00:00+01:00",
              end: "2024-04-01T00:00:00+02:00",
              timezone: "Local",
              tenantId: "acme",
              format: "csv",
            },
          },
        },
      },
      responses: {
        "202": {
          description: "The queued task (or, replayed, the task the key first created)",
          headers: { Location: "The task", "Retry-After": "Seconds until polling is worthwhile" },
          content: { "application/json": {} },
        },
        "400": { description: "A malformed field; `errors` names each" },
        "401": { description: "No, unknown or expired credentials" },
        "403": {
          description: "The caller may not report on this tenant or organization (or on all)",
        },
        "404": { description: "No such tenant or organization" },
        "409": { description: "The idempotency key was used for a different request" },
        "413": { description: "Body too large" },
        "415": { description: "The body is not JSON" },
      },
    },
  },
  {
    method: "GET",
    path: "/v1/reports",
    face: "native",
    access: "authenticated",
    handle: ({ url, principal }) =>
      Effect.gen(function* () {
        const limit = yield* limitQuery(url, 100, options.maxPageSize);
        const cursorText = yield* singleQuery(url, "cursor");
        const after = cursorText === undefined ? undefined : yield* decodeCursor(cursorText);
        const tenantScope = yield* singleQuery(url, "tenantId");
        const reports = yield* listReports(principal, { after, limit, tenantScope });
        return pageJson<ReportMeta>(reports, limit, url, reportJson);
      }),
    doc: {
      operationId: "listReports",
      summary: "The unexpired reports the caller may see, oldest first",
      tags,
      parameters: [
        {
          name: "tenantId",
          in: "query",
          description: "Administrators: only reports scoped to this tenant",
        },
        {
          name: "limit",
          in: "query",
          description: `Page size, 1 to ${options.maxPageSize} (default 100)`,
        },
        { name: "cursor", in: "query", description: "`nextCursor` of the previous page" },
      ],
      responses: {
        "200": { description: "`{items, nextCursor}`", content: { "application/json": {} } },
        "400": { description: "A malformed limit or cursor" },
        "401": { description: "No, unknown or expired credentials" },
        "403": { description: "An operator asking for another tenant" },
      },
    },
  },
  {
    method: "GET",
    path: "/v1/reports/{id}",
    face: "native",
    access: "authenticated",
    handle: ({ params, principal }) =>
      Effect.map(getReport(principal, params.id as string), (meta) =>
        jsonResponse(reportJson(meta)),
      ),
    doc: {
      operationId: "getReport",
      summary: "A report's metadata (format, size, SHA-256, expiry, request)",
      tags,
      responses: {
        "200": { description: "The metadata", content: { "application/json": {} } },
        "401": { description: "No, unknown or expired credentials" },
        "404": { description: "No such report, expired, or not visible to the caller" },
      },
    },
  },
  {
    method: "GET",
    path: "/v1/reports/{id}/content",
    face: "native",
    access: "authenticated",
    handle: ({ request, params, principal }) =>
      Effect.gen(function* () {
        const meta = yield* getReport(principal, params.id as string);
        const own = mediaTypeOf(meta.contentType) ?? "application/octet-stream";
        const chosen = negotiate(request.headers.accept, [own, "application/octet-stream"]);
        if (chosen === undefined) {
          return yield* new HttpProblem({
            kind: "not-acceptable",
            detail: `report '${meta.id}' is ${own}; Accept asked for ${request.headers.accept}`,
          });
        }
        return yield* reportDownload(principal, meta, request, {
          contentType: chosen === own ? meta.contentType : chosen,
          headers: { "x-tally-report-id": meta.id, "x-tally-task-id": meta.taskId },
        });
      }),
    doc: {
      operationId: "downloadReport",
      summary: "Download a report",
      description:
        "Streams the file. `ETag` is the SHA-256 of the content (identical input renders identical bytes); " +
        "`If-None-Match` gives 304, `Range: bytes=…` gives 206 (or 416), `If-Range` is honoured.",
      tags,
      parameters: [
        {
          name: "Range",
          in: "header",
          description: "`bytes=start-end`, `bytes=start-` or `bytes=-suffix`",
        },
        { name: "If-None-Match", in: "header", description: "An ETag from an earlier download" },
      ],
      responses: {
        "200": {
          description: "The file",
          headers: { ETag: '`"<sha256>"`', "Content-Disposition": "attachment; filename=…" },
          content: { "text/csv": {}, "application/pdf": {} },
        },
        "206": {
          description: "Part of the file",
          headers: { "Content-Range": "bytes start-end/size" },
        },
        "304": { description: "Not modified" },
        "401": { description: "No, unknown or expired credentials" },
        "404": { description: "No such report, expired, or not visible to the caller" },
        "406": { description: "`Accept` excludes the report's media type" },
        "416": { description: "The range lies outside the file" },
      },
    },
  },
  {
    method: "DELETE",
    path: "/v1/reports/{id}",
    face: "native",
    access: "authenticated",
    handle: ({ params, principal }) =>
      Effect.as(
        deleteReport(principal, params.id as string),
        HttpServerResponse.empty({ status: 204 }),
      ),
    doc: {
      operationId: "deleteReport",
      summary: "Delete a report",
      tags,
      responses: {
        "204": { description: "Deleted" },
        "401": { description: "No, unknown or expired credentials" },
        "404": { description: "No such report, expired, or not visible to the caller" },
      },
    },
  },
];
