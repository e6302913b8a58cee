/**
 * Native tasks: read one, list with filters and keyset pagination (an opaque cursor), cancel.
 */
import { cancelTask, getTask, listTasks, type TaskStateTag } from "@tally/core";
import { Effect } from "effect";
import { HttpApiBuilder } from "effect/http-api";
import { CurrentPrincipal } from "../../api/Middleware.ts";
import { listedValues } from "../../api/Parameters.ts";
import { TallyApi } from "../../api/TallyApi.ts";
import { jsonResponse } from "../../protocol/Responses.ts";
import { answeredByProblems, type HandlerContext } from "../Handling.ts";
import { keysetPage } from "./KeysetPage.ts";
import { taskJson } from "./NativeRepresentations.ts";
import { encodeCursor } from "./PageCursor.ts";
import { pageRequest } from "./PageRequest.ts";

/** The handlers of the `tasks` group. */
export const taskHandlers = ({ options, paths }: HandlerContext) =>
  HttpApiBuilder.group(TallyApi, "tasks", (handlers) =>
    handlers
      .handle("getTask", ({ params }) =>
        answeredByProblems(
          Effect.map(
            Effect.flatMap(Effect.service(CurrentPrincipal), (principal) =>
              getTask(principal, params.id),
            ),
            // Every client polls this: answered as the `TaskJson` it is typed to be, without
            // HttpApi encoding (and so checking) Tally's own value again (~25 µs a read).
            (task) => jsonResponse(taskJson(task, paths)),
          ),
        ),
      )
      .handle("listTasks", ({ query }) =>
        answeredByProblems(
          Effect.gen(function* () {
            const principal = yield* CurrentPrincipal;
            const page = yield* pageRequest(query, options.maxPageSize, "position");
            const tasks = yield* listTasks(principal, {
              states: listedValues<TaskStateTag>(query.state),
              type: query.type,
              createdFrom: query.createdFrom,
              after: page.after,
              limit: page.limit,
              tenantScope: query.tenantId,
            });
            return yield* keysetPage(
              tasks,
              page.limit,
              paths,
              (task) => taskJson(task, paths),
              encodeCursor,
            );
          }),
        ),
      )
      .handle("cancelTask", ({ params }) =>
        answeredByProblems(
          Effect.gen(function* () {
            const { task, outcome } = yield* cancelTask(yield* CurrentPrincipal, params.id);
            // Both outcomes are a task: HttpApi cannot tell 200 from 202 by the value, so the
            // status is set here (the schemas still document both).
            return jsonResponse(taskJson(task, paths), {
              status: outcome === "Cancelled" ? 200 : 202,
            });
          }),
        ),
      ),
  );
