/**
 * Compare-and-set updates of stored tasks under contention, and releasing the tasks a
 * process's workers hold: both on `updateStoredTask`.
 */
import { Effect, Option, Result } from "effect";
import { describe, expect, it } from "vitest";
import {
  claimTask,
  InMemoryTaskStore,
  ManualClock,
  newTask,
  type ReportTask,
  releaseHeldTasks,
  requestCancel,
  StorageError,
  TaskStore,
} from "../../src/index.ts";
import { Clock } from "../../src/ports/Clock.ts";
import { updateStoredTask } from "../../src/usecases/TaskUpdate.ts";
import { admin, t0 } from "./TestWorld.ts";

const task = (n: number): ReportTask =>
  newTask({
    id: `task-${n}`,
    type: "CreateTenantReport",
    request: {
      _tag: "TenantReport",
      interval: { start: t0, end: t0 + 1 },
      zone: { spec: "UTC", resolved: { _tag: "Fixed", offsetMinutes: 0 } },
      tenant: { _tag: "AllTenants" },
      format: "csv",
      variant: "detail",
      columns: "vendor",
      separator: ";",
    },
    principal: admin,
    tenantScope: null,
    now: t0 + n,
    maxAttempts: 3,
    idempotencyKey: null,
  });

/**
 * A store where another writer changes the task (a progress tick) just before each of the
 * first `losses` replaces, so those replaces lose the race.
 */
const contendedStore = (losses: number) => {
  const inner = InMemoryTaskStore.make();
  let lost = 0;
  const store = TaskStore.of({
    ...inner,
    replace: (next) =>
      Effect.gen(function* () {
        if (lost < losses) {
          lost++;
          const stored = Option.getOrThrow(yield* inner.get(next.id));
          yield* inner.replace({
            ...stored,
            changedAt: stored.changedAt + 1,
            version: stored.version + 1,
          });
        }
        return yield* inner.replace(next);
      }),
  });
  return { store, replacesLost: () => lost };
};

const run = <A, E>(store: TaskStore["Service"], effect: Effect.Effect<A, E, TaskStore | Clock>) =>
  Effect.runPromise(
    effect.pipe(
      Effect.provideService(TaskStore, store),
      Effect.provideService(Clock, ManualClock.make(t0 + 1000).clock),
      Effect.result,
    ),
  );

/** Cancels task-1 through a store that loses the first `losses` races. */
const cancelUnderContention = async (losses: number) => {
  const { store, replacesLost } = contendedStore(losses);
  const result = await run(
    store,
    Effect.gen(function* () {
      yield* store.insert(task(1));
      return yield* updateStoredTask("task-1", (current) =>
        requestCancel(current, { now: t0 + 1000 }),
      );
    }),
  );
  const stored = Option.getOrThrow(await Effect.runPromise(store.get("task-1")));
  return { result, stored, replacesLost: replacesLost() };
};

describe("updateStoredTask", () => {
  it("reads the task again and reapplies the transition when another change won the race", async () => {
    const { result, stored, replacesLost } = await cancelUnderContention(7);
    expect(replacesLost).toBe(7);
    const updated = Result.getOrThrow(result);
    expect(updated.state._tag).toBe("Cancelled");
    // The winner's change is kept: the transition was applied to the newest version.
    expect(updated.changedAt).toBe(t0 + 1000);
    expect(stored.state._tag).toBe("Cancelled");
  });

  it("gives up with a retryable SerializationFailure after 8 lost races", async () => {
    const { result, stored, replacesLost } = await cancelUnderContention(8);
    expect(replacesLost).toBe(8);
    const failure = Result.isFailure(result) ? result.failure : undefined;
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as StorageError).reason).toBe("SerializationFailure");
    expect((failure as StorageError).isRetryable).toBe(true);
    expect(stored.state._tag).toBe("Queued");
  });
});

describe("releaseHeldTasks", () => {
  const claimAs = (store: TaskStore["Service"], workerId: string) =>
    store.claimNext((queued) =>
      Result.getOrThrow(claimTask(queued, { workerId, now: t0 + 500, leaseMs: 60_000 })),
    );

  it("gives back only the tasks of the named workers, a cancelled one as Cancelled", async () => {
    const store = InMemoryTaskStore.make();
    const result = await run(
      store,
      Effect.gen(function* () {
        for (const n of [1, 2, 3]) yield* store.insert(task(n));
        yield* claimAs(store, "mine/w1");
        yield* claimAs(store, "theirs/w1");
        yield* claimAs(store, "mine/w2");
        yield* updateStoredTask("task-3", (current) => requestCancel(current, { now: t0 + 600 }));
        const released = yield* releaseHeldTasks(new Set(["mine/w1", "mine/w2"]));
        const stored = yield* Effect.forEach(["task-1", "task-2", "task-3"], (id) =>
          Effect.map(store.get(id), Option.getOrThrow),
        );
        return { released, stored };
      }),
    );
    const { released, stored } = Result.getOrThrow(result);
    expect(released.map((t) => [t.id, t.state._tag])).toEqual([
      ["task-1", "Queued"],
      ["task-3", "Cancelled"],
    ]);
    expect(stored.map((t) => t.state._tag)).toEqual(["Queued", "Running", "Cancelled"]);
    expect(stored[0]).toMatchObject({ lease: null, attempts: 0, progress: 0 });
    expect(stored[1]?.lease?.workerId).toBe("theirs/w1");
  });

  it("leaves a task whose lease another worker took meanwhile to that worker", async () => {
    const inner = InMemoryTaskStore.make();
    // Between the listing and the release, the lease passes to another worker.
    let stolen = false;
    const store = TaskStore.of({
      ...inner,
      get: (id) =>
        Effect.gen(function* () {
          const found = yield* inner.get(id);
          if (stolen || Option.isNone(found) || found.value.lease === null) return found;
          stolen = true;
          const taken = {
            ...found.value,
            lease: { ...found.value.lease, workerId: "other/w9" },
            version: found.value.version + 1,
          };
          yield* inner.replace(taken);
          return yield* inner.get(id);
        }),
    });
    const result = await run(
      store,
      Effect.gen(function* () {
        yield* store.insert(task(1));
        yield* claimAs(store, "mine/w1");
        const released = yield* releaseHeldTasks(new Set(["mine/w1"]));
        return { released, stored: Option.getOrThrow(yield* inner.get("task-1")) };
      }),
    );
    const { released, stored } = Result.getOrThrow(result);
    expect(released).toEqual([]);
    expect(stored.state._tag).toBe("Running");
    expect(stored.lease?.workerId).toBe("other/w9");
  });
});
