/**
 * Gives back the tasks this process's workers still hold, when a shutdown deadline passes with
 * reports unfinished: each goes back to the queue (or to Cancelled, if cancellation was asked),
 * so another worker runs it from the start instead of waiting for the lease to expire.
 * The rule is the core's `releaseTask`; this only finds the tasks and stores the result.
 */
import { Clock, type ReportTask, releaseTask, type StorageError, TaskStore } from "@tally/core";
import { Effect, Result } from "effect";

const pageSize = 200;

/** Running tasks whose lease is held by one of `workerIds`. */
const heldBy = (workerIds: ReadonlySet<string>) =>
  Effect.gen(function* () {
    const tasks = yield* TaskStore;
    const held: ReportTask[] = [];
    let after: { createdAt: number; id: string } | undefined;
    for (;;) {
      const page = yield* tasks.list({ states: ["Running"], after, limit: pageSize });
      for (const task of page) {
        if (task.lease !== null && workerIds.has(task.lease.workerId)) held.push(task);
      }
      const last = page[page.length - 1];
      if (page.length < pageSize || last === undefined) return held;
      after = { createdAt: last.createdAt, id: last.id };
    }
  });

/**
 * Releases every task held by these workers; returns the tasks as released. A task someone
 * else changed meanwhile (a cancel request) is read again and retried; a lease already lost is
 * left to the sweeper.
 */
export const releaseHeldTasks = (
  workerIds: ReadonlySet<string>,
): Effect.Effect<ReadonlyArray<ReportTask>, StorageError, TaskStore | Clock> =>
  Effect.gen(function* () {
    const tasks = yield* TaskStore;
    const clock = yield* Clock;
    const released: ReportTask[] = [];
    for (const held of yield* heldBy(workerIds)) {
      let current: ReportTask = held;
      for (let attempt = 0; attempt < 5; attempt++) {
        const workerId = current.lease?.workerId;
        if (workerId === undefined || !workerIds.has(workerId)) break;
        const next = releaseTask(current, { workerId, now: yield* clock.now });
        if (Result.isFailure(next)) break;
        if (yield* tasks.replace(next.success)) {
          released.push(next.success);
          yield* Effect.logInfo("task released").pipe(
            Effect.annotateLogs({
              taskId: next.success.id,
              workerId,
              state: next.success.state._tag,
            }),
          );
          break;
        }
        const fresh = yield* tasks.get(current.id);
        if (fresh._tag === "None") break;
        current = fresh.value;
      }
    }
    return released;
  });
