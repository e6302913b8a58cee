/**
 * The in-memory TaskStore: for tests, demos and embedding in one process. JavaScript runs one
 * fiber at a time, so each operation does its whole read-modify-write inside one synchronous
 * step (`Effect.sync`) and is therefore atomic, however many fibers claim at once.
 * Tasks are copied in and out: callers never share a mutable object with the store.
 */
import { Effect, Layer, Option } from "effect";
import { compareCodePoints } from "../domain/CodePointOrder.ts";
import { StorageError } from "../domain/errors.ts";
import type { Instant } from "../domain/Instant.ts";
import type { ReportTask } from "../domain/ReportTask.ts";
import { type IdempotentInsert, type TaskQuery, TaskStore } from "../ports/TaskStore.ts";
import { compareByCreation } from "./ListingOrder.ts";
import { copyPlainData } from "./PlainData.ts";

/** A fresh, empty store. */
export const make = (): TaskStore["Service"] => {
  const tasks = new Map<string, ReportTask>();
  /** scope → key → the task the key was first used for and that request's digest. */
  const keys = new Map<
    string,
    Map<string, { readonly taskId: string; readonly fingerprint: string }>
  >();

  /** Stores a copy of a new task, or says why it may not. */
  const insertNow = (task: ReportTask, operation: string): StorageError | undefined => {
    if (tasks.has(task.id)) {
      return new StorageError({
        reason: "UniqueViolation",
        operation,
        detail: `a task with id '${task.id}' already exists`,
      });
    }
    tasks.set(task.id, copyPlainData(task));
    return undefined;
  };

  return TaskStore.of({
    insert: (task) =>
      Effect.suspend(() => {
        const refused = insertNow(task, "insert");
        return refused === undefined ? Effect.void : Effect.fail(refused);
      }),

    insertIdempotent: (task, key) =>
      Effect.suspend((): Effect.Effect<IdempotentInsert, StorageError> => {
        const scope = keys.get(key.scope) ?? new Map();
        const used = scope.get(key.key);
        const first = used === undefined ? undefined : tasks.get(used.taskId);
        if (used !== undefined && first !== undefined) {
          const existing = copyPlainData(first);
          return Effect.succeed({
            _tag: "Existing",
            task: existing,
            fingerprint: used.fingerprint,
          });
        }
        const refused = insertNow(task, "insertIdempotent");
        if (refused !== undefined) return Effect.fail(refused);
        scope.set(key.key, { taskId: task.id, fingerprint: key.fingerprint });
        keys.set(key.scope, scope);
        return Effect.succeed({ _tag: "Created", task: copyPlainData(task) });
      }),

    get: (id) =>
      Effect.sync(() => {
        const task = tasks.get(id);
        return task === undefined ? Option.none() : Option.some(copyPlainData(task));
      }),

    list: (query) => Effect.sync(() => listNow(tasks, query).map(copyPlainData)),

    claimNext: (transition) =>
      Effect.sync(() => {
        let oldest: ReportTask | undefined;
        for (const task of tasks.values()) {
          if (
            task.state._tag === "Queued" &&
            (oldest === undefined || compareByCreation(task, oldest) < 0)
          ) {
            oldest = task;
          }
        }
        if (oldest === undefined) return Option.none();
        const claimed = copyPlainData(transition(copyPlainData(oldest)));
        tasks.set(oldest.id, claimed);
        return Option.some(copyPlainData(claimed));
      }),

    replace: (next) =>
      Effect.sync(() => {
        const stored = tasks.get(next.id);
        if (stored === undefined || stored.version !== next.version - 1) return false;
        tasks.set(next.id, copyPlainData(next));
        return true;
      }),

    listExpiredLeases: (now, limit) =>
      Effect.sync(() => expiredNow(tasks, now, limit).map(copyPlainData)),
  });
};

/** A layer with a fresh, empty store each time it is built. */
export const layer: Layer.Layer<TaskStore> = Layer.sync(TaskStore, make);

const listNow = (tasks: ReadonlyMap<string, ReportTask>, query: TaskQuery): Array<ReportTask> => {
  const states = query.states === undefined ? undefined : new Set(query.states);
  const { after, createdFrom, tenantScope, type } = query;
  const matching: Array<ReportTask> = [];
  for (const task of tasks.values()) {
    if (tenantScope !== undefined && task.tenantScope !== tenantScope) continue;
    if (states !== undefined && !states.has(task.state._tag)) continue;
    if (type !== undefined && task.type !== type) continue;
    if (createdFrom !== undefined && task.createdAt < createdFrom) continue;
    if (after !== undefined && compareByCreation(task, after) <= 0) continue;
    matching.push(task);
  }
  return matching.sort(compareByCreation).slice(0, Math.max(0, query.limit));
};

const expiredNow = (
  tasks: ReadonlyMap<string, ReportTask>,
  now: Instant,
  limit: number,
): Array<ReportTask> => {
  const expired: Array<ReportTask & { readonly lease: { readonly expiresAt: Instant } }> = [];
  for (const task of tasks.values()) {
    if (task.state._tag === "Running" && task.lease !== null && task.lease.expiresAt <= now) {
      expired.push({ ...task, lease: task.lease });
    }
  }
  return expired
    .sort((a, b) => a.lease.expiresAt - b.lease.expiresAt || compareCodePoints(a.id, b.id))
    .slice(0, Math.max(0, limit));
};
