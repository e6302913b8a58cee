/**
 * Deliberately broken TaskStores, each with a bug a real adapter could have. They exist to
 * prove that the contract suite catches such bugs: every one must fail some of its checks.
 */
import { Effect, Layer, Option } from "effect";
import { InMemoryTaskStore } from "../../src/adapters/index.ts";
import { TaskStore } from "../../src/ports/TaskStore.ts";

/**
 * Reads the oldest queued task, yields to other fibers, then writes the claim without
 * checking that the write won — like `SELECT` then `UPDATE` without a lock or a version
 * check. Concurrent claimers receive the same task.
 */
export const racyClaimTaskStore: Layer.Layer<TaskStore> = Layer.sync(TaskStore, () => {
  const inner = InMemoryTaskStore.make();
  return TaskStore.of({
    ...inner,
    claimNext: (transition) =>
      Effect.gen(function* () {
        const [oldest] = yield* inner.list({ states: ["Queued"], limit: 1 });
        if (oldest === undefined) return Option.none();
        yield* Effect.yieldNow;
        const claimed = transition(oldest);
        yield* inner.replace(claimed);
        return Option.some(claimed);
      }),
  });
});

/** Overwrites whatever is stored, ignoring the version: the last writer wins silently. */
export const blindReplaceTaskStore: Layer.Layer<TaskStore> = Layer.sync(TaskStore, () => {
  const inner = InMemoryTaskStore.make();
  return TaskStore.of({
    ...inner,
    replace: (next) =>
      Effect.gen(function* () {
        const stored = yield* inner.get(next.id);
        if (Option.isNone(stored)) return false;
        return yield* inner.replace({ ...next, version: stored.value.version + 1 });
      }),
  });
});

/** Stores every change but the progress: a column the update statement forgot. */
export const forgetfulProgressTaskStore: Layer.Layer<TaskStore> = Layer.sync(TaskStore, () => {
  const inner = InMemoryTaskStore.make();
  return TaskStore.of({
    ...inner,
    replace: (next) =>
      Effect.gen(function* () {
        const stored = yield* inner.get(next.id);
        if (Option.isNone(stored)) return false;
        const progress = next.state._tag === "Running" ? stored.value.progress : next.progress;
        return yield* inner.replace({ ...next, progress });
      }),
  });
});
