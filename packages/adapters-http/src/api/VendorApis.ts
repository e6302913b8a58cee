/**
 * The two vendor-shaped faces as HttpApi groups, as their vendors document them, so that
 * clients written for those vendors work unchanged:
 *
 * - face 1, the first vendor's API 2.0 for tenant protection reports
 *   (`/api/2.0/virtualization/…`): tasks in XML by default and JSON on
 *   `Accept: application/json`, the report's format chosen by `Accept`;
 * - face 2, the second vendor's API v6 (`/v6/…`): the OAuth 2 token endpoint and the
 *   synchronous license overview, whose errors carry the vendor's `message` and `errorCode`.
 */
import { DateTimeText, FactId, TaskType, TimeZoneSpecText } from "@tally/core";
import { Schema } from "effect";
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api";
import { Authentication, Problems } from "./Middleware.ts";
import {
  downloadHeaders,
  IdempotencyKeyHeader,
  PathId,
  partialDownloads,
  ValueList,
} from "./Parameters.ts";
import { problemAt, problemKinds, throttledLoginProblem } from "./Problem.ts";
import { VendorTaskJson, vendorTaskStates } from "./Representations.ts";

const describe = (summary: string, description?: string) =>
  OpenApi.annotations(description === undefined ? { summary } : { summary, description });

/** A vendor query parameter: absent and empty mean the same (as the vendor does). */
const VendorQuery = <S extends Schema.Top>(schema: S) =>
  Schema.optionalKey(Schema.Union([Schema.Literal(""), schema]));

/** One task in XML: `<task id=".." created="..">…</task>`. */
const VendorTaskXml = Schema.String.pipe(
  HttpApiSchema.asText({ contentType: "application/xml" }),
).annotate({
  description:
    '`<task id="…" created="…">` with `stateChanged`, `changed`, `state`, `type`, `stage`, `progress`, `result`, `error`',
});

/** A task, XML by default and JSON on `Accept: application/json`. */
const vendorTask = (status: number, description: string) => [
  VendorTaskXml.pipe(HttpApiSchema.status(status)).annotate({ description }),
  VendorTaskJson.pipe(HttpApiSchema.status(status)).annotate({ description }),
];

const Location = { location: Schema.String.annotate({ description: "The task's URL" }) };

const noTask = problemAt(404, "No such task, or not visible to the caller");

/** Face 1: tenant protection reports (the first vendor's API 2.0). */
export class VirtualizationApi extends HttpApiGroup.make("virtualization", { topLevel: true })
  .add(
    HttpApiEndpoint.post("vendorCreateTenantReport", "/reports/tenants", {
      query: {
        tenantId: VendorQuery(FactId).annotate({
          description: "One tenant; absent: all tenants (administrators only)",
        }),
        from: VendorQuery(DateTimeText).annotate({
          description: "Start, `YYYY-MM-DDThh:mm:ss` (inclusive; default: the earliest record)",
        }),
        to: VendorQuery(DateTimeText).annotate({
          description: "End, `YYYY-MM-DDThh:mm:ss` (exclusive; default: now)",
        }),
        timezone: VendorQuery(TimeZoneSpecText).annotate({
          description:
            "How `from`/`to` are read and the report is written (default: the face's zone)",
        }),
      },
      headers: {
        accept: Schema.optionalKey(
          Schema.String.annotate({
            description:
              "`application/csv` (or `text/csv`) or `application/pdf`: the report's format",
          }),
        ),
        "idempotency-key": IdempotencyKeyHeader,
      },
      success: [
        HttpApiSchema.WithHeaders(
          VendorTaskXml.pipe(HttpApiSchema.status(202)).annotate({
            description: "Accepted: the CreateTenantReport task",
          }),
          Location,
        ),
        // HttpApi documents response headers once per status: the JSON variant has them too.
        VendorTaskJson.pipe(HttpApiSchema.status(202)).annotate({
          description: "Accepted: the CreateTenantReport task (with the same `Location`)",
        }),
      ],
      error: [
        problemAt(400, "Malformed date, bad time zone, or `from` not before `to`"),
        problemAt(403, "The caller may not report on this tenant (or on all tenants)"),
        problemAt(404, "No tenant with this id"),
        problemAt(406, "`Accept` names no format the report can be produced in"),
      ],
    }).annotateMerge(
      describe(
        "Generate a tenant protection report (CreateTenantReport task)",
        "Queues a report task; poll the task in `Location`. `Accept: application/csv` (or `text/csv`) " +
          "gives the vendor's CSV (`tenantId;tenantName;vmId;vmName;protectionStart;protectionEnd`), " +
          "`application/pdf` a PDF. `from`/`to` without an offset are read in the face's zone (default UTC) " +
          "or the `timezone` given.",
      ),
    ),
    HttpApiEndpoint.get("vendorGetTask", "/tasks/:id", {
      params: { id: PathId },
      success: vendorTask(200, "The task"),
      error: noTask,
    }).annotateMerge(
      describe(
        "A task (state, progress, result)",
        "States use the vendor's names: Queued, Running, Stopping (running, cancel requested), " +
          "Completed (`result` is the report id), Failed (`result` and `error` carry the message), Canceled.",
      ),
    ),
    HttpApiEndpoint.get("vendorListTasks", "/tasks", {
      query: {
        createdFrom: VendorQuery(DateTimeText).annotate({
          description: "Only tasks created at or after this date and time",
        }),
        state: Schema.optionalKey(ValueList(vendorTaskStates)),
        type: Schema.optionalKey(TaskType),
      },
      success: [
        Schema.String.pipe(HttpApiSchema.asText({ contentType: "application/xml" })).annotate({
          description: "`<tasks><task …>…</task>…</tasks>`, oldest first",
        }),
        Schema.Array(VendorTaskJson),
      ],
      error: problemAt(400, "A malformed filter"),
    }).annotateMerge(describe("The tasks the caller may see")),
    HttpApiEndpoint.post("vendorCancelTask", "/tasks/:id/cancel", {
      params: { id: PathId },
      success: [
        ...vendorTask(200, "Canceled (it was queued)"),
        ...vendorTask(202, "Stopping: the worker stops at its next step"),
      ],
      error: [noTask, problemAt(409, "The task has already finished")],
    }).annotateMerge(describe("Cancel a task")),
    HttpApiEndpoint.get("vendorGetTenantReport", "/reports/tenants/:reportId", {
      params: { reportId: PathId },
      headers: {
        accept: Schema.optionalKey(
          Schema.String.annotate({
            description: "`application/csv` / `text/csv` or `application/pdf`",
          }),
        ),
        ...downloadHeaders,
      },
      success: [
        HttpApiSchema.WithHeaders(
          HttpApiSchema.StreamUint8Array({
            contentType: ["application/csv", "text/csv", "application/pdf"],
          }),
          {
            etag: Schema.String.annotate({ description: "SHA-256 of the content" }),
            "content-disposition": Schema.String.annotate({
              description: "attachment; filename=…",
            }),
          },
        ),
        ...partialDownloads,
      ],
      error: [
        problemAt(404, "No such report, expired, or not visible to the caller"),
        problemAt(415, "`Accept` does not match the report's format"),
        problemAt(416, "The range lies outside the report"),
      ],
    }).annotateMerge(
      describe(
        "Download a tenant report",
        "Send `Accept: application/csv` (or the report's format). `Range: bytes=…` gives part of it.",
      ),
    ),
  )
  .middleware(Authentication)
  .middleware(Problems)
  .prefix("/api/2.0/virtualization")
  .annotateMerge(OpenApi.annotations({ title: "Tenant reports (vendor API 2.0)" })) {}

/** The token request, form-encoded. */
export const TokenRequest = Schema.Struct({
  grant_type: Schema.Literals(["password", "refresh_token"]),
  username: Schema.optionalKey(Schema.String),
  password: Schema.optionalKey(Schema.String.annotate({ format: "password" })),
  refresh_token: Schema.optionalKey(Schema.String),
})
  .pipe(HttpApiSchema.asFormUrlEncoded())
  .annotate({ identifier: "TokenRequest" });

/** Issued tokens. */
export const TokenResponse = Schema.Struct({
  access_token: Schema.String,
  token_type: Schema.Literal("bearer"),
  expires_in: Schema.Int.annotate({ description: "Seconds (3600)" }),
  refresh_token: Schema.String.annotate({ description: "Single-use" }),
  refresh_expires_in: Schema.Int,
  username: Schema.String,
}).annotate({ identifier: "TokenResponse" });

/** A refused token request: RFC 6749 §5.2, inside a problem-details body. */
export class OAuthError extends Schema.Error<OAuthError>("OAuthError")(
  {
    error: Schema.Literals(["invalid_request", "invalid_grant", "unsupported_grant_type"]),
    error_description: Schema.String,
    type: Schema.String,
    title: Schema.String,
    status: Schema.Literal(problemKinds["validation-failed"].status),
    detail: Schema.String,
    instance: Schema.optionalKey(Schema.String),
    message: Schema.String,
    errorCode: Schema.String,
  },
  { identifier: "OAuthError", httpApiStatus: 400, description: "RFC 6749 §5.2" },
) {}

/** The body of `GenerateLicenseOverview`, as the vendor documents it. */
export const GenerateLicenseOverviewBody = Schema.Struct({
  startTime: DateTimeText.annotate({
    description:
      "Start of the interval, e.g. 2022-02-03T19:21:24.912Z (a time without an offset is read in `timezone`)",
  }),
  endTime: DateTimeText.annotate({ description: "End of the interval (exclusive)" }),
  format: Schema.Literals(["PDF", "CSV"]),
  timezone: Schema.optionalKey(Schema.NullOr(TimeZoneSpecText)).annotate({
    description: "UTC (default), Local, UTC+HH:MM or UTC-HH:MM",
  }),
}).annotate({ identifier: "GenerateLicenseOverview" });

/** Face 2: the license overview (the second vendor's API v6). */
export class LicensingApi extends HttpApiGroup.make("licensing", { topLevel: true })
  .add(
    HttpApiEndpoint.post("generateLicenseOverview", "/Reports/GenerateLicenseOverview", {
      payload: GenerateLicenseOverviewBody,
      success: HttpApiSchema.WithHeaders(
        HttpApiSchema.StreamUint8Array({ contentType: ["application/pdf", "text/csv"] }),
        {
          "content-disposition": Schema.String.annotate({ description: "attachment; filename=…" }),
          "x-tally-report-id": Schema.String.annotate({
            description: "The report's id (GET /v1/reports/{id}/content fetches it again)",
          }),
          "x-tally-task-id": Schema.String.annotate({ description: "The task that made it" }),
        },
      ),
      error: [
        problemAt(
          400,
          "ParameterValidationFailure: a malformed field, bad time zone, or startTime not before endTime",
        ),
        problemAt(403, "ResourceAccessDenied"),
        problemAt(409, "The task was cancelled (e.g. through the native API)"),
        problemAt(413, "Body too large"),
        problemAt(415, "The body is not JSON"),
        problemAt(500, "ReportGenerationFailed: the task failed"),
        problemAt(503, "The report took longer than the wait limit; the task keeps running"),
      ],
    })
      .middleware(Authentication)
      .annotateMerge(
        describe(
          "Generate a license overview report and receive the file",
          "Runs the report as a task and waits for it; the response body is the PDF or CSV with " +
            "`Content-Disposition: attachment`, plus `X-Tally-Report-Id` and `X-Tally-Task-Id`. " +
            "A tenant operator gets the organizations of its own tenant. Errors carry the vendor's " +
            "`message` and `errorCode` inside problem details.",
        ),
      ),
    HttpApiEndpoint.post("issueToken", "/Token", {
      payload: TokenRequest,
      success: TokenResponse,
      error: [OAuthError, problemAt(413, "Body too large"), throttledLoginProblem],
    }).annotateMerge(
      describe(
        "Get an access token (OAuth 2 password or refresh-token grant)",
        "Form-encoded `grant_type=password&username=…&password=…` or `grant_type=refresh_token&refresh_token=…`. " +
          "Access tokens live 60 minutes; a refresh token is single-use and lives 14 days. Errors follow RFC 6749 §5.2 " +
          "(`invalid_request`, `invalid_grant`, `unsupported_grant_type`) inside a problem-details body.",
      ),
    ),
  )
  .middleware(Problems)
  .prefix("/v6")
  .annotateMerge(OpenApi.annotations({ title: "License overview (vendor API v6)" })) {}
