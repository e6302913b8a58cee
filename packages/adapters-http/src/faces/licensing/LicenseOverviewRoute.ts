/**
 * Face 2: `POST /v6/Reports/GenerateLicenseOverview`, the second vendor's synchronous license
 * overview. The body `{startTime, endTime, format: "PDF"|"CSV", timezone?}` (timezone omitted
 * → UTC; `UTC`, `Local`, `UTC±HH:MM` strictly) becomes an ordinary report task; the request
 * waits for it and answers 200 with the file, its `Content-Disposition`, and the report and
 * task ids in `X-Tally-Report-Id` / `X-Tally-Task-Id` (the native API can fetch it again). If
 * the client goes away, only the waiting stops: the task still completes.
 *
 * A tenant operator gets the organizations of its own tenant (the vendor's API has no tenant
 * parameter); an administrator gets all organizations.
 */
import {
  getTask,
  isTerminal,
  parseInstantInZone,
  type ReportTask,
  readReport,
  submitReport,
  TallySettings,
  zoneSelection,
} from "@tally/core";
import { Clock, Effect, Result, Schema } from "effect";
import { HttpServerResponse } from "effect/http";
import { HttpProblem, validationProblem } from "../../problems/HttpProblem.ts";
import { attachment } from "../../protocol/ContentDisposition.ts";
import { readJsonBody } from "../../protocol/RequestBody.ts";
import { decodeWithIssues } from "../../protocol/SchemaDecoding.ts";
import {
  type IssueList,
  readInstant,
  readZoneSpec,
  stringMember,
} from "../../protocol/TimeFields.ts";
import type { AuthenticatedRoute, CoreServices } from "../../routing/Route.ts";

/** The request body, as the vendor documents it. */
export const GenerateLicenseOverviewBody = Schema.Struct({
  startTime: Schema.String.annotate({
    description: "Start of the interval, e.g. 2022-02-03T19:21:24.912Z",
  }),
  endTime: Schema.String.annotate({ description: "End of the interval (exclusive)" }),
  format: Schema.Literals(["PDF", "CSV"]),
  timezone: Schema.optionalKey(Schema.NullOr(Schema.String)).annotate({
    description: "UTC (default), Local, UTC+HH:MM or UTC-HH:MM",
  }),
}).annotate({ identifier: "GenerateLicenseOverview" });

/** How long to wait and how often to look. */
export interface SyncWaitOptions {
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly maxBodyBytes: number;
}

const pollUntilFinished = (
  principal: Parameters<typeof getTask>[0],
  task: ReportTask,
  options: SyncWaitOptions,
) =>
  Effect.gen(function* () {
    let current = task;
    const deadline = (yield* Clock.currentTimeMillis) + options.timeoutMs;
    while (!isTerminal(current.state) && (yield* Clock.currentTimeMillis) < deadline) {
      yield* Effect.sleep(options.pollMs);
      current = yield* getTask(principal, task.id);
    }
    return current;
  });

/** The GenerateLicenseOverview route. */
export const licenseOverviewRoute = (
  options: SyncWaitOptions,
): AuthenticatedRoute<CoreServices> => ({
  method: "POST",
  path: "/v6/Reports/GenerateLicenseOverview",
  face: "licensing",
  caseInsensitive: true,
  access: "authenticated",
  handle: ({ request, principal }) =>
    Effect.gen(function* () {
      const json = yield* readJsonBody(request, options.maxBodyBytes);
      const decoded = decodeWithIssues(GenerateLicenseOverviewBody, json, {
        unknownFields: "ignore",
      });
      const issues: IssueList = Result.isFailure(decoded) ? [...decoded.failure] : [];
      const zone = readZoneSpec(
        stringMember(json, "timezone"),
        "timezone",
        { _tag: "Utc" },
        issues,
      );
      const settings = yield* TallySettings;
      const selection = yield* Effect.fromResult(zoneSelection(zone, settings.localZone));
      const inZone = (text: string, field: string) =>
        parseInstantInZone(text, field, selection.resolved);
      const start = readInstant(stringMember(json, "startTime"), "startTime", inZone, issues);
      const end = readInstant(stringMember(json, "endTime"), "endTime", inZone, issues);
      if (issues.length > 0 || Result.isFailure(decoded)) return yield* validationProblem(issues);
      const body = decoded.success;
      const { task } = yield* submitReport(
        principal,
        {
          type: "CreateLicenseOverviewReport",
          start,
          end,
          zone,
          format: body.format === "PDF" ? "pdf" : "csv",
        },
        {
          idempotencyKey: request.headers["idempotency-key"],
          fieldNames: {
            start: "startTime",
            end: "endTime",
            zone: "timezone",
            idempotencyKey: "Idempotency-Key",
          },
        },
      );
      const finished = yield* pollUntilFinished(principal, task, options);
      const ids = { "x-tally-task-id": finished.id };
      switch (finished.state._tag) {
        case "Succeeded": {
          const reportId = finished.state.reportId;
          const { meta, content } = yield* readReport(principal, reportId);
          return HttpServerResponse.stream(content, {
            status: 200,
            contentType: meta.contentType,
            contentLength: meta.byteSize,
            headers: {
              ...ids,
              "x-tally-report-id": reportId,
              "content-disposition": attachment(meta.fileName),
              etag: `"${meta.sha256}"`,
              "cache-control": "no-store",
            },
          });
        }
        case "Failed":
          return yield* new HttpProblem({
            kind: "report-task-failed",
            detail: `the report task '${finished.id}' failed (${finished.state.error.code}); see /v1/tasks/${finished.id}`,
            headers: ids,
          });
        case "Cancelled":
          return yield* new HttpProblem({
            kind: "report-task-failed",
            status: 409,
            detail: `the report task '${finished.id}' was cancelled before it finished`,
            headers: ids,
          });
        default:
          return yield* new HttpProblem({
            kind: "report-not-ready",
            detail: `the report is still being generated after ${Math.round(options.timeoutMs / 1000)} s; its task '${finished.id}' keeps running — fetch it from /v1/tasks/${finished.id}`,
            headers: {
              ...ids,
              "retry-after": "30",
              location: `/v1/tasks/${encodeURIComponent(finished.id)}`,
            },
          });
      }
    }),
  doc: {
    operationId: "generateLicenseOverview",
    summary: "Generate a license overview report and receive the file",
    description:
      "Runs the report as a task and waits for it; the response body is the PDF or CSV with " +
      "`Content-Disposition: attachment`, plus `X-Tally-Report-Id` and `X-Tally-Task-Id`. " +
      "`startTime`/`endTime` carry `Z` or an offset (a time without one is read in `timezone`). " +
      "Errors carry the vendor's `message` and `errorCode` inside problem details.",
    tags: ["License overview (vendor API v6)"],
    requestBody: {
      content: {
        "application/json": {
          schema: GenerateLicenseOverviewBody,
          example: {
            startTime: "2022-02-03T19:21:24.912Z",
            endTime: "2022-03-03T19:21:24.912Z",
            format: "PDF",
            timezone: "UTC",
          },
        },
      },
    },
    responses: {
      "200": {
        description: "The report file",
        headers: {
          "Content-Disposition": "attachment; filename=…",
          "X-Tally-Report-Id": "The report's id (GET /v1/reports/{id}/content fetches it again)",
          "X-Tally-Task-Id": "The task that made it",
        },
        content: { "application/pdf": {}, "text/csv": {} },
      },
      "400": {
        description:
          "ParameterValidationFailure: a malformed field, bad time zone, or startTime not before endTime",
      },
      "401": { description: "Unauthorized: no, unknown or expired token" },
      "403": { description: "ResourceAccessDenied" },
      "409": { description: "The task was cancelled (e.g. through the native API)" },
      "413": { description: "Body too large" },
      "415": { description: "The body is not JSON" },
      "500": { description: "ReportGenerationFailed: the task failed" },
      "503": { description: "The report took longer than the wait limit; the task keeps running" },
    },
  },
});
