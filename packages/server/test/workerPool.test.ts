/**
 * The worker pool: every queued task is run once by some worker; a shutdown stops claiming at
 * once, lets running tasks finish until the deadline, and past it interrupts them and gives
 * their tasks back to the queue (and only this process's tasks).
 */
import {
  type Clock,
  claimTask,
  InMemory,
  newTask,
  type ReportTask,
  releaseHeldTasks,
  type StorageError,
  succeedTask,
  TaskStore,
  type TenantReportRequest,
} from "@tally/core";
import { Deferred, Effect, Option, Result, type Scope } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type RunNextTask,
  startWorkerPool,
  type WorkerPool,
  type WorkerPoolOptions,
} from "../src/worker/WorkerPool.ts";
import { quiet } from "./support/quiet.ts";

const request: TenantReportRequest = {
  _tag: "TenantReport",
  interval: { start: 0, end: 1_000 },
  zone: { spec: "UTC", resolved: { _tag: "Fixed", offsetMinutes: 0 } },
  tenant: { _tag: "AllTenants" },
  format: "csv",
  variant: "detail",
  columns: "vendor",
  separator: ";",
};

const taskNumbered = (n: number): ReportTask =>
  newTask({
    id: `task-${n}`,
    type: "CreateTenantReport",
    request,
    principal: { id: "admin", role: "Administrator", tenantId: null },
    tenantScope: null,
    now: n,
    maxAttempts: 3,
    idempotencyKey: null,
  });

/** Runs a test program without log output. */
const runQuiet = <A, E>(effect: Effect.Effect<A, E>): Promise<A> =>
  Effect.runPromise(quiet(effect));

const noRelease = () => Effect.succeed([] as ReadonlyArray<ReportTask>);
const fast = { minIdleMs: 1, maxIdleMs: 5 };

/** How a pool is started over the task store: the real one, or a broken one built around it. */
type StartPool = (
  options: WorkerPoolOptions,
  runNextTask: RunNextTask<StorageError, never>,
  release: typeof releaseHeldTasks,
) => Effect.Effect<WorkerPool, never, TaskStore | Clock | Scope.Scope>;

/** How long a render takes: long enough that a shutdown finds one running. */
const renderMs = 5;

/** Generous bounds for a loaded machine: they only end a wait that would otherwise hang. */
const shutdownDeadlineMs = 30_000;
const drainDeadlineMs = 30_000;

/**
 * Runs `tasks` queued tasks through two pools in turn, as two processes would: the first is
 * shut down right after its `stopAfter`-th claim (with renders still running), the second
 * drains what is left. Claims go through the real task store: a claimed task is not offered
 * again unless someone releases it before its result is recorded. Returns, per task id, how
 * many renders ran to their end.
 */
const runTwoPools = (
  startPool: StartPool,
  workers: number,
  tasks: number,
  stopAfter: number,
): Promise<Record<string, number>> =>
  runQuiet(
    Effect.gen(function* () {
      const store = yield* TaskStore;
      for (let n = 0; n < tasks; n++) yield* store.insert(taskNumbered(n));
      const rendered: Record<string, number> = {};
      let claims = 0;
      const stopPoint = yield* Deferred.make<void>();
      if (stopAfter === 0) yield* Deferred.succeed(stopPoint, undefined);

      const runNext = (workerId: string) =>
        Effect.gen(function* () {
          const claimed = yield* store.claimNext((task) =>
            Result.getOrThrow(claimTask(task, { workerId, now: Date.now(), leaseMs: 600_000 })),
          );
          if (Option.isNone(claimed)) return Option.none<ReportTask>();
          const id = claimed.value.id;
          if (++claims === stopAfter) yield* Deferred.succeed(stopPoint, undefined);
          yield* Effect.sleep(`${renderMs} millis`);
          // The render's effect (a report written) and its record happen together or not at all.
          return yield* Effect.uninterruptible(
            Effect.gen(function* () {
              rendered[id] = (rendered[id] ?? 0) + 1;
              const current = Option.getOrThrow(yield* store.get(id));
              const done = succeedTask(current, { workerId, now: Date.now(), reportId: id });
              // A lost lease (the task was given back meanwhile) leaves the record to its holder.
              if (Result.isSuccess(done)) yield* store.replace(done.success);
              return Option.some(current);
            }),
          );
        });

      /** One process: a pool that runs until `stopWhen` is done, then shuts down. */
      const runProcess = (stopWhen: (pool: WorkerPool) => Effect.Effect<void, StorageError>) =>
        Effect.scoped(
          Effect.gen(function* () {
            const pool = yield* startPool(
              { concurrency: workers, ...fast },
              runNext,
              releaseHeldTasks,
            );
            yield* stopWhen(pool);
            yield* pool.shutdown(shutdownDeadlineMs);
          }),
        );
      yield* runProcess(() => Deferred.await(stopPoint));
      yield* runProcess((pool) =>
        Effect.gen(function* () {
          const mine = new Set(pool.workerIds);
          // Done when nothing is queued and nothing is running in this pool's workers (tasks
          // stuck with the first pool's workers stay so: nobody will run them).
          const busy = Effect.map(store.list({ limit: 1_000 }), (all) =>
            all.some(
              (task) =>
                task.state._tag === "Queued" ||
                (task.state._tag === "Running" && mine.has(task.lease?.workerId ?? "")),
            ),
          );
          const deadline = Date.now() + drainDeadlineMs;
          while ((yield* busy) && Date.now() < deadline) yield* Effect.sleep("2 millis");
        }),
      );
      return rendered;
    }).pipe(Effect.provide(InMemory.layer)),
  );

/** Every task of `tasks`, rendered once. */
const eachOnce = (tasks: number): Record<string, number> =>
  Object.fromEntries(Array.from({ length: tasks }, (_, n) => [`task-${n}`, 1]));

/** The property: whatever the workers and the moment of the first shutdown, each task ran once. */
const exactlyOnce = (startPool: StartPool) =>
  fc.asyncProperty(
    fc.integer({ min: 1, max: 6 }),
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 1, max: 25 }),
    async (workers, tasks, stop) => {
      const stopAfter = Math.min(stop, tasks);
      const rendered = await runTwoPools(startPool, workers, tasks, stopAfter);
      expect(rendered, "each task ran exactly once").toEqual(eachOnce(tasks));
    },
  );

/** The renders counted in a failed run of the property (the assertion's actual value). */
const renderedIn = (error: unknown): Record<string, number> =>
  (error as { readonly actual: Record<string, number> }).actual;

/** Checks the property against a broken pool: it must fail, on the exactly-once assertion. */
const checkBroken = async (startPool: StartPool) => {
  const outcome = await fc.check(exactlyOnce(startPool), { numRuns: 30, endOnFailure: true });
  expect(outcome).toMatchObject({ failed: true });
  expect(String(outcome.errorInstance)).toContain("each task ran exactly once");
  return outcome;
};

/** A pool that gives its workers' tasks back before waiting for them: they run again. */
const releasesRunningTasks: StartPool = (options, runNextTask, release) =>
  Effect.gen(function* () {
    const pool = yield* startWorkerPool(options, runNextTask, release);
    const services = yield* Effect.context<TaskStore | Clock>();
    return {
      ...pool,
      shutdown: (deadlineMs) =>
        release(new Set(pool.workerIds)).pipe(
          Effect.provideContext(services),
          Effect.ignore,
          Effect.andThen(pool.shutdown(deadlineMs)),
        ),
    };
  });

/** A pool that ignores the deadline and gives nothing back: running tasks are lost. */
const dropsRunningTasks: StartPool = (options, runNextTask) =>
  Effect.map(startWorkerPool(options, runNextTask, noRelease), (pool) => ({
    ...pool,
    shutdown: () => pool.shutdown(0),
  }));

describe("the worker pool", () => {
  it("runs every queued task exactly once, whatever the number of workers and the moment of a shutdown", async () => {
    await fc.assert(exactlyOnce(startWorkerPool), { numRuns: 30 });
  });

  it("the exactly-once property fails for a pool that gives back tasks it is still running", async () => {
    const outcome = await checkBroken(releasesRunningTasks);
    expect(Object.values(renderedIn(outcome.errorInstance))).toContain(2);
  });

  it("the exactly-once property fails for a pool that drops the tasks running at a shutdown", async () => {
    const outcome = await checkBroken(dropsRunningTasks);
    const [, tasks] = outcome.counterexample ?? [];
    expect(Object.keys(renderedIn(outcome.errorInstance)).length).toBeLessThan(tasks ?? 0);
  });

  it("claims nothing once a shutdown has begun", async () => {
    let claims = 0;
    let claimsAtShutdown = -1;
    const runNext = () =>
      Effect.sync(() => {
        claims++;
        return Option.none<ReportTask>();
      });
    await runQuiet(
      Effect.scoped(
        Effect.gen(function* () {
          const pool = yield* startWorkerPool({ concurrency: 3, ...fast }, runNext, noRelease);
          yield* Effect.sleep("30 millis");
          const shutdown = pool.shutdown(1_000);
          claimsAtShutdown = claims;
          yield* shutdown;
          yield* Effect.sleep("30 millis");
        }),
      ),
    );
    expect(claimsAtShutdown).toBeGreaterThan(0);
    expect(claims).toBe(claimsAtShutdown);
  });

  it("lets a running task finish within the deadline, releasing nothing", async () => {
    const events: Array<string> = [];
    const started = Deferred.makeUnsafe<void>();
    let handedOut = false;
    const runNext = () =>
      Effect.suspend(() => {
        if (handedOut) return Effect.succeed(Option.none<ReportTask>());
        handedOut = true;
        return Deferred.succeed(started, undefined).pipe(
          Effect.andThen(Effect.sleep("100 millis")),
          Effect.tap(() => Effect.sync(() => events.push("finished"))),
          Effect.as(Option.some(taskNumbered(1))),
        );
      });
    const outcome = await runQuiet(
      Effect.scoped(
        Effect.gen(function* () {
          const pool = yield* startWorkerPool({ concurrency: 1, ...fast }, runNext, () =>
            Effect.sync(() => {
              events.push("released");
              return [] as ReadonlyArray<ReportTask>;
            }),
          );
          yield* Deferred.await(started);
          return yield* pool.shutdown(shutdownDeadlineMs);
        }),
      ),
    );
    expect(outcome).toEqual({ finishedInTime: true, released: [] });
    // Release is still asked, after the task finished (it finds nothing held by then).
    expect(events).toEqual(["finished", "released"]);
  });
});

describe("past the shutdown deadline", () => {
  it("interrupts a running task and gives it back to the queue, without using up an attempt", async () => {
    const result = await runQuiet(
      Effect.gen(function* () {
        const tasks = yield* TaskStore;
        yield* tasks.insert(taskNumbered(1));
        const claimedBy = Deferred.makeUnsafe<string>();
        // A worker that claims through the real store, then renders "forever".
        const runNext = (workerId: string) =>
          Effect.gen(function* () {
            const claimed = yield* tasks.claimNext((task) =>
              Result.getOrThrow(claimTask(task, { workerId, now: Date.now(), leaseMs: 60_000 })),
            );
            if (Option.isNone(claimed)) return Option.none<ReportTask>();
            yield* Deferred.succeed(claimedBy, workerId);
            return yield* Effect.never;
          });
        const outcome = yield* Effect.scoped(
          Effect.gen(function* () {
            const pool = yield* startWorkerPool(
              { concurrency: 2, ...fast },
              runNext,
              releaseHeldTasks,
            );
            yield* Deferred.await(claimedBy);
            return yield* pool.shutdown(50);
          }),
        );
        return { outcome, stored: Option.getOrThrow(yield* tasks.get("task-1")) };
      }).pipe(Effect.provide(InMemory.layer)),
    );
    expect(result.outcome).toMatchObject({ finishedInTime: false });
    expect(result.outcome.released.map((t) => t.id)).toEqual(["task-1"]);
    expect(result.stored).toMatchObject({
      state: { _tag: "Queued" },
      lease: null,
      progress: 0,
      attempts: 0,
    });
  });

  it("releases only the tasks of this process's workers", async () => {
    const stored = await runQuiet(
      Effect.gen(function* () {
        const tasks = yield* TaskStore;
        for (const n of [1, 2]) yield* tasks.insert(taskNumbered(n));
        for (const workerId of ["mine/w1", "theirs/w1"]) {
          yield* tasks.claimNext((task) =>
            Result.getOrThrow(claimTask(task, { workerId, now: Date.now(), leaseMs: 60_000 })),
          );
        }
        const released = yield* releaseHeldTasks(new Set(["mine/w1"]));
        return {
          released: released.map((t) => t.id),
          one: Option.getOrThrow(yield* tasks.get("task-1")),
          two: Option.getOrThrow(yield* tasks.get("task-2")),
        };
      }).pipe(Effect.provide(InMemory.layer)),
    );
    expect(stored.released).toEqual(["task-1"]);
    expect(stored.one.state._tag).toBe("Queued");
    expect(stored.two.state._tag).toBe("Running");
    expect(stored.two.lease?.workerId).toBe("theirs/w1");
  });
});
