/**
 * Native tasks: read one, list with filters and keyset pagination (an opaque cursor), cancel.
 */
import {
  cancelTask,
  getTask,
  listTasks,
  type ReportTask,
  type TaskType,
  taskStateTags,
} from "@tally/core";
import { Effect, Result } from "effect";
import { validationProblem } from "../../problems/HttpProblem.ts";
import {
  enumListQuery,
  enumQuery,
  limitQuery,
  singleQuery,
} from "../../protocol/QueryParameters.ts";
import { jsonResponse } from "../../protocol/Responses.ts";
import { parseOffsetTimestamp } from "../../protocol/WireInstant.ts";
import type { AuthenticatedRoute, CoreServices } from "../../routing/Route.ts";
import { pageJson } from "./KeysetPage.ts";
import { taskJson } from "./NativeRepresentations.ts";
import { decodeCursor } from "./PageCursor.ts";

const tags = ["Tasks"];
const taskTypes: ReadonlyArray<TaskType> = ["CreateTenantReport", "CreateLicenseOverviewReport"];

/** The native task routes. */
export const taskRoutes = (
  maxPageSize: number,
): ReadonlyArray<AuthenticatedRoute<CoreServices>> => [
  {
    method: "GET",
    path: "/v1/tasks/{id}",
    face: "native",
    access: "authenticated",
    handle: ({ params, principal }) =>
      Effect.map(getTask(principal, params.id as string), (task) => jsonResponse(taskJson(task))),
    doc: {
      operationId: "getTask",
      summary: "A report task",
      tags,
      responses: {
        "200": { description: "The task", content: { "application/json": {} } },
        "401": { description: "No, unknown or expired credentials" },
        "404": { description: "No such task (or not visible to the caller)" },
      },
    },
  },
  {
    method: "GET",
    path: "/v1/tasks",
    face: "native",
    access: "authenticated",
    handle: ({ url, principal }) =>
      Effect.gen(function* () {
        const states = yield* enumListQuery(url, "state", taskStateTags);
        const type = yield* enumQuery(url, "type", taskTypes);
        const limit = yield* limitQuery(url, 100, maxPageSize);
        const cursorText = yield* singleQuery(url, "cursor");
        const after = cursorText === undefined ? undefined : yield* decodeCursor(cursorText);
        const tenantScope = yield* singleQuery(url, "tenantId");
        const createdFromText = yield* singleQuery(url, "createdFrom");
        let createdFrom: number | undefined;
        if (createdFromText !== undefined) {
          const parsed = parseOffsetTimestamp(createdFromText, "createdFrom");
          if (Result.isFailure(parsed)) return yield* validationProblem(parsed.failure.issues);
          createdFrom = parsed.success;
        }
        const tasks = yield* listTasks(principal, {
          states,
          type,
          createdFrom,
          after,
          limit,
          tenantScope,
        });
        return pageJson<ReportTask>(tasks, limit, url, taskJson);
      }),
    doc: {
      operationId: "listTasks",
      summary: "The tasks the caller may see, oldest first",
      tags,
      parameters: [
        {
          name: "state",
          in: "query",
          description: `State(s), comma-separated: ${taskStateTags.join(", ")}`,
        },
        { name: "type", in: "query", description: taskTypes.join(" or ") },
        {
          name: "createdFrom",
          in: "query",
          description: "Only tasks created at or after this ISO 8601 timestamp",
        },
        {
          name: "tenantId",
          in: "query",
          description: "Administrators: only tasks scoped to this tenant",
        },
        { name: "limit", in: "query", description: `Page size, 1 to ${maxPageSize} (default 100)` },
        { name: "cursor", in: "query", description: "`nextCursor` of the previous page" },
      ],
      responses: {
        "200": {
          description: "`{items, nextCursor}`; `nextCursor` is null on the last page",
          headers: { Link: '`<…&cursor=…>; rel="next"` when there may be more' },
          content: { "application/json": {} },
        },
        "400": { description: "A malformed filter, limit or cursor" },
        "401": { description: "No, unknown or expired credentials" },
        "403": { description: "An operator asking for another tenant" },
      },
    },
  },
  {
    method: "POST",
    path: "/v1/tasks/{id}/cancel",
    face: "native",
    access: "authenticated",
    handle: ({ params, principal }) =>
      Effect.map(cancelTask(principal, params.id as string), ({ task, outcome }) =>
        jsonResponse(taskJson(task), { status: outcome === "Cancelled" ? 200 : 202 }),
      ),
    doc: {
      operationId: "cancelTask",
      summary: "Cancel a task",
      tags,
      responses: {
        "200": { description: "Cancelled (it was queued)", content: { "application/json": {} } },
        "202": {
          description: "Stopping: the worker stops at its next step",
          content: { "application/json": {} },
        },
        "401": { description: "No, unknown or expired credentials" },
        "404": { description: "No such task (or not visible to the caller)" },
        "409": { description: "The task has already finished" },
      },
    },
  },
];
