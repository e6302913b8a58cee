/**
 * The TaskStore port: durable report tasks with atomic claims and compare-and-set updates.
 * The lifecycle's rules live in the core (`TaskLifecycle`); a store only makes them atomic.
 */
import { Context, type Effect, type Option } from "effect";
import type { StorageError } from "../domain/errors.ts";
import type { Instant } from "../domain/Instant.ts";
import type { ReportTask, TaskStateTag, TaskType } from "../domain/ReportTask.ts";

/** Which tasks a listing returns. Results are ordered by createdAt, then id. */
export interface TaskQuery {
  /** Only tasks whose `tenantScope` is this tenant (what a tenant operator may see). */
  readonly tenantScope?: string | undefined;
  readonly states?: ReadonlyArray<TaskStateTag> | undefined;
  readonly type?: TaskType | undefined;
  /** Only tasks created at or after this instant. */
  readonly createdFrom?: Instant | undefined;
  /** Keyset cursor: only tasks after this (createdAt, id) position. */
  readonly after?: { readonly createdAt: Instant; readonly id: string } | undefined;
  readonly limit: number;
}

/** An idempotency key, unique within a scope (the principal who used it). */
export interface IdempotencyKey {
  readonly scope: string;
  readonly key: string;
  /** A digest of the request the key was first used with. */
  readonly fingerprint: string;
}

/** The outcome of inserting with an idempotency key. */
export type IdempotentInsert =
  | { readonly _tag: "Created"; readonly task: ReportTask }
  | { readonly _tag: "Existing"; readonly task: ReportTask; readonly fingerprint: string };

/** Durable report tasks. */
export class TaskStore extends Context.Service<
  TaskStore,
  {
    /** Stores a new task (version 0). A duplicate id fails with UniqueViolation. */
    readonly insert: (task: ReportTask) => Effect.Effect<void, StorageError>;
    /**
     * Stores a new task unless the key is already used in its scope, atomically; then returns
     * the task the key was first used for and that request's fingerprint.
     */
    readonly insertIdempotent: (
      task: ReportTask,
      key: IdempotencyKey,
    ) => Effect.Effect<IdempotentInsert, StorageError>;
    /** The task with this id, if any. */
    readonly get: (id: string) => Effect.Effect<Option.Option<ReportTask>, StorageError>;
    /** Tasks matching the query, ordered by createdAt then id, at most `limit`. */
    readonly list: (query: TaskQuery) => Effect.Effect<ReadonlyArray<ReportTask>, StorageError>;
    /**
     * Atomically takes the oldest Queued task (by createdAt, then id) that no other claimer
     * takes, applies `transition` to it (the core's claim) and stores the result. None when no
     * task is queued. Concurrent claimers never receive the same task.
     */
    readonly claimNext: (
      transition: (task: ReportTask) => ReportTask,
    ) => Effect.Effect<Option.Option<ReportTask>, StorageError>;
    /**
     * Compare-and-set: stores `next` only if the stored task's version is `next.version - 1`.
     * Returns false (and changes nothing) when someone else changed the task first.
     */
    readonly replace: (next: ReportTask) => Effect.Effect<boolean, StorageError>;
    /** Running tasks whose lease expired at or before `now`, oldest lease first, at most `limit`. */
    readonly listExpiredLeases: (
      now: Instant,
      limit: number,
    ) => Effect.Effect<ReadonlyArray<ReportTask>, StorageError>;
  }
>()("tally/core/TaskStore") {}
