/**
 * Housekeeping the workers run on a timer: requeue (or fail) tasks whose worker stopped
 * renewing its lease, and delete reports past their retention.
 */
import { Effect, Result } from "effect";
import type { StorageError } from "../domain/errors.ts";
import { expireLease } from "../domain/TaskLifecycle.ts";
import { Clock } from "../ports/Clock.ts";
import { ReportStore } from "../ports/ReportStore.ts";
import { TaskStore } from "../ports/TaskStore.ts";

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
