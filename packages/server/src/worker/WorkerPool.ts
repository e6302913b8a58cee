/**
 * The worker pool: N workers, each looping on the core's `runNextTask` (claim the oldest queued
 * task, render it with lease renewal, store the report). An idle worker sleeps by a back-off
 * `Schedule` (exponential, capped), longer the longer nothing comes, and wakes at once for a
 * shutdown.
 *
 * Shutdown is graceful: workers stop claiming, running reports may finish until the deadline,
 * then the rest are interrupted and their tasks released back to the queue (core
 * `releaseTask`) — never left Running, never half-stored (the report store writes atomically).
 */

import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { ReportTask } from "@tally/core";
import { Clock, Deferred, Duration, Effect, Fiber, Option, Schedule, Scope } from "effect";

/** How the pool runs. */
export interface WorkerPoolOptions {
  /** Concurrent workers (0: none — the pool only waits for shutdown). */
  readonly concurrency: number;
  /** First idle sleep, doubled while idle up to `maxIdleMs` (defaults 100 ms and 2 s). */
  readonly minIdleMs?: number;
  readonly maxIdleMs?: number;
}

/** What a shutdown did. */
export interface ShutdownOutcome {
  /** Workers that finished their task (or were idle) before the deadline. */
  readonly finishedInTime: boolean;
  /** Tasks given back to the queue because the deadline passed. */
  readonly released: ReadonlyArray<ReportTask>;
}

/** A running pool. */
export interface WorkerPool {
  readonly workerIds: ReadonlyArray<string>;
  /**
   * Stops claiming, waits up to `deadlineMs` for running reports, then interrupts the rest and
   * releases their tasks. Idempotent.
   */
  readonly shutdown: (deadlineMs: number) => Effect.Effect<ShutdownOutcome>;
}

/** Runs one task of the queue, if any: the core's `runNextTask` for a worker id. */
export type RunNextTask<E, R> = (
  workerId: string,
) => Effect.Effect<Option.Option<ReportTask>, E, R>;

/** A prefix that names this process in leases and logs: host, pid and a random tag. */
export const processWorkerPrefix = (): string =>
  `${hostname()}/${process.pid}/${randomBytes(3).toString("hex")}`;

/**
 * Starts the workers in the current scope. Closing the scope without `shutdown` (an abnormal
 * exit) interrupts them and still releases their tasks.
 */
export const startWorkerPool = <E, R, RR>(
  options: WorkerPoolOptions,
  runNextTask: RunNextTask<E, R>,
  release: (
    workerIds: ReadonlySet<string>,
  ) => Effect.Effect<ReadonlyArray<ReportTask>, unknown, RR>,
): Effect.Effect<WorkerPool, never, R | RR | Scope.Scope> =>
  Effect.gen(function* () {
    const prefix = processWorkerPrefix();
    const workerIds = Array.from({ length: options.concurrency }, (_, i) => `${prefix}/w${i + 1}`);
    const stopClaiming = yield* Deferred.make<void>();
    const minIdle = options.minIdleMs ?? 100;
    const maxIdle = options.maxIdleMs ?? 2_000;
    /** Idle sleeps: minIdle, doubled while nothing is queued, never above maxIdle. */
    const idleBackoff = Schedule.min([
      Schedule.exponential(Duration.millis(minIdle)),
      Schedule.spaced(Duration.millis(maxIdle)),
    ]);

    const idle = (ms: number) =>
      Deferred.await(stopClaiming).pipe(Effect.timeoutOption(Duration.millis(ms)), Effect.asVoid);

    const worker = (workerId: string) =>
      Effect.gen(function* () {
        // A fresh step per idle spell: the back-off starts over after each task.
        let backoff = yield* Schedule.toStep(idleBackoff);
        while (!(yield* Deferred.isDone(stopClaiming))) {
          const ran = yield* runNextTask(workerId).pipe(
            Effect.map((task) => ({ _tag: "Ran" as const, task })),
            Effect.catchCause((cause) =>
              Effect.logError("worker failed to run a task; retrying after a pause", cause).pipe(
                Effect.as({ _tag: "Error" as const }),
              ),
            ),
          );
          if (ran._tag === "Ran" && Option.isSome(ran.task)) {
            const task = ran.task.value;
            const failure = task.state._tag === "Failed" ? task.state.error : undefined;
            yield* (failure === undefined ? Effect.logInfo : Effect.logWarning)(
              "task finished",
            ).pipe(
              Effect.annotateLogs({
                taskId: task.id,
                state: task.state._tag,
                type: task.type,
                attempts: task.attempts,
                ...(failure === undefined
                  ? {}
                  : { errorCode: failure.code, error: failure.message }),
              }),
            );
            backoff = yield* Schedule.toStep(idleBackoff);
            continue;
          }
          const [, delay] = yield* Effect.orDie(backoff(yield* Clock.currentTimeMillis, undefined));
          yield* idle(ran._tag === "Error" ? maxIdle : Duration.toMillis(delay));
        }
      }).pipe(Effect.annotateLogs({ workerId }));

    const runtimeScope = yield* Scope.Scope;
    const fibers = yield* Effect.forEach(workerIds, (id) =>
      Effect.forkIn(worker(id), runtimeScope),
    );
    if (workerIds.length > 0) {
      yield* Effect.logInfo(`started ${workerIds.length} report workers`).pipe(
        Effect.annotateLogs({ workerIdPrefix: prefix }),
      );
    }

    const context = yield* Effect.context<RR>();
    const releaseAll = release(new Set(workerIds)).pipe(
      Effect.provideContext(context),
      Effect.catchCause((cause) =>
        Effect.logError("could not release held tasks; their leases will expire", cause).pipe(
          Effect.as([] as ReadonlyArray<ReportTask>),
        ),
      ),
    );

    let outcome: ShutdownOutcome | undefined;
    const shutdown = (deadlineMs: number): Effect.Effect<ShutdownOutcome> =>
      Effect.suspend(() => {
        if (outcome !== undefined) return Effect.succeed(outcome);
        return Effect.gen(function* () {
          yield* Deferred.succeed(stopClaiming, undefined);
          const joined = yield* Fiber.joinAll(fibers).pipe(
            Effect.timeoutOption(Duration.millis(deadlineMs)),
          );
          const finishedInTime = Option.isSome(joined);
          if (!finishedInTime) {
            yield* Effect.logWarning(
              `shutdown deadline of ${deadlineMs} ms passed; interrupting running reports`,
            );
            yield* Fiber.interruptAll(fibers);
          }
          const released = yield* releaseAll;
          outcome = { finishedInTime, released };
          return outcome;
        }).pipe(Effect.uninterruptible);
      });

    yield* Effect.addFinalizer(() =>
      outcome !== undefined
        ? Effect.void
        : Deferred.succeed(stopClaiming, undefined).pipe(
            Effect.andThen(Fiber.interruptAll(fibers)),
            Effect.andThen(releaseAll),
          ),
    );

    return { workerIds, shutdown };
  });
