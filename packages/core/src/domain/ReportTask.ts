/**
 * Report tasks: the asynchronous unit of work. This file holds the data; the lifecycle's pure
 * transition functions live in `TaskLifecycle.ts`.
 */
import { Schema } from "effect";
import { Instant } from "./Instant.ts";
import { Principal } from "./Principal.ts";
import { ReportRequest } from "./ReportRequest.ts";

/** The vendor's task types. */
export const TaskType = Schema.Literals(["CreateTenantReport", "CreateLicenseOverviewReport"]);
/** The vendor's task types. */
export type TaskType = typeof TaskType.Type;

/** Why a task failed: a stable machine code and a message for people. */
export const TaskFailure = Schema.Struct({ code: Schema.String, message: Schema.String });
/** Why a task failed. */
export type TaskFailure = typeof TaskFailure.Type;

/** `Queued → Running → Succeeded(reportId) | Failed(error) | Cancelled`. */
export const TaskState = Schema.Union([
  Schema.TaggedStruct("Queued", {}),
  Schema.TaggedStruct("Running", {}),
  Schema.TaggedStruct("Succeeded", { reportId: Schema.String }),
  Schema.TaggedStruct("Failed", { error: TaskFailure }),
  Schema.TaggedStruct("Cancelled", {}),
]);
/** `Queued → Running → Succeeded(reportId) | Failed(error) | Cancelled`. */
export type TaskState = typeof TaskState.Type;
/** The tag of a task state. */
export type TaskStateTag = TaskState["_tag"];
/** All state tags, in lifecycle order. */
export const taskStateTags: ReadonlyArray<TaskStateTag> = [
  "Queued",
  "Running",
  "Succeeded",
  "Failed",
  "Cancelled",
];

/** A worker's claim on a running task, valid until `expiresAt`. */
export const Lease = Schema.Struct({ workerId: Schema.String, expiresAt: Instant });
/** A worker's claim on a running task. */
export type Lease = typeof Lease.Type;

/**
 * A report task.
 * - `attempts` counts claims: the first claim makes it 1; a lease expiry requeues without
 *   resetting it, so the next claim makes it 2; past `maxAttempts` the task fails instead.
 * - `tenantScope`: the one tenant whose data the task covers (null: several tenants or
 *   organizations of no tenant); tenant operators see only tasks of their own tenant.
 * - `version` increases by one with every change; stores replace a task only if the stored
 *   version is the previous one (compare-and-set).
 * - `lease` is set exactly while Running; `progress` is 0..100 and never decreases within an
 *   attempt; `cancelRequested` asks a running worker to stop at its next progress step.
 */
export const ReportTask = Schema.Struct({
  id: Schema.String,
  type: TaskType,
  request: ReportRequest,
  principal: Principal,
  tenantScope: Schema.NullOr(Schema.String),
  state: TaskState,
  progress: Schema.Int,
  attempts: Schema.Int,
  maxAttempts: Schema.Int,
  lease: Schema.NullOr(Lease),
  cancelRequested: Schema.Boolean,
  createdAt: Instant,
  startedAt: Schema.NullOr(Instant),
  finishedAt: Schema.NullOr(Instant),
  stateChangedAt: Instant,
  changedAt: Instant,
  idempotencyKey: Schema.NullOr(Schema.String),
  version: Schema.Int,
});
/** A report task. */
export type ReportTask = typeof ReportTask.Type;
