/**
 * The core's typed errors. Domain errors carry what a person needs to fix the request
 * (field, expected, actual); only the HTTP adapter maps them to status codes.
 */
import { Schema } from "effect";

/** One problem with one field of a request. */
export const FieldIssue = Schema.Struct({
  field: Schema.String,
  expected: Schema.String,
  actual: Schema.String,
});
/** One problem with one field of a request. */
export type FieldIssue = typeof FieldIssue.Type;

/** A request was malformed: each issue names the field, what was expected and what was given. */
export class ValidationError extends Schema.TaggedError<ValidationError>()("ValidationError", {
  issues: Schema.Array(FieldIssue),
}) {
  override get message(): string {
    return this.issues.map((i) => `${i.field}: expected ${i.expected}, got ${i.actual}`).join("; ");
  }
  /** Builds an error with a single issue. */
  static single(field: string, expected: string, actual: string): ValidationError {
    return new ValidationError({ issues: [{ field, expected, actual }] });
  }
}

/** A named resource does not exist (or is expired, or invisible to the caller). */
export class NotFoundError extends Schema.TaggedError<NotFoundError>()("NotFoundError", {
  resource: Schema.String,
  id: Schema.String,
}) {
  override get message(): string {
    return `${this.resource} '${this.id}' was not found`;
  }
}

/** The principal may not do this. */
export class ForbiddenError extends Schema.TaggedError<ForbiddenError>()("ForbiddenError", {
  reason: Schema.String,
}) {
  override get message(): string {
    return this.reason;
  }
}

/** The request conflicts with the current state (idempotency key reuse, finished task, ...). */
export class ConflictError extends Schema.TaggedError<ConflictError>()("ConflictError", {
  reason: Schema.String,
}) {
  override get message(): string {
    return this.reason;
  }
}

/** A task transition that the lifecycle does not allow from the task's current state. */
export class IllegalTransitionError extends Schema.TaggedError<IllegalTransitionError>()(
  "IllegalTransitionError",
  { taskId: Schema.String, from: Schema.String, event: Schema.String, reason: Schema.String },
) {
  override get message(): string {
    return `task ${this.taskId}: cannot ${this.event} from ${this.from}: ${this.reason}`;
  }
}

/**
 * Why a storage operation failed, classified once at the adapter's edge. `InvalidInput`: the
 * database refused a value it was given (text it cannot hold, a number or date out of its
 * range, a value beyond one of its limits) — the caller's input, never worth a retry; the
 * boundary's validation should have refused it first.
 */
export const StorageFailureReason = Schema.Literals([
  "ConnectionError",
  "UniqueViolation",
  "SerializationFailure",
  "Deadlock",
  "Busy",
  "ConstraintViolation",
  "InvalidInput",
  "Unknown",
]);
/** Why a storage operation failed, classified once at the adapter's edge. */
export type StorageFailureReason = typeof StorageFailureReason.Type;

const retryable: ReadonlySet<StorageFailureReason> = new Set([
  "ConnectionError",
  "SerializationFailure",
  "Deadlock",
  "Busy",
]);

/** An infrastructure failure of a store; never carries raw driver objects to callers. */
export class StorageError extends Schema.TaggedError<StorageError>()("StorageError", {
  reason: StorageFailureReason,
  operation: Schema.String,
  detail: Schema.String,
}) {
  /** True when the same operation may succeed if tried again. */
  get isRetryable(): boolean {
    return retryable.has(this.reason);
  }
  override get message(): string {
    return `storage ${this.operation} failed (${this.reason}): ${this.detail}`;
  }
}

/** A renderer could not produce the report. */
export class RenderError extends Schema.TaggedError<RenderError>()("RenderError", {
  format: Schema.String,
  detail: Schema.String,
}) {
  override get message(): string {
    return `rendering ${this.format} failed: ${this.detail}`;
  }
}

/** A running task noticed that cancellation was requested and stopped. */
export class TaskCancelledError extends Schema.TaggedError<TaskCancelledError>()(
  "TaskCancelledError",
  { taskId: Schema.String },
) {}

/** The worker lost its lease (it expired and another worker may own the task now). */
export class LeaseLostError extends Schema.TaggedError<LeaseLostError>()("LeaseLostError", {
  taskId: Schema.String,
  workerId: Schema.String,
  /** Why the lease is gone (expired, held by another worker, task no longer running). */
  reason: Schema.optionalKey(Schema.String),
}) {
  override get message(): string {
    const why = this.reason === undefined ? "" : `: ${this.reason}`;
    return `task ${this.taskId}: worker ${this.workerId} no longer holds the lease${why}`;
  }
}
