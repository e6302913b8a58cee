/**
 * Face 2: `POST /v6/Reports/GenerateLicenseOverview`, the second vendor's synchronous license
 * overview. The body `{startTime, endTime, format: "PDF"|"CSV", timezone?}` (timezone omitted
 * → UTC) becomes an ordinary report task; the request waits for it (polling on a `Schedule`)
 * and answers 200 with the file, its `Content-Disposition`, and the report and task ids in
 * `X-Tally-Report-Id` / `X-Tally-Task-Id` (the native API can fetch it again). If the client
 * goes away, only the waiting stops: the task still completes.
 *
 * The vendor's API has no tenant parameter: what a caller may see is the core's default (a
 * tenant operator gets the organizations of its own tenant, an administrator all of them).
 */
import {
  decodeWithIssues,
  getTask,
  isTerminal,
  type Principal,
  parseInstantInZone,
  type ReportTask,
  readReport,
  submitReport,
  TallySettings,
  zoneSelection,
} from "@tally/core";
import { Duration, Effect, Schedule } from "effect";
import { type HttpServerRequest, HttpServerResponse } from "effect/http";
import { CurrentPrincipal } from "../../api/Middleware.ts";
import { GenerateLicenseOverviewBody } from "../../api/VendorApis.ts";
import { HttpProblem } from "../../problems/HttpProblem.ts";
import { attachment } from "../../protocol/ContentDisposition.ts";
import { readJsonBody } from "../../protocol/RequestBody.ts";
import type { Paths } from "../Paths.ts";

/** How long to wait and how often to look. */
export interface SyncWaitOptions {
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly maxBodyBytes: number;
}

/** The task once finished, or as it is when the wait limit has passed. */
const waitForTask = (principal: Principal, task: ReportTask, options: SyncWaitOptions) =>
  getTask(principal, task.id).pipe(
    Effect.repeat({
      schedule: Schedule.spaced(Duration.millis(options.pollMs)).pipe(
        Schedule.upTo({ duration: Duration.millis(options.timeoutMs) }),
      ),
      until: (current) => isTerminal(current.state),
    }),
  );

/** How the vendor's body names the fields `submitReport` checks. */
const submissionFieldNames = {
  start: "startTime",
  end: "endTime",
  zone: "timezone",
  idempotencyKey: "Idempotency-Key",
} as const;

/** The GenerateLicenseOverview handler. */
export const generateLicenseOverview =
  (options: SyncWaitOptions, paths: Paths) =>
  ({ request }: { readonly request: HttpServerRequest.HttpServerRequest }) =>
    Effect.gen(function* () {
      const principal = yield* CurrentPrincipal;
      const json = yield* readJsonBody(request, options.maxBodyBytes);
      const body = yield* Effect.fromResult(
        decodeWithIssues(GenerateLicenseOverviewBody, json, { unknownFields: "ignore" }),
      );
      const zone = body.timezone ?? { _tag: "Utc" as const };
      const settings = yield* TallySettings;
      const selection = yield* Effect.fromResult(zoneSelection(zone, settings.localZone));
      const inZone = (text: string, field: string) =>
        Effect.fromResult(parseInstantInZone(text, field, selection.resolved));
      const { task } = yield* submitReport(
        principal,
        {
          type: "CreateLicenseOverviewReport",
          start: yield* inZone(body.startTime, "startTime"),
          end: yield* inZone(body.endTime, "endTime"),
          zone,
          format: body.format === "PDF" ? "pdf" : "csv",
        },
        {
          idempotencyKey: request.headers["idempotency-key"],
          fieldNames: submissionFieldNames,
        },
      );
      const finished = yield* waitForTask(principal, task, options);
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
            detail: `the report task '${finished.id}' failed (${finished.state.error.code}); see ${paths.task(finished.id)}`,
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
            detail: `the report is still being generated after ${Math.round(options.timeoutMs / 1000)} s; its task '${finished.id}' keeps running — fetch it from ${paths.task(finished.id)}`,
            headers: { ...ids, "retry-after": "30", location: paths.task(finished.id) },
          });
      }
    });
