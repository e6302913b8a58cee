/**
 * Reading, listing and cancelling report tasks on behalf of a principal. A task the principal
 * may not see is "not found", exactly like one that does not exist: its existence is never
 * revealed across tenants.
 */
import { Effect, Option, Result } from "effect";
import {
  ConflictError,
  type ForbiddenError,
  type IllegalTransitionError,
  NotFoundError,
  type StorageError,
  ValidationError,
} from "../domain/errors.ts";
import type { Principal } from "../domain/Principal.ts";
import type { ReportTask } from "../domain/ReportTask.ts";
import { requestCancel } from "../domain/TaskLifecycle.ts";
import { Authorizer } from "../ports/Authorizer.ts";
import { Clock } from "../ports/Clock.ts";
import { type TaskQuery, TaskStore } from "../ports/TaskStore.ts";
import { updateStoredTask } from "./TaskUpdate.ts";

/** The most tasks or reports one listing returns. */
export const maxListLimit = 1000;

/** The task, if it exists and the principal may see it; otherwise NotFoundError. */
export const getTask = (
  principal: Principal,
  id: string,
): Effect.Effect<ReportTask, NotFoundError | StorageError, TaskStore> =>
  Effect.gen(function* () {
    const task = yield* (yield* TaskStore).get(id);
    const authorizer = yield* Authorizer;
    if (Option.isNone(task) || !authorizer.canSeeTask(principal, task.value)) {
      return yield* new NotFoundError({ resource: "task", id });
    }
    return task.value;
  });

/**
 * The tasks the principal may see that match the query, ordered by creation then id. A tenant
 * operator sees its own tenant's tasks only (asking for another tenant's is refused); an
 * administrator sees all and may narrow them to one `tenantScope`. `limit`: 1 to 1000.
 */
export const listTasks = (
  principal: Principal,
  query: TaskQuery,
): Effect.Effect<
  ReadonlyArray<ReportTask>,
  ValidationError | ForbiddenError | StorageError,
  TaskStore
> =>
  Effect.gen(function* () {
    yield* Effect.fromResult(checkLimit(query.limit));
    const authorizer = yield* Authorizer;
    const tenantScope = yield* Effect.fromResult(
      authorizer.listingScopeFor(principal, query.tenantScope),
    );
    return yield* (yield* TaskStore).list({ ...query, tenantScope });
  });

/** What cancelling did: Cancelled at once (the task was queued), or Stopping (it is running). */
export type CancelOutcome = "Cancelled" | "Stopping";

/**
 * Cancels a task: a queued one at once, a running one at the worker's next progress step
 * (the vendor's "Stopping"; asking again changes nothing). A finished task is a conflict.
 */
export const cancelTask = (
  principal: Principal,
  id: string,
): Effect.Effect<
  { readonly task: ReportTask; readonly outcome: CancelOutcome },
  NotFoundError | ConflictError | StorageError,
  TaskStore | Clock
> =>
  Effect.gen(function* () {
    yield* getTask(principal, id);
    const now = yield* (yield* Clock).now;
    const task = yield* updateStoredTask(id, (current) => requestCancel(current, { now })).pipe(
      Effect.catchTag("IllegalTransitionError", (error: IllegalTransitionError) =>
        Effect.fail(
          new ConflictError({
            reason: `task '${id}' cannot be cancelled: it has already finished (${error.from})`,
          }),
        ),
      ),
    );
    return { task, outcome: task.state._tag === "Cancelled" ? "Cancelled" : "Stopping" };
  });

/** A page size: an integer from 1 to 1000. */
export const checkLimit = (limit: number): Result.Result<number, ValidationError> =>
  Number.isSafeInteger(limit) && limit >= 1 && limit <= maxListLimit
    ? Result.succeed(limit)
    : Result.fail(
        ValidationError.single("limit", `an integer from 1 to ${maxListLimit}`, String(limit)),
      );
