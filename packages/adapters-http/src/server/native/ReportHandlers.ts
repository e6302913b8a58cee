/**
 * Native reports: submit any report type (202 + `Location` of the task + `Retry-After`,
 * `Idempotency-Key` honoured), list, read metadata, download (ETag, Range,
 * Content-Disposition) and delete.
 */
import { decodeWithIssues, deleteReport, getReport, listReports, submitReport } from "@tally/core";
import { Effect } from "effect";
import { HttpApiBuilder, HttpApiSchema } from "effect/http-api";
import { CurrentPrincipal } from "../../api/Middleware.ts";
import { SubmitReportBody } from "../../api/NativeApi.ts";
import { reportKinds } from "../../api/Representations.ts";
import { TallyApi } from "../../api/TallyApi.ts";
import { HttpProblem } from "../../problems/HttpProblem.ts";
import { mediaTypeOf, negotiate } from "../../protocol/ContentNegotiation.ts";
import { reportDownload } from "../../protocol/ReportDownload.ts";
import { readJsonBody } from "../../protocol/RequestBody.ts";
import { answeredByProblems, type HandlerContext } from "../Handling.ts";
import { keysetPage } from "./KeysetPage.ts";
import { reportJson, taskJson } from "./NativeRepresentations.ts";
import { encodeCursor } from "./PageCursor.ts";
import { pageRequest } from "./PageRequest.ts";

/** The handlers of the `reports` group. */
export const reportHandlers = ({ options, paths }: HandlerContext) =>
  HttpApiBuilder.group(TallyApi, "reports", (handlers) =>
    handlers
      .handleRaw("submitReport", ({ request }) =>
        answeredByProblems(
          Effect.gen(function* () {
            const principal = yield* CurrentPrincipal;
            const json = yield* readJsonBody(request, options.maxBodyBytes);
            const body = yield* Effect.fromResult(decodeWithIssues(SubmitReportBody, json));
            const { task, replayed } = yield* submitReport(
              principal,
              {
                type: reportKinds[body.type],
                start: body.start,
                end: body.end,
                zone: body.timezone ?? { _tag: "Utc" },
                tenantId: body.tenantId,
                organizationId: body.organizationId,
                format: body.format,
                variant: body.variant,
                columns: body.columns,
                separator: body.separator,
              },
              {
                idempotencyKey: request.headers["idempotency-key"],
                fieldNames: submissionFieldNames,
              },
            );
            return HttpApiSchema.withHeaders({
              body: taskJson(task, paths),
              headers: {
                location: paths.task(task.id),
                "retry-after": "1",
                ...(replayed ? { "idempotent-replayed": "true" as const } : {}),
              },
            });
          }),
        ),
      )
      .handle("listReports", ({ query }) =>
        answeredByProblems(
          Effect.gen(function* () {
            const principal = yield* CurrentPrincipal;
            const page = yield* pageRequest(query, options.maxPageSize, "position");
            const reports = yield* listReports(principal, {
              after: page.after,
              limit: page.limit,
              tenantScope: query.tenantId,
            });
            return yield* keysetPage(
              reports,
              page.limit,
              paths,
              (meta) => reportJson(meta, paths),
              encodeCursor,
            );
          }),
        ),
      )
      .handle("getReport", ({ params }) =>
        answeredByProblems(
          Effect.gen(function* () {
            return reportJson(yield* getReport(yield* CurrentPrincipal, params.id), paths);
          }),
        ),
      )
      .handle("downloadReport", ({ params, request }) =>
        answeredByProblems(
          Effect.gen(function* () {
            const principal = yield* CurrentPrincipal;
            const meta = yield* getReport(principal, params.id);
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
        ),
      )
      .handle("deleteReport", ({ params }) =>
        answeredByProblems(
          Effect.gen(function* () {
            yield* deleteReport(yield* CurrentPrincipal, params.id);
          }),
        ),
      ),
  );

/** How the native body names the fields `submitReport` checks. */
const submissionFieldNames = { zone: "timezone", idempotencyKey: "Idempotency-Key" } as const;
