/**
 * Face 1: the first vendor's API 2.0 for tenant protection reports, as its documentation
 * describes it, so that clients written for that vendor work unchanged.
 *
 * - `POST /api/2.0/virtualization/reports/tenants?tenantId=&from=&to=[&timezone=]` queues a
 *   CreateTenantReport task: 202, the task in the body, `Location` of the task. The `Accept`
 *   header chooses the report's format (`application/csv` or `text/csv` → CSV,
 *   `application/pdf` → PDF; 406 otherwise). `from`/`to` are `YYYY-MM-DDThh:mm:ss` read in the
 *   face's zone (or the `timezone` parameter's); timestamps with `Z` or an offset are taken as
 *   given. Unknown tenant → 404, another tenant's or all tenants for an operator → 403.
 * - `GET …/tasks/{id}`, `GET …/tasks?createdFrom=&state=&type=`, `POST …/tasks/{id}/cancel`:
 *   tasks in XML (the vendor's default) or JSON (`Accept: application/json`).
 * - `GET …/reports/tenants/{reportId}`: the file (Range, ETag); an `Accept` that does not match
 *   the report's format is a 415, as the vendor documents.
 */
import {
  cancelTask,
  getReport,
  getTask,
  listTasks,
  parseInstantInZone,
  type ReportTask,
  submitReport,
  TallySettings,
  type TaskStateTag,
  type TaskType,
  type TimeZoneSpec,
  zoneSelection,
} from "@tally/core";
import { Effect } from "effect";
import type { HttpServerRequest } from "effect/http";
import { HttpProblem, validationProblem } from "../../problems/HttpProblem.ts";
import { negotiate } from "../../protocol/ContentNegotiation.ts";
import { enumListQuery, enumQuery, singleQuery } from "../../protocol/QueryParameters.ts";
import { reportDownload } from "../../protocol/ReportDownload.ts";
import { jsonResponse, xmlResponse } from "../../protocol/Responses.ts";
import { type IssueList, readInstant, readZoneSpec } from "../../protocol/TimeFields.ts";
import type { AuthenticatedRoute, CoreServices, OperationDoc } from "../../routing/Route.ts";
import { toVendorTask, vendorTaskListXml, vendorTaskXml } from "./VendorTask.ts";
import { tallyStatesOf, vendorState, vendorTaskStates } from "./VendorTaskState.ts";

const base = "/api/2.0/virtualization";
const tags = ["Tenant reports (vendor API 2.0)"];

/** The media types a new report may be asked in, and the format each gives. */
const reportMediaTypes = {
  "application/csv": "csv",
  "text/csv": "csv",
  "application/pdf": "pdf",
} as const;

/** Pages of 1000 a vendor task listing reads at most (the vendor's API has no paging). */
const maxVendorListPages = 10;

const taskTypes: ReadonlyArray<TaskType> = ["CreateTenantReport", "CreateLicenseOverviewReport"];

/** XML unless the client prefers JSON: clients that poll with their report `Accept` still get XML. */
const wantsJson = (request: HttpServerRequest.HttpServerRequest): boolean =>
  negotiate(request.headers.accept, ["application/xml", "text/xml", "application/json"]) ===
  "application/json";

const taskResponse = (
  request: HttpServerRequest.HttpServerRequest,
  task: ReportTask,
  status: number,
  headers: Readonly<Record<string, string>> = {},
) => {
  const vendor = toVendorTask(task);
  return wantsJson(request)
    ? jsonResponse(vendor, { status, headers })
    : xmlResponse(vendorTaskXml(vendor), { status, headers });
};

const taskLocation = (id: string): string => `${base}/tasks/${encodeURIComponent(id)}`;

/** A query parameter, with an empty value treated as absent (as the vendor does). */
const optionalQuery = (url: URL, name: string) =>
  Effect.map(singleQuery(url, name), (v) => (v === undefined || v === "" ? undefined : v));

const taskResponses: OperationDoc["responses"] = {
  "200": {
    description: "The task: XML by default, JSON with `Accept: application/json`",
    content: { "application/xml": {}, "application/json": {} },
  },
  "401": { description: "No, unknown or expired credentials" },
  "404": { description: "No such task (or not visible to the caller)" },
};

/** The face-1 routes; `zone` is the face's configured zone for `from`/`to`. */
export const virtualizationRoutes = (
  zone: TimeZoneSpec,
): ReadonlyArray<AuthenticatedRoute<CoreServices>> => [
  {
    method: "POST",
    path: `${base}/reports/tenants`,
    face: "virtualization",
    caseInsensitive: true,
    access: "authenticated",
    handle: ({ request, url, principal }) =>
      Effect.gen(function* () {
        const accept = request.headers.accept;
        const mediaType = negotiate(accept, Object.keys(reportMediaTypes));
        if (mediaType === undefined) {
          return yield* new HttpProblem({
            kind: "not-acceptable",
            detail: `the report can be produced as application/csv, text/csv or application/pdf, not ${accept}`,
          });
        }
        const tenantId = yield* optionalQuery(url, "tenantId");
        const fromText = yield* optionalQuery(url, "from");
        const toText = yield* optionalQuery(url, "to");
        const zoneText = yield* optionalQuery(url, "timezone");
        const issues: IssueList = [];
        const spec = readZoneSpec(zoneText, "timezone", zone, issues);
        const settings = yield* TallySettings;
        const resolved = yield* Effect.fromResult(zoneSelection(spec, settings.localZone));
        const inZone = (text: string, field: string) =>
          parseInstantInZone(text, field, resolved.resolved);
        const start = readInstant(fromText, "from", inZone, issues);
        const end = readInstant(toText, "to", inZone, issues);
        if (issues.length > 0) return yield* validationProblem(issues);
        const idempotencyKey = request.headers["idempotency-key"];
        const { task } = yield* submitReport(
          principal,
          {
            type: "CreateTenantReport",
            start,
            end,
            zone: spec,
            tenantId,
            format: reportMediaTypes[mediaType as keyof typeof reportMediaTypes],
          },
          {
            idempotencyKey,
            fieldNames: {
              start: "from",
              end: "to",
              zone: "timezone",
              idempotencyKey: "Idempotency-Key",
            },
          },
        );
        return taskResponse(request, task, 202, { location: taskLocation(task.id) });
      }),
    doc: {
      operationId: "vendorCreateTenantReport",
      summary: "Generate a tenant protection report (CreateTenantReport task)",
      description:
        "Queues a report task. `Accept: application/csv` (or `text/csv`) gives the vendor's CSV " +
        "(`tenantId;tenantName;vmId;vmName;protectionStart;protectionEnd`), `application/pdf` a PDF. " +
        "`from`/`to` are `YYYY-MM-DDThh:mm:ss` in the face's zone (default UTC) or the `timezone` given; " +
        "missing `from` means the earliest record, missing `to` means now. Poll the task in `Location`.",
      tags,
      parameters: [
        {
          name: "tenantId",
          in: "query",
          description: "One tenant; absent: all tenants (administrators only)",
        },
        { name: "from", in: "query", description: "Start, `YYYY-MM-DDThh:mm:ss` (inclusive)" },
        { name: "to", in: "query", description: "End, `YYYY-MM-DDThh:mm:ss` (exclusive)" },
        {
          name: "timezone",
          in: "query",
          description:
            "`UTC`, `Local` or `UTC±HH:MM`: how `from`/`to` are read and the report is written",
        },
        {
          name: "Accept",
          in: "header",
          description: "`application/csv`, `text/csv` or `application/pdf`",
        },
      ],
      responses: {
        "202": {
          description: "Accepted: the CreateTenantReport task",
          headers: { Location: "The task's URL" },
          content: { "application/xml": {} },
        },
        "400": { description: "Malformed date, bad time zone, or `from` not before `to`" },
        "401": { description: "No, unknown or expired credentials" },
        "403": { description: "The caller may not report on this tenant (or on all tenants)" },
        "404": { description: "No tenant with this id" },
        "406": { description: "`Accept` names no format the report can be produced in" },
      },
    },
  },
  {
    method: "GET",
    path: `${base}/tasks/{id}`,
    face: "virtualization",
    caseInsensitive: true,
    access: "authenticated",
    handle: ({ request, params, principal }) =>
      Effect.map(getTask(principal, params.id as string), (task) =>
        taskResponse(request, task, 200),
      ),
    doc: {
      operationId: "vendorGetTask",
      summary: "A task (state, progress, result)",
      description:
        "States use the vendor's names: Queued, Running, Stopping (running, cancel requested), " +
        "Completed (`result` is the report id), Failed (`error`), Canceled.",
      tags,
      responses: taskResponses,
    },
  },
  {
    method: "GET",
    path: `${base}/tasks`,
    face: "virtualization",
    caseInsensitive: true,
    access: "authenticated",
    handle: ({ request, url, principal }) =>
      Effect.gen(function* () {
        const states = yield* enumListQuery(url, "state", vendorTaskStates);
        const type = yield* enumQuery(url, "type", taskTypes);
        const createdFromText = yield* optionalQuery(url, "createdFrom");
        const settings = yield* TallySettings;
        const resolved = yield* Effect.fromResult(zoneSelection(zone, settings.localZone));
        const createdFrom =
          createdFromText === undefined
            ? undefined
            : yield* Effect.fromResult(
                parseInstantInZone(createdFromText, "createdFrom", resolved.resolved),
              );
        const coreStates: Array<TaskStateTag> | undefined =
          states === undefined ? undefined : [...new Set(states.flatMap(tallyStatesOf))];
        const tasks: Array<ReportTask> = [];
        if (coreStates === undefined || coreStates.length > 0) {
          let after: { createdAt: number; id: string } | undefined;
          for (let page = 0; page < maxVendorListPages; page++) {
            const batch = yield* listTasks(principal, {
              states: coreStates,
              type,
              createdFrom,
              after,
              limit: 1000,
            });
            tasks.push(...batch);
            const last = batch[batch.length - 1];
            if (batch.length < 1000 || last === undefined) break;
            after = { createdAt: last.createdAt, id: last.id };
          }
        }
        const visible = (
          states === undefined ? tasks : tasks.filter((t) => states.includes(vendorState(t)))
        ).map(toVendorTask);
        return wantsJson(request) ? jsonResponse(visible) : xmlResponse(vendorTaskListXml(visible));
      }),
    doc: {
      operationId: "vendorListTasks",
      summary: "The tasks the caller may see",
      tags,
      parameters: [
        {
          name: "createdFrom",
          in: "query",
          description: "Only tasks created at or after this date and time",
        },
        {
          name: "state",
          in: "query",
          description: `Vendor state(s), comma-separated: ${vendorTaskStates.join(", ")}`,
        },
        {
          name: "type",
          in: "query",
          description: "CreateTenantReport or CreateLicenseOverviewReport",
        },
      ],
      responses: {
        "200": { description: "The tasks, oldest first (XML `<tasks>` or a JSON array)" },
        "400": { description: "A malformed filter" },
        "401": { description: "No, unknown or expired credentials" },
      },
    },
  },
  {
    method: "POST",
    path: `${base}/tasks/{id}/cancel`,
    face: "virtualization",
    caseInsensitive: true,
    access: "authenticated",
    handle: ({ request, params, principal }) =>
      Effect.map(cancelTask(principal, params.id as string), ({ task, outcome }) =>
        taskResponse(request, task, outcome === "Cancelled" ? 200 : 202),
      ),
    doc: {
      operationId: "vendorCancelTask",
      summary: "Cancel a task",
      tags,
      responses: {
        "200": { description: "Cancelled (it was queued)" },
        "202": { description: "Stopping: the worker stops at its next step" },
        "401": { description: "No, unknown or expired credentials" },
        "404": { description: "No such task (or not visible to the caller)" },
        "409": { description: "The task has already finished" },
      },
    },
  },
  {
    method: "GET",
    path: `${base}/reports/tenants/{reportId}`,
    face: "virtualization",
    caseInsensitive: true,
    access: "authenticated",
    handle: ({ request, params, principal }) =>
      Effect.gen(function* () {
        const id = params.reportId as string;
        const meta = yield* getReport(principal, id);
        if (meta.type !== "CreateTenantReport") {
          return yield* new HttpProblem({
            kind: "not-found",
            detail: `tenant report '${id}' was not found`,
          });
        }
        const offered =
          meta.format === "csv" ? ["application/csv", "text/csv"] : ["application/pdf"];
        const accept = request.headers.accept;
        const mediaType = negotiate(accept, offered);
        if (mediaType === undefined) {
          return yield* new HttpProblem({
            kind: "unsupported-media-type",
            detail: `report '${id}' is ${meta.format.toUpperCase()} (${offered.join(" or ")}); Accept asked for ${accept}`,
          });
        }
        return yield* reportDownload(principal, meta, request, {
          contentType: mediaType === "text/csv" ? "text/csv; charset=utf-8" : mediaType,
        });
      }),
    doc: {
      operationId: "vendorGetTenantReport",
      summary: "Download a tenant report",
      description:
        "Send `Accept: application/csv` (or the report's format). `Range: bytes=…` gives part of it.",
      tags,
      parameters: [
        {
          name: "Accept",
          in: "header",
          description: "`application/csv` / `text/csv` or `application/pdf`",
        },
        {
          name: "Range",
          in: "header",
          description: "`bytes=start-end`, `bytes=start-` or `bytes=-suffix`",
        },
      ],
      responses: {
        "200": {
          description: "The report",
          headers: {
            ETag: "SHA-256 of the content",
            "Content-Disposition": "attachment; filename=…",
          },
          content: { "application/csv": {}, "application/pdf": {} },
        },
        "206": {
          description: "Part of the report",
          headers: { "Content-Range": "bytes start-end/size" },
        },
        "304": { description: "Not modified (`If-None-Match`)" },
        "401": { description: "No, unknown or expired credentials" },
        "404": { description: "No such report, expired, or not visible to the caller" },
        "415": { description: "`Accept` does not match the report's format" },
        "416": { description: "The range lies outside the report" },
      },
    },
  },
];
