/**
 * Deliberately broken TaskStores, each with a bug a real adapter could have. They exist to
 * prove that the contract suite catches such bugs: every one must fail some of its checks.
 */
import { Effect, Layer, Option } from "effect";
import { InMemoryTaskStore } from "../../src/adapters/index.ts";
import type { ReportTask } from "../../src/domain/ReportTask.ts";
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

/** Orders by creation, then by id in UTF-16 code units (JavaScript's `<`), not code points. */
const byCreationInCodeUnits = (
  a: Pick<ReportTask, "createdAt" | "id">,
  b: Pick<ReportTask, "createdAt" | "id">,
): number => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Breaks createdAt ties by UTF-16 code unit — a JavaScript sort, or a database collation other
 * than code point order. It differs only for ids that mix characters above U+FFFF with ones in
 * U+E000–U+FFFF, which random ids rarely do.
 */
export const codeUnitOrderTaskStore: Layer.Layer<TaskStore> = Layer.sync(TaskStore, () => {
  const inner = InMemoryTaskStore.make();
  const everything = { limit: Number.MAX_SAFE_INTEGER } as const;
  return TaskStore.of({
    ...inner,
    list: (query) =>
      Effect.map(inner.list({ ...query, ...everything, after: undefined }), (tasks) =>
        tasks
          .filter(
            (task) => query.after === undefined || byCreationInCodeUnits(task, query.after) > 0,
          )
          .sort(byCreationInCodeUnits)
          .slice(0, query.limit),
      ),
    claimNext: (transition) =>
      Effect.gen(function* () {
        const queued = yield* inner.list({ states: ["Queued"], ...everything });
        const [oldest] = [...queued].sort(byCreationInCodeUnits);
        if (oldest === undefined) return Option.none();
        const claimed = transition(oldest);
        return (yield* inner.replace(claimed)) ? Option.some(claimed) : Option.none();
      }),
  });
});
