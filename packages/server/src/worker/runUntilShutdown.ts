/**
 * The long-running half of `serve` and `worker`: the worker pool and the sweeper, until the
 * shutdown signal; then the graceful shutdown (stop claiming, let running reports finish until
 * the deadline, release the rest). A watchdog makes sure the process ends even if closing
 * something hangs afterwards.
 */
import {
  AccountStore,
  Clock,
  deleteExpiredReports,
  type ReportStore,
  releaseHeldTasks,
  runNextTask,
  type StorageError,
  sweepExpiredLeases,
  type TaskStore,
} from "@tally/core";
import { Effect } from "effect";
import type { TallyConfig } from "../config/TallyConfig.ts";
import { type SweepJob, startSweeper } from "./Sweeper.ts";
import { startWorkerPool } from "./WorkerPool.ts";

/** Time allowed after the deadline for closing the HTTP server and the database. */
export const closingGraceMs = 10_000;

const expiredTokens = Effect.gen(function* () {
  const now = yield* (yield* Clock).now;
  return yield* (yield* AccountStore).deleteExpiredTokens(now);
});

/** The housekeeping of a Tally process. */
export const sweepJobs: ReadonlyArray<
  SweepJob<StorageError, TaskStore | ReportStore | AccountStore | Clock>
> = [
  { name: "expired leases", run: sweepExpiredLeases() },
  { name: "expired reports", run: deleteExpiredReports() },
  { name: "expired tokens", run: expiredTokens },
];

/** Runs workers and the sweeper until `shutdownSignal` completes, then shuts them down. */
export const runUntilShutdown = (config: TallyConfig, shutdownSignal: Effect.Effect<string>) =>
  Effect.gen(function* () {
    const pool = yield* startWorkerPool(
      { concurrency: config.workers },
      runNextTask,
      releaseHeldTasks,
    );
    yield* startSweeper(sweepJobs, config.sweepIntervalMs);
    const signal = yield* shutdownSignal;
    yield* Effect.logInfo(`received ${signal}; shutting down`).pipe(
      Effect.annotateLogs({ deadlineMs: config.shutdownDeadlineMs }),
    );
    // The last resort: whatever hangs after the deadline, the process still ends.
    yield* Effect.sync(() =>
      setTimeout(() => {
        process.stderr.write("shutdown did not finish in time; exiting\n");
        process.exit(1);
      }, config.shutdownDeadlineMs + closingGraceMs).unref(),
    );
    const outcome = yield* pool.shutdown(config.shutdownDeadlineMs);
    yield* Effect.logInfo(
      outcome.finishedInTime
        ? "workers stopped"
        : `workers stopped; ${outcome.released.length} unfinished tasks given back to the queue`,
    ).pipe(Effect.annotateLogs({ releasedTaskIds: outcome.released.map((t) => t.id) }));
  });
