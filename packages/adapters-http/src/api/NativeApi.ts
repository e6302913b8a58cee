/**
 * The native API (`/v1`) as HttpApi groups: submit, list, read, download and delete reports;
 * read, list and cancel tasks; read and ingest the facts reports are made of; and the public
 * service endpoints. Every path, parameter, body and answer is declared here once; the server's
 * handlers, the OpenAPI document and the typed client all come from these declarations.
 */
import {
  FactId,
  type FactWireForm,
  factWireForms,
  LicensedUserWire,
  OffsetInstant,
  OrganizationWire,
  TaskType,
  TenantWire,
  TimeZoneSpecText,
  taskStateTags,
  VmWire,
} from "@tally/core";
import { Schema } from "effect";
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api";
import { Authentication, Problems } from "./Middleware.ts";
import {
  downloadHeaders,
  IdempotencyKeyHeader,
  PathId,
  pageQuery,
  partialDownloads,
  TenantScopeQuery,
  ValueList,
} from "./Parameters.ts";
import { problemAt } from "./Problem.ts";
import { Page, ReportJson, ReportKind, TaskJson } from "./Representations.ts";

const describe = (summary: string, description?: string) =>
  OpenApi.annotations(description === undefined ? { summary } : { summary, description });

const notVisible = (what: string) =>
  problemAt(404, `No such ${what}, or not visible to the caller`);
const badRequest = (what: string) => problemAt(400, what);
const tooLarge = problemAt(413, "The body is larger than the configured limit");
const notJson = problemAt(415, "The body is not JSON");

/** `Link: <…&cursor=…>; rel="next"` when there may be more. */
const PageHeaders = { link: Schema.optionalKey(Schema.String) };

/** The body of `POST /v1/reports`. */
export const SubmitReportBody = Schema.Struct({
  type: ReportKind,
  start: Schema.optionalKey(OffsetInstant).annotate({
    description:
      "Inclusive. Tenant reports default to the earliest record; license overviews need it",
  }),
  end: Schema.optionalKey(OffsetInstant).annotate({
    description: "Exclusive. Tenant reports default to now; license overviews need it",
  }),
  timezone: Schema.optionalKey(TimeZoneSpecText).annotate({
    description: "How timestamps are written in the report (default UTC)",
  }),
  tenantId: Schema.optionalKey(FactId).annotate({
    description:
      "Tenant report: one tenant (default all). License overview: the organizations of this tenant",
  }),
  organizationId: Schema.optionalKey(FactId).annotate({
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

/** A report file: CSV or PDF as stored (or `application/octet-stream` when asked for). */
const ReportFile = HttpApiSchema.StreamUint8Array({
  contentType: ["text/csv", "application/pdf", "application/octet-stream"],
});

/** Reports: submit any report type, list, metadata, download, delete. */
export class ReportsApi extends HttpApiGroup.make("reports", { topLevel: true })
  .add(
    HttpApiEndpoint.post("submitReport", "/reports", {
      headers: { "idempotency-key": IdempotencyKeyHeader },
      payload: SubmitReportBody,
      success: HttpApiSchema.WithHeaders(TaskJson.pipe(HttpApiSchema.status(202)), {
        location: Schema.String.annotate({ description: "The task" }),
        "retry-after": Schema.String.annotate({
          description: "Seconds until polling is worthwhile",
        }),
        "idempotent-replayed": Schema.optionalKey(Schema.Literal("true")),
      }),
      error: [
        badRequest("A malformed field; `errors` names each"),
        problemAt(403, "The caller may not report on this tenant or organization (or on all)"),
        problemAt(404, "No such tenant or organization"),
        problemAt(409, "The idempotency key was used for a different request"),
        tooLarge,
        notJson,
      ],
    }).annotateMerge(
      describe(
        "Submit a report (tenant protection or license overview)",
        "Queues a report task and answers 202 with the task, its `Location` and `Retry-After: 1`. " +
          "With an `Idempotency-Key`, repeating the same request returns the same task " +
          "(`Idempotent-Replayed: true`); the same key with a different request is a 409.",
      ),
    ),
    HttpApiEndpoint.get("listReports", "/reports", {
      query: { tenantId: TenantScopeQuery, ...pageQuery },
      success: HttpApiSchema.WithHeaders(Page(ReportJson), PageHeaders),
      error: [
        badRequest("A malformed limit or cursor"),
        problemAt(403, "An operator asking for another tenant"),
      ],
    }).annotateMerge(describe("The unexpired reports the caller may see, oldest first")),
    HttpApiEndpoint.get("getReport", "/reports/:id", {
      params: { id: PathId },
      success: ReportJson,
      error: notVisible("report (or expired)"),
    }).annotateMerge(describe("A report's metadata (format, size, SHA-256, expiry, request)")),
    HttpApiEndpoint.get("downloadReport", "/reports/:id/content", {
      params: { id: PathId },
      headers: downloadHeaders,
      success: [
        HttpApiSchema.WithHeaders(ReportFile, {
          etag: Schema.String.annotate({ description: 'The SHA-256 of the content, `"<hex>"`' }),
          "content-disposition": Schema.String.annotate({ description: "attachment; filename=…" }),
          "x-tally-report-id": Schema.String,
          "x-tally-task-id": Schema.String,
        }),
        ...partialDownloads,
      ],
      error: [
        notVisible("report (or expired)"),
        problemAt(406, "`Accept` excludes the report's media type"),
        problemAt(416, "The range lies outside the file"),
      ],
    }).annotateMerge(
      describe(
        "Download a report",
        "Streams the file. `ETag` is the SHA-256 of the content (identical input renders identical bytes); " +
          "`If-None-Match` gives 304, `Range: bytes=…` gives 206 (or 416), `If-Range` is honoured.",
      ),
    ),
    HttpApiEndpoint.delete("deleteReport", "/reports/:id", {
      params: { id: PathId },
      success: HttpApiSchema.NoContent,
      error: notVisible("report (or expired)"),
    }).annotateMerge(describe("Delete a report")),
  )
  .middleware(Authentication)
  .middleware(Problems)
  .prefix("/v1")
  .annotateMerge(OpenApi.annotations({ title: "Reports" })) {}

/** Tasks: one, a filtered page, cancel. */
export class TasksApi extends HttpApiGroup.make("tasks", { topLevel: true })
  .add(
    HttpApiEndpoint.get("getTask", "/tasks/:id", {
      params: { id: PathId },
      success: TaskJson,
      error: notVisible("task"),
    }).annotateMerge(describe("A report task")),
    HttpApiEndpoint.get("listTasks", "/tasks", {
      query: {
        state: Schema.optionalKey(ValueList(taskStateTags)),
        type: Schema.optionalKey(TaskType),
        createdFrom: Schema.optionalKey(OffsetInstant).annotate({
          description: "Only tasks created at or after this instant",
        }),
        tenantId: TenantScopeQuery,
        ...pageQuery,
      },
      success: HttpApiSchema.WithHeaders(Page(TaskJson), PageHeaders),
      error: [
        badRequest("A malformed filter, limit or cursor"),
        problemAt(403, "An operator asking for another tenant"),
      ],
    }).annotateMerge(describe("The tasks the caller may see, oldest first")),
    HttpApiEndpoint.post("cancelTask", "/tasks/:id/cancel", {
      params: { id: PathId },
      success: [
        TaskJson.annotate({ description: "Cancelled (it was queued)" }),
        TaskJson.pipe(HttpApiSchema.status(202)).annotate({
          description: "Stopping: the worker stops at its next step",
        }),
      ],
      error: [notVisible("task"), problemAt(409, "The task has already finished")],
    }).annotateMerge(describe("Cancel a task")),
  )
  .middleware(Authentication)
  .middleware(Problems)
  .prefix("/v1")
  .annotateMerge(OpenApi.annotations({ title: "Tasks" })) {}

const listResponses = [
  badRequest("A malformed limit or cursor"),
  problemAt(403, "A tenant operator without a tenant"),
];

/** Reading facts back: tenants, VMs, organizations, users (what the caller may see). */
export class FactsApi extends HttpApiGroup.make("facts", { topLevel: true })
  .add(
    HttpApiEndpoint.get("listTenants", "/tenants", {
      query: pageQuery,
      success: HttpApiSchema.WithHeaders(Page(TenantWire), PageHeaders),
      error: listResponses,
    }).annotateMerge(describe("The tenants the caller may see (an operator: its own)")),
    HttpApiEndpoint.get("getTenant", "/tenants/:id", {
      params: { id: PathId },
      success: TenantWire,
      error: notVisible("tenant"),
    }).annotateMerge(describe("A tenant")),
    HttpApiEndpoint.get("listVms", "/vms", {
      query: { tenantId: Schema.optionalKey(FactId), ...pageQuery },
      success: HttpApiSchema.WithHeaders(Page(VmWire), PageHeaders),
      error: [...listResponses, notVisible("tenant")],
    }).annotateMerge(describe("The VMs the caller may see (an operator: its tenant's)")),
    HttpApiEndpoint.get("getVm", "/vms/:id", {
      params: { id: PathId },
      success: VmWire,
      error: notVisible("VM"),
    }).annotateMerge(describe("A VM")),
    HttpApiEndpoint.get("listOrganizations", "/organizations", {
      query: pageQuery,
      success: HttpApiSchema.WithHeaders(Page(OrganizationWire), PageHeaders),
      error: listResponses,
    }).annotateMerge(describe("The organizations the caller may see (an operator: its tenant's)")),
    HttpApiEndpoint.get("getOrganization", "/organizations/:id", {
      params: { id: PathId },
      success: OrganizationWire,
      error: notVisible("organization"),
    }).annotateMerge(describe("An organization")),
    HttpApiEndpoint.get("listUsers", "/users", {
      query: { organizationId: Schema.optionalKey(FactId), ...pageQuery },
      success: HttpApiSchema.WithHeaders(Page(LicensedUserWire), PageHeaders),
      error: [...listResponses, notVisible("organization")],
    }).annotateMerge(
      describe(
        "The licensed users the caller may see (an operator: of its tenant's organizations)",
      ),
    ),
  )
  .middleware(Authentication)
  .middleware(Problems)
  .prefix("/v1")
  .annotateMerge(OpenApi.annotations({ title: "Facts" })) {}

/** CSV text with a header line naming the columns. */
const csvBody = (form: Pick<FactWireForm<unknown>, "columns">) =>
  Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/csv" })).annotate({
    description:
      `A header line naming the columns (${[...form.columns.required, ...form.columns.optional].join(",")}; ` +
      `\`,\` or \`;\` separated; ${form.columns.optional.length === 0 ? "all required" : `optional: ${form.columns.optional.join(", ")}`}), ` +
      "then one fact a line",
  });

const ingestionErrors = (plural: string) => [
  badRequest(
    `A malformed field or an unknown reference, naming the item (\`items[3].start\`) or the CSV row and column`,
  ),
  problemAt(403, `Only administrators ingest ${plural}`),
  tooLarge,
  problemAt(415, "Neither JSON nor CSV"),
];

/** `PUT /v1/{collection}/:id` and `POST /v1/{collection}` of one kind of fact. */
const ingestionEndpoints = <const C extends keyof typeof factWireForms>(collection: C) => {
  const form = factWireForms[collection];
  const wire = form.schema as (typeof factWireForms)[C]["schema"];
  const path = `/${collection}` as const;
  return [
    HttpApiEndpoint.put(`put_${collection}`, `${path}/:id`, {
      params: { id: PathId },
      payload: Schema.Struct({
        ...form.fields,
        id: Schema.optionalKey(FactId).annotate({ description: "The id of the path, or nothing" }),
      }),
      success: wire,
      error: [...ingestionErrors(form.plural).filter((_, i) => i !== 3), notJson],
    }).annotateMerge(
      describe(`Insert or replace one of the ${form.plural}`, "Answers the fact as stored."),
    ),
    HttpApiEndpoint.post(`bulk_${collection}`, path, {
      payload: [Schema.Array(wire), csvBody(form)],
      success: Schema.Struct({ ingested: Schema.Int }),
      error: ingestionErrors(form.plural),
    }).annotateMerge(
      describe(
        `Insert or replace many ${form.plural} (a JSON array or CSV)`,
        "The whole batch is validated first and written in one transaction; sending it again changes nothing.",
      ),
    ),
  ] as const;
};

/** Ingesting the facts reports are made of (administrators only). */
export class IngestionApi extends HttpApiGroup.make("ingestion", { topLevel: true })
  .add(
    ...ingestionEndpoints("tenants"),
    ...ingestionEndpoints("vms"),
    ...ingestionEndpoints("protection-periods"),
    ...ingestionEndpoints("organizations"),
    ...ingestionEndpoints("users"),
    ...ingestionEndpoints("license-events"),
  )
  .middleware(Authentication)
  .middleware(Problems)
  .prefix("/v1")
  .annotateMerge(OpenApi.annotations({ title: "Data ingestion" })) {}

/** Public: liveness and readiness. */
export class ServiceApi extends HttpApiGroup.make("service", { topLevel: true })
  .add(
    HttpApiEndpoint.get("health", "/health", {
      success: Schema.Struct({ status: Schema.Literal("ok") }),
    }).annotateMerge(describe("Liveness: the process serves requests")),
    HttpApiEndpoint.get("ready", "/ready", {
      success: Schema.Struct({ status: Schema.Literal("ready") }),
      error: problemAt(503, "Storage cannot be reached (`Retry-After`)"),
    }).annotateMerge(describe("Readiness: storage can be reached")),
  )
  .middleware(Problems)
  .prefix("/v1")
  .annotateMerge(OpenApi.annotations({ title: "Service" })) {}
