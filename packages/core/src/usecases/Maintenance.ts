/**
 * Housekeeping: requeue (or fail) tasks whose worker stopped renewing its lease and delete
 * reports past their retention (both on a timer), and give back the tasks a process's workers
 * still hold when it stops before they finish.
 */
import { Effect, Result } from "effect";
import type { StorageError } from "../domain/errors.ts";
import type { ReportTask } from "../domain/ReportTask.ts";
import { expireLease, releaseTask } from "../domain/TaskLifecycle.ts";
import { Clock } from "../ports/Clock.ts";
import { ReportStore } from "../ports/ReportStore.ts";
import { TaskStore } from "../ports/TaskStore.ts";
import { updateStoredTask } from "./TaskUpdate.ts";

/** Options of `sweepExpiredLeases`. */
export interface SweepOptions {
  /** The most tasks handled in one sweep (default 500); the next sweep takes the rest. */
  readonly limit?: number | undefined;
}

/**
 * Handles every running task whose lease expired: Queued again, Cancelled if cancellation was
 * asked, or Failed with `AttemptsExhausted` after its last attempt. A task that changed in the
 * meantime (its worker renewed after all) is left alone. Returns how many tasks changed.
 */
export const sweepExpiredLeases = (
  options: SweepOptions = {},
): Effect.Effect<number, StorageError, TaskStore | Clock> =>
  Effect.gen(function* () {
    const tasks = yield* TaskStore;
    const now = yield* (yield* Clock).now;
    const expired = yield* tasks.listExpiredLeases(now, options.limit ?? 500);
    let changed = 0;
    for (const task of expired) {
      const next = expireLease(task, { now });
      if (Result.isSuccess(next) && (yield* tasks.replace(next.success))) changed++;
    }
    return changed;
  });

/** Deletes every report whose retention has passed; returns how many. */
export const deleteExpiredReports = (): Effect.Effect<number, StorageError, ReportStore | Clock> =>
  Effect.gen(function* () {
    const now = yield* (yield* Clock).now;
    return yield* (yield* ReportStore).deleteExpired(now);
  });

/** Running tasks are looked through in pages of this size when releasing held ones. */
const releasePageSize = 200;

/** The running tasks whose lease one of `workerIds` holds. */
const tasksHeldBy = (
  workerIds: ReadonlySet<string>,
): Effect.Effect<ReadonlyArray<ReportTask>, StorageError, TaskStore> =>
  Effect.gen(function* () {
    const tasks = yield* TaskStore;
    const held: Array<ReportTask> = [];
    let after: { readonly createdAt: number; readonly id: string } | undefined;
    for (;;) {
      const page = yield* tasks.list({ states: ["Running"], after, limit: releasePageSize });
      for (const task of page) {
        if (task.lease !== null && workerIds.has(task.lease.workerId)) held.push(task);
      }
      const last = page[page.length - 1];
      if (page.length < releasePageSize || last === undefined) return held;
      after = { createdAt: last.createdAt, id: last.id };
    }
  });

/**
 * Gives back every task held by these workers (a shutdown whose deadline passed, an
 * interrupted command): each goes back to the queue, or to Cancelled if cancellation was
 * asked (the rule is `releaseTask`), so another worker runs it from the start instead of
 * waiting for the lease to expire. A task changed meanwhile is read again and retried
 * (`updateStoredTask`); one whose lease is already lost is left to the sweeper. Returns the
 * tasks as released.
 */
export const releaseHeldTasks = (
  workerIds: ReadonlySet<string>,
): Effect.Effect<ReadonlyArray<ReportTask>, StorageError, TaskStore | Clock> =>
  Effect.gen(function* () {
    const clock = yield* Clock;
    const released: Array<ReportTask> = [];
    for (const held of yield* tasksHeldBy(workerIds)) {
      const workerId = held.lease?.workerId ?? "";
      const now = yield* clock.now;
      // Released only while `workerId` still holds the lease: `releaseTask` refuses otherwise.
      const task = yield* updateStoredTask(held.id, (current) =>
        releaseTask(current, { workerId, now }),
      ).pipe(
        Effect.catchTags({
          LeaseLostError: () => Effect.succeed(undefined),
          NotFoundError: () => Effect.succeed(undefined),
        }),
      );
      if (task === undefined) continue;
      released.push(task);
      yield* Effect.logInfo("task released").pipe(
        Effect.annotateLogs({ taskId: task.id, workerId, state: task.state._tag }),
      );
    }
    return released;
  });
