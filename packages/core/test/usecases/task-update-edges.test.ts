import { Effect, Option, Result } from "effect";
import { describe, expect, it } from "vitest";
import {
  IllegalTransitionError,
  InMemoryTaskStore,
  NotFoundError,
  type ReportTask,
  requestCancel,
  StorageError,
  TaskStore,
} from "../../src/index.ts";
import { updateStoredTask } from "../../src/usecases/TaskUpdate.ts";
import { sampleQueuedTask, T0 } from "../domain/SampleTask.ts";

const queuedTask = sampleQueuedTask();

/**
 * An in-memory store holding `queuedTask` that counts reads and writes; `interfere(n)` runs
 * before the n-th compare-and-set (1-based), as another process changing the task would.
 */
const countingStore = (
  interfere: (write: number, inner: TaskStore["Service"]) => void = () => {},
) => {
  const inner = InMemoryTaskStore.make();
  Effect.runSync(inner.insert(queuedTask));
  const counts = { reads: 0, writes: 0 };
  const store = TaskStore.of({
    ...inner,
    get: (id) => {
      counts.reads++;
      return inner.get(id);
    },
    replace: (next) =>
      Effect.suspend(() => {
        counts.writes++;
        interfere(counts.writes, inner);
        return inner.replace(next);
      }),
  });
  const run = <A, E>(effect: Effect.Effect<A, E, TaskStore>) =>
    Effect.runPromise(Effect.result(Effect.provideService(effect, TaskStore, store)));
  return { inner, counts, run };
};

/** Another writer's change: progress + 1, a new version. */
const bump = (inner: TaskStore["Service"]) =>
  Effect.runSync(
    Effect.flatMap(inner.get(queuedTask.id), (stored) => {
      const task = Option.getOrThrow(stored);
      return inner.replace({ ...task, progress: task.progress + 1, version: task.version + 1 });
    }),
  );

const cancel = (task: ReportTask) => requestCancel(task, { now: T0 + 1 });

describe("updateStoredTask", () => {
  it("applies the transition to the stored task and stores the result", async () => {
    const { inner, counts, run } = countingStore();
    const updated = Result.getOrThrow(await run(updateStoredTask("t1", cancel)));
    expect(updated).toMatchObject({ state: { _tag: "Cancelled" }, version: 1 });
    expect(Option.getOrThrow(Effect.runSync(inner.get("t1")))).toEqual(updated);
    expect(counts).toEqual({ reads: 1, writes: 1 });
  });

  it("writes nothing when the transition returns the very same task", async () => {
    const { counts, run } = countingStore();
    const same = Result.getOrThrow(await run(updateStoredTask("t1", Result.succeed)));
    expect(same).toEqual(queuedTask);
    expect(counts.writes).toBe(0);
  });

  it("reads the task again and reapplies the transition when another change won the race", async () => {
    const { inner, counts, run } = countingStore((write, store) => {
      if (write <= 2) bump(store);
    });
    const updated = Result.getOrThrow(await run(updateStoredTask("t1", cancel)));
    expect(updated).toMatchObject({ state: { _tag: "Cancelled" }, progress: 2, version: 3 });
    expect(Option.getOrThrow(Effect.runSync(inner.get("t1")))).toEqual(updated);
    expect(counts).toEqual({ reads: 3, writes: 3 });
  });

  it("gives up with a retryable serialization failure after losing the race 8 times in a row", async () => {
    const { counts, run } = countingStore((_, store) => bump(store));
    const outcome = await run(updateStoredTask("t1", cancel));
    expect(outcome).toEqual(
      Result.fail(
        new StorageError({
          reason: "SerializationFailure",
          operation: "replace",
          detail: "task 't1' changed concurrently 8 times in a row",
        }),
      ),
    );
    expect(counts).toEqual({ reads: 8, writes: 8 });
  });

  it("wins on the last of its 8 tries", async () => {
    const { run } = countingStore((write, store) => {
      if (write < 8) bump(store);
    });
    const updated = Result.getOrThrow(await run(updateStoredTask("t1", cancel)));
    expect(updated).toMatchObject({ state: { _tag: "Cancelled" }, progress: 7 });
  });

  it("answers not found for a task that does not exist", async () => {
    const { run } = countingStore();
    expect(await run(updateStoredTask("nope", cancel))).toEqual(
      Result.fail(new NotFoundError({ resource: "task", id: "nope" })),
    );
  });

  it("fails with the transition's own error and writes nothing", async () => {
    const { counts, run } = countingStore();
    const refusal = new IllegalTransitionError({
      taskId: "t1",
      from: "Queued",
      event: "test",
      reason: "refused",
    });
    expect(await run(updateStoredTask("t1", () => Result.fail(refusal)))).toEqual(
      Result.fail(refusal),
    );
    expect(counts.writes).toBe(0);
  });
});
