/**
 * The worker pool: every queued task is run once by some worker; a shutdown stops claiming at
 * once, lets running tasks finish until the deadline, and past it interrupts them and gives
 * their tasks back to the queue (and only this process's tasks).
 */
import {
  claimTask,
  InMemory,
  newTask,
  type ReportTask,
  releaseHeldTasks,
  TaskStore,
  type TenantReportRequest,
} from "@tally/core";
import { Deferred, Effect, Option, Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { startWorkerPool } from "../src/worker/WorkerPool.ts";
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

describe("the worker pool", () => {
  it("runs every queued task exactly once, whatever the number of workers", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 25 }),
        async (workers, tasks) => {
          const queue = Array.from({ length: tasks }, (_, i) => taskNumbered(i));
          const runs = new Map<string, number>();
          const runNext = () =>
            Effect.suspend(() => {
              const task = queue.shift();
              if (task === undefined) return Effect.succeed(Option.none<ReportTask>());
              runs.set(task.id, (runs.get(task.id) ?? 0) + 1);
              return Effect.as(Effect.sleep("1 millis"), Option.some(task));
            });
          await runQuiet(
            Effect.scoped(
              Effect.gen(function* () {
                const pool = yield* startWorkerPool(
                  { concurrency: workers, ...fast },
                  runNext,
                  noRelease,
                );
                while (queue.length > 0) yield* Effect.sleep("2 millis");
                const outcome = yield* pool.shutdown(1_000);
                expect(outcome).toEqual({ finishedInTime: true, released: [] });
              }),
            ),
          );
          expect([...runs.values()].every((count) => count === 1)).toBe(true);
          expect(runs.size).toBe(tasks);
        },
      ),
      { numRuns: 30 },
    );
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
    let finished = false;
    let released = false;
    const started = Deferred.makeUnsafe<void>();
    let handedOut = false;
    const runNext = () =>
      Effect.suspend(() => {
        if (handedOut) return Effect.succeed(Option.none<ReportTask>());
        handedOut = true;
        return Deferred.succeed(started, undefined).pipe(
          Effect.andThen(Effect.sleep("100 millis")),
          Effect.tap(() => Effect.sync(() => (finished = true))),
          Effect.as(Option.some(taskNumbered(1))),
        );
      });
    const outcome = await runQuiet(
      Effect.scoped(
        Effect.gen(function* () {
          const pool = yield* startWorkerPool({ concurrency: 1, ...fast }, runNext, () =>
            Effect.sync(() => {
              released = true;
              return [] as ReadonlyArray<ReportTask>;
            }),
          );
          yield* Deferred.await(started);
          return yield* pool.shutdown(5_000);
        }),
      ),
    );
    expect(outcome.finishedInTime).toBe(true);
    expect(finished).toBe(true);
    // Release is still asked (it finds nothing held by then).
    expect(released).toBe(true);
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
    expect(result.outcome.finishedInTime).toBe(false);
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
