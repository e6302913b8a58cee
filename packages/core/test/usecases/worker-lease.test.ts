/**
 * How a worker keeps its lease while a report renders: renewed on a timer every third of the
 * lease (time moved by TestClock for the timer and by the ManualClock for the lease instants),
 * a passing storage hiccup while renewing tolerated, one retrying cannot fix failing the task,
 * and a report stored after the lease was lost removed again.
 */
import { Context, Deferred, Effect, Fiber } from "effect";
import { TestClock } from "effect/testing";
import { describe, expect, it } from "vitest";
import {
  getTask,
  listReports,
  runNextTask,
  StorageError,
  submitReport,
  sweepExpiredLeases,
  TaskStore,
} from "../../src/index.ts";
import {
  acmeReport,
  admin,
  finishedTask,
  makeTestWorld,
  seedProtection,
  type TestServices,
} from "./TestWorld.ts";

/** Lets the forked worker and its heartbeat run until they wait again (no time passes). */
const letFibersRun = Effect.gen(function* () {
  for (let i = 0; i < 20; i++) yield* Effect.yieldNow;
});

describe("a worker's lease while its report renders", () => {
  it("is renewed every third of the lease, keeping the progress reported so far", async () => {
    const leaseMs = 90_000;
    const started = Deferred.makeUnsafe<void>();
    const release = Deferred.makeUnsafe<void>();
    const world = makeTestWorld({
      settings: { leaseMs, progressEveryRows: 1 },
      renderer: {
        // The renderer stalls on its first line (a slow page) until the test lets it go on.
        beforeLine: (index) =>
          index === 0
            ? Effect.andThen(Deferred.succeed(started, undefined), Deferred.await(release))
            : Effect.void,
      },
    });
    await world.run(seedProtection);
    const { task } = await world.run(submitReport(admin, acmeReport));
    const claimedAt = world.clock.current();
    /** Moves both clocks: the lease's instants and the timer's. */
    const pass = (ms: number) =>
      Effect.andThen(world.clock.advance(ms), TestClock.adjust(ms)).pipe(
        Effect.andThen(letFibersRun),
      );
    const stored = Effect.map(getTask(admin, task.id), (t) => ({
      expiresAt: t.lease?.expiresAt,
      progress: t.progress,
    }));
    const done = await world.run(
      Effect.gen(function* () {
        const worker = yield* Effect.forkChild(runNextTask("w1"));
        yield* Deferred.await(started);
        // The rows were read (one checkpoint, all of them): progress 99, lease as claimed.
        const first = yield* stored;
        expect(first).toEqual({ expiresAt: claimedAt + leaseMs, progress: 99 });
        yield* pass(leaseMs / 3 - 1);
        expect(yield* stored).toEqual(first);
        yield* pass(1);
        expect(yield* stored).toEqual({
          expiresAt: claimedAt + leaseMs / 3 + leaseMs,
          progress: 99,
        });
        yield* pass(leaseMs / 3);
        expect((yield* stored).expiresAt).toBe(claimedAt + (2 * leaseMs) / 3 + leaseMs);
        yield* Deferred.succeed(release, undefined);
        return yield* Fiber.join(worker);
      }).pipe(Effect.provide(TestClock.layer())),
    );
    expect(finishedTask(done).state._tag).toBe("Succeeded");
  });
});

describe("renewing a lease when storage fails", () => {
  /** A world whose task store fails the first renewal of a running task's lease so. */
  const failingFirstRenewal = (reason: "Busy" | "ConstraintViolation") => {
    const world = makeTestWorld({ settings: { progressEveryRows: 1 } });
    const inner = Context.get(world.context, TaskStore);
    let failed = false;
    const store = TaskStore.of({
      ...inner,
      replace: (next) =>
        !failed && next.state._tag === "Running" && next.progress > 0
          ? Effect.suspend(() => {
              failed = true;
              return Effect.fail(new StorageError({ reason, operation: "replace", detail: "no" }));
            })
          : inner.replace(next),
    });
    const run = <A, E>(effect: Effect.Effect<A, E, TestServices>) =>
      world.run(Effect.provideService(effect, TaskStore, store));
    return { world, run, failed: () => failed };
  };

  it("tolerates a failure retrying may fix: the lease has time left, and the report is made", async () => {
    const { world, run, failed } = failingFirstRenewal("Busy");
    await world.run(seedProtection);
    await run(submitReport(admin, acmeReport));
    const done = finishedTask(await run(runNextTask("w1")));
    expect(failed()).toBe(true);
    expect(done).toMatchObject({ state: { _tag: "Succeeded" }, progress: 100 });
  });

  it("fails the task on a failure retrying cannot fix, keeping no report", async () => {
    const { world, run, failed } = failingFirstRenewal("ConstraintViolation");
    await world.run(seedProtection);
    await run(submitReport(admin, acmeReport));
    const done = finishedTask(await run(runNextTask("w1")));
    expect(failed()).toBe(true);
    expect(done.state).toEqual({
      _tag: "Failed",
      error: { code: "StorageFailed", message: "storage replace failed (ConstraintViolation): no" },
    });
    expect(await world.run(listReports(admin, { limit: 10 }))).toEqual([]);
  });
});

describe("a lease lost while the report is stored", () => {
  it("removes the stored report and leaves the task as the sweeper left it", async () => {
    const leaseMs = 30_000;
    const world: ReturnType<typeof makeTestWorld> = makeTestWorld({
      settings: { leaseMs },
      // The report is stored, then the worker stalls past its lease and the sweeper requeues
      // the task before the worker can mark it Succeeded.
      reportStore: (inner) => ({
        ...inner,
        put: (input) =>
          Effect.tap(inner.put(input), () =>
            Effect.provideContext(
              Effect.andThen(world.clock.advance(leaseMs), Effect.orDie(sweepExpiredLeases())),
              world.context,
            ),
          ),
      }),
    });
    await world.run(seedProtection);
    const { task } = await world.run(submitReport(admin, acmeReport));
    const left = finishedTask(await world.run(runNextTask("w1")));
    expect(left).toMatchObject({
      id: task.id,
      state: { _tag: "Queued" },
      attempts: 1,
      lease: null,
    });
    expect(await world.run(listReports(admin, { limit: 10 }))).toEqual([]);
  });
});
