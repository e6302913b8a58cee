/**
 * Face 1: the first vendor's API 2.0 for tenant protection reports, as its documentation
 * describes it (see `VirtualizationApi`).
 *
 * Tasks are answered in XML (the vendor's default) or JSON (`Accept: application/json`): HttpApi
 * chooses a representation by the value's Schema, not by `Accept`, so these handlers negotiate
 * and answer the response themselves; the endpoints declare both representations for the
 * document. Answers speak the vendor's state names, refusals too (`already finished (Completed)`).
 */
import {
  cancelTask,
  getReport,
  getTask,
  listTasks,
  type Principal,
  parseInstantInZone,
  type ReportTask,
  submitReport,
  TallySettings,
  type TaskStateTag,
  type TimeZoneSpec,
  zoneSelection,
} from "@tally/core";
import { Effect } from "effect";
import type { HttpServerRequest } from "effect/http";
import { HttpApiBuilder } from "effect/http-api";
import { CurrentPrincipal } from "../../api/Middleware.ts";
import { listedValues } from "../../api/Parameters.ts";
import type { VendorTaskState } from "../../api/Representations.ts";
import { TallyApi } from "../../api/TallyApi.ts";
import { HttpProblem } from "../../problems/HttpProblem.ts";
import { negotiate } from "../../protocol/ContentNegotiation.ts";
import { reportDownload } from "../../protocol/ReportDownload.ts";
import { jsonResponse, xmlResponse } from "../../protocol/Responses.ts";
import { answeredByProblems, type HandlerContext } from "../Handling.ts";
import { toVendorTask, vendorTaskListXml, vendorTaskXml } from "./VendorTask.ts";
import { tallyStatesOf, vendorState } from "./VendorTaskState.ts";

/** The media types a new report may be asked in, and the format each gives. */
const reportMediaTypes = {
  "application/csv": "csv",
  "text/csv": "csv",
  "application/pdf": "pdf",
} as const;

/** Pages of 1000 a vendor task listing reads at most (the vendor's API has no paging). */
const maxVendorListPages = 10;

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

/** A vendor parameter, `""` being the same as absent. */
const given = <A>(value: A | "" | undefined): A | undefined => (value === "" ? undefined : value);

/** `from`/`to`/`createdFrom` read in the zone (they were checked when the query was decoded). */
const instantIn = (text: string | undefined, zone: TimeZoneSpec) =>
  Effect.gen(function* () {
    if (text === undefined) return undefined;
    const settings = yield* TallySettings;
    const resolved = yield* Effect.fromResult(zoneSelection(zone, settings.localZone));
    return yield* Effect.fromResult(parseInstantInZone(text, "instant", resolved.resolved));
  });

/** Face 1 says a task has finished in the vendor's words: `(Completed)`, not `(Succeeded)`. */
const cancelInVendorTerms = (principal: Principal, id: string) =>
  cancelTask(principal, id).pipe(
    Effect.catchTag("ConflictError", () =>
      Effect.flatMap(getTask(principal, id), (task) =>
        Effect.fail(
          new HttpProblem({
            kind: "conflict",
            detail: `task '${id}' cannot be cancelled: it has already finished (${vendorState(task)})`,
          }),
        ),
      ),
    ),
  );

/** The handlers of face 1; `zone` is the face's configured zone for `from`/`to`. */
export const virtualizationHandlers = ({ paths }: HandlerContext, zone: TimeZoneSpec) =>
  HttpApiBuilder.group(TallyApi, "virtualization", (handlers) =>
    handlers
      .handle("vendorCreateTenantReport", ({ query, request }) =>
        answeredByProblems(
          Effect.gen(function* () {
            const accept = request.headers.accept;
            const mediaType = negotiate(accept, Object.keys(reportMediaTypes));
            if (mediaType === undefined) {
              return yield* new HttpProblem({
                kind: "not-acceptable",
                detail: `the report can be produced as application/csv, text/csv or application/pdf, not ${accept}`,
              });
            }
            const spec = given(query.timezone) ?? zone;
            const { task } = yield* submitReport(
              yield* CurrentPrincipal,
              {
                type: "CreateTenantReport",
                start: yield* instantIn(given(query.from), spec),
                end: yield* instantIn(given(query.to), spec),
                zone: spec,
                tenantId: given(query.tenantId),
                format: reportMediaTypes[mediaType as keyof typeof reportMediaTypes],
              },
              {
                idempotencyKey: request.headers["idempotency-key"],
                fieldNames: submissionFieldNames,
              },
            );
            return taskResponse(request, task, 202, { location: paths.vendorTask(task.id) });
          }),
        ),
      )
      .handle("vendorGetTask", ({ params, request }) =>
        answeredByProblems(
          Effect.map(
            Effect.flatMap(Effect.service(CurrentPrincipal), (p) => getTask(p, params.id)),
            (task) => taskResponse(request, task, 200),
          ),
        ),
      )
      .handle("vendorListTasks", ({ query, request }) =>
        answeredByProblems(
          Effect.gen(function* () {
            const principal = yield* CurrentPrincipal;
            const states = listedValues<VendorTaskState>(query.state);
            const createdFrom = yield* instantIn(given(query.createdFrom), zone);
            const coreStates: Array<TaskStateTag> | undefined =
              states === undefined ? undefined : [...new Set(states.flatMap(tallyStatesOf))];
            const tasks: Array<ReportTask> = [];
            if (coreStates === undefined || coreStates.length > 0) {
              let after: { createdAt: number; id: string } | undefined;
              for (let page = 0; page < maxVendorListPages; page++) {
                const batch = yield* listTasks(principal, {
                  states: coreStates,
                  type: query.type,
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
            return wantsJson(request)
              ? jsonResponse(visible)
              : xmlResponse(vendorTaskListXml(visible));
          }),
        ),
      )
      .handle("vendorCancelTask", ({ params, request }) =>
        answeredByProblems(
          Effect.map(
            Effect.flatMap(Effect.service(CurrentPrincipal), (p) =>
              cancelInVendorTerms(p, params.id),
            ),
            ({ task, outcome }) => taskResponse(request, task, outcome === "Cancelled" ? 200 : 202),
          ),
        ),
      )
      .handle("vendorGetTenantReport", ({ params, request }) =>
        answeredByProblems(
          Effect.gen(function* () {
            const principal = yield* CurrentPrincipal;
            const id = params.reportId;
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
        ),
      ),
  );

/** How face 1 names the fields `submitReport` checks. */
const submissionFieldNames = {
  start: "from",
  end: "to",
  zone: "timezone",
  idempotencyKey: "Idempotency-Key",
} as const;
