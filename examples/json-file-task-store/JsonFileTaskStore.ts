/**
 * A TaskStore kept in one JSON file: an outside adapter written only against Tally's published
 * API (`@tally/core`), the way an adapter author would write one for their own storage. It is
 * proven by the same contract suite as Tally's own stores (`JsonFileTaskStore.test.ts`).
 *
 * One process owns the file. Every operation runs under a one-permit semaphore, reads the file,
 * decides, and writes it back atomically (a temporary file renamed over the old one), so
 * concurrent fibers never interleave inside a claim or a compare-and-set. Tasks go in and come
 * out through JSON, so callers never share a mutable object with the store.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import {
  compareByCreation,
  compareCodePoints,
  type IdempotentInsert,
  type ReportTask,
  StorageError,
  type TaskQuery,
  TaskStore,
} from "@tally/core";
import { Effect, Layer, Option, Semaphore } from "effect";

/** What the file holds. */
interface StoredTasks {
  readonly tasks: Record<string, ReportTask>;
  /** `scope\u0000key` → the task the key was first used for and that request's fingerprint. */
  readonly keys: Record<string, { readonly taskId: string; readonly fingerprint: string }>;
}

/** What an operation answers, and the file's new contents if it changed them. */
interface Outcome<A> {
  readonly result: A;
  readonly next?: StoredTasks;
}

/** A record's own entry (ids such as `constructor` must not find Object's prototype). */
const own = <V>(record: Readonly<Record<string, V>>, key: string): V | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

const answer = <A>(result: A, next?: StoredTasks): Effect.Effect<Outcome<A>> =>
  Effect.succeed(next === undefined ? { result } : { result, next });

/** Where the store keeps its file. */
export interface JsonFileTaskStoreOptions {
  readonly path: string;
}

const failure = (operation: string) => (cause: unknown) =>
  new StorageError({ reason: "Unknown", operation, detail: String(cause) });

/** A store over the file at `options.path` (created on the first write). */
export const make = (options: JsonFileTaskStoreOptions): Effect.Effect<TaskStore["Service"]> =>
  Effect.gen(function* () {
    const lock = yield* Semaphore.make(1);

    const load = (operation: string): Effect.Effect<StoredTasks, StorageError> =>
      Effect.tryPromise({
        try: () =>
          readFile(options.path, "utf8").then(
            (text) => JSON.parse(text) as StoredTasks,
            (error: NodeJS.ErrnoException) => {
              if (error.code === "ENOENT") return { tasks: {}, keys: {} };
              throw error;
            },
          ),
        catch: failure(operation),
      });

    const save = (data: StoredTasks, operation: string): Effect.Effect<void, StorageError> =>
      Effect.tryPromise({
        try: async () => {
          const temporary = `${options.path}.tmp`;
          await writeFile(temporary, JSON.stringify(data));
          await rename(temporary, options.path);
        },
        catch: failure(operation),
      });

    /**
     * Runs `body` on the file's contents under the lock: it answers with a result and,
     * when it changes something, the new contents to write.
     */
    const transaction = <A>(
      operation: string,
      body: (data: StoredTasks) => Effect.Effect<Outcome<A>, StorageError>,
    ): Effect.Effect<A, StorageError> =>
      lock.withPermits(1)(
        Effect.gen(function* () {
          const { result, next } = yield* body(yield* load(operation));
          if (next !== undefined) yield* save(next, operation);
          return result;
        }),
      );

    const read = <A>(operation: string, body: (data: StoredTasks) => A) =>
      transaction(operation, (data) => answer(body(data)));

    const duplicate = (task: ReportTask, operation: string) =>
      new StorageError({
        reason: "UniqueViolation",
        operation,
        detail: `a task with id '${task.id}' already exists`,
      });

    const withTask = (data: StoredTasks, task: ReportTask): StoredTasks => ({
      ...data,
      tasks: { ...data.tasks, [task.id]: task },
    });

    return TaskStore.of({
      insert: (task) =>
        transaction("insert", (data) =>
          own(data.tasks, task.id) !== undefined
            ? Effect.fail(duplicate(task, "insert"))
            : answer(undefined, withTask(data, task)),
        ),

      insertIdempotent: (task, key) =>
        transaction<IdempotentInsert>("insertIdempotent", (data) => {
          const slot = `${key.scope}\u0000${key.key}`;
          const used = own(data.keys, slot);
          const first = used === undefined ? undefined : own(data.tasks, used.taskId);
          if (used !== undefined && first !== undefined) {
            return answer({ _tag: "Existing", task: first, fingerprint: used.fingerprint });
          }
          if (own(data.tasks, task.id) !== undefined)
            return Effect.fail(duplicate(task, "insertIdempotent"));
          const keys = { ...data.keys, [slot]: { taskId: task.id, fingerprint: key.fingerprint } };
          return answer({ _tag: "Created", task }, { ...withTask(data, task), keys });
        }),

      get: (id) => read("get", (data) => Option.fromNullishOr(own(data.tasks, id))),

      list: (query) => read("list", (data) => listed(Object.values(data.tasks), query)),

      claimNext: (transition) =>
        transaction("claimNext", (data) => {
          const [oldest] = Object.values(data.tasks)
            .filter((task) => task.state._tag === "Queued")
            .sort(compareByCreation);
          if (oldest === undefined) return answer(Option.none<ReportTask>());
          const claimed = transition(oldest);
          return answer(Option.some(claimed), withTask(data, claimed));
        }),

      replace: (next) =>
        transaction("replace", (data) => {
          const stored = own(data.tasks, next.id);
          if (stored === undefined || stored.version !== next.version - 1) return answer(false);
          return answer(true, withTask(data, next));
        }),

      listExpiredLeases: (now, limit) =>
        read("listExpiredLeases", (data) =>
          Object.values(data.tasks)
            .filter((task) => task.state._tag === "Running" && (task.lease?.expiresAt ?? 0) <= now)
            .sort(
              (a, b) =>
                (a.lease?.expiresAt ?? 0) - (b.lease?.expiresAt ?? 0) ||
                compareCodePoints(a.id, b.id),
            )
            .slice(0, Math.max(0, limit)),
        ),
    });
  });

/** The query applied: filtered, ordered by (createdAt, id by code point), after the cursor. */
const listed = (tasks: ReadonlyArray<ReportTask>, query: TaskQuery): Array<ReportTask> =>
  tasks
    .filter(
      (task) =>
        (query.tenantScope === undefined || task.tenantScope === query.tenantScope) &&
        (query.states === undefined || query.states.includes(task.state._tag)) &&
        (query.type === undefined || task.type === query.type) &&
        (query.createdFrom === undefined || task.createdAt >= query.createdFrom) &&
        (query.after === undefined || compareByCreation(task, query.after) > 0),
    )
    .sort(compareByCreation)
    .slice(0, Math.max(0, query.limit));

/** The store as a layer. */
export const layer = (options: JsonFileTaskStoreOptions): Layer.Layer<TaskStore> =>
  Layer.effect(TaskStore, make(options));
