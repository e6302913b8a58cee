/**
 * The report-task lifecycle as pure transitions: `Queued → Running → Succeeded | Failed |
 * Cancelled`. Stores only make these atomic (claim, compare-and-set); every rule lives here.
 *
 * Every successful transition returns a new task with `version + 1` and `changedAt = now`
 * (`stateChangedAt = now` too when the state's tag changes). The one exception is a repeated
 * cancel request on a task already stopping: it returns the very same task, unchanged.
 *
 * Two kinds of failure:
 * - `LeaseLostError`: a worker transition (renew, succeed, fail, acknowledge cancel, release)
 *   by a worker that no longer holds a live lease — the task is not Running, another worker
 *   holds it, or the lease expired. The worker must stop and write nothing.
 * - `IllegalTransitionError`: the event makes no sense in the task's state (claiming a running
 *   task, cancelling a finished one, expiring a valid lease) or an argument is invalid.
 */
import { DateTime, Result } from "effect";
import { IllegalTransitionError, LeaseLostError } from "./errors.ts";
import type { Instant } from "./Instant.ts";
import type { Principal } from "./Principal.ts";
import type { ReportRequest } from "./ReportRequest.ts";
import type { ReportTask, TaskFailure, TaskState, TaskStateTag, TaskType } from "./ReportTask.ts";

/** The failure code of a task whose leases expired on every allowed attempt. */
export const attemptsExhaustedCode = "AttemptsExhausted";

/** What a new task is made from; the use case has validated the request already. */
export interface NewTaskInput {
  readonly id: string;
  readonly type: TaskType;
  readonly request: ReportRequest;
  readonly principal: Principal;
  readonly tenantScope: string | null;
  readonly now: Instant;
  /** Claims allowed before a task whose leases keep expiring fails (a positive integer). */
  readonly maxAttempts: number;
  readonly idempotencyKey: string | null;
}

/** A new Queued task: progress 0, no attempts, version 0, no lease. */
export const newTask = (input: NewTaskInput): ReportTask => ({
  id: input.id,
  type: input.type,
  request: input.request,
  principal: input.principal,
  tenantScope: input.tenantScope,
  state: { _tag: "Queued" },
  progress: 0,
  attempts: 0,
  maxAttempts: input.maxAttempts,
  lease: null,
  cancelRequested: false,
  createdAt: input.now,
  startedAt: null,
  finishedAt: null,
  stateChangedAt: input.now,
  changedAt: input.now,
  idempotencyKey: input.idempotencyKey,
  version: 0,
});

const terminalTags: ReadonlySet<TaskStateTag> = new Set(["Succeeded", "Failed", "Cancelled"]);

/** True for Succeeded, Failed and Cancelled: states no transition leaves. */
export const isTerminal = (state: TaskState | TaskStateTag): boolean =>
  terminalTags.has(typeof state === "string" ? state : state._tag);

/** Claims a Queued task for a worker: Running, attempts + 1, a fresh lease, progress 0. */
export const claimTask = (
  task: ReportTask,
  input: { readonly workerId: string; readonly now: Instant; readonly leaseMs: number },
): Result.Result<ReportTask, IllegalTransitionError> => {
  if (task.state._tag !== "Queued") {
    return illegal(task, "claim", "only a Queued task can be claimed");
  }
  if (task.attempts >= task.maxAttempts) {
    return illegal(
      task,
      "claim",
      `all ${task.maxAttempts} allowed attempts are used (attempts: ${task.attempts})`,
    );
  }
  const badLease = invalidLeaseMs(task, "claim", input.leaseMs);
  if (badLease !== undefined) return badLease;
  return Result.succeed(
    changed(task, input.now, {
      state: { _tag: "Running" },
      attempts: task.attempts + 1,
      lease: { workerId: input.workerId, expiresAt: input.now + input.leaseMs },
      progress: 0,
      startedAt: input.now,
    }),
  );
};

/**
 * Extends the lease of the worker that holds it (a heartbeat) and records progress: the
 * larger of the current and the given progress, rounded down and clamped to 0..100, so
 * progress never decreases within an attempt.
 */
export const renewLease = (
  task: ReportTask,
  input: {
    readonly workerId: string;
    readonly now: Instant;
    readonly leaseMs: number;
    readonly progress?: number | undefined;
  },
): Result.Result<ReportTask, IllegalTransitionError | LeaseLostError> => {
  const badLease = invalidLeaseMs(task, "renewLease", input.leaseMs);
  if (badLease !== undefined) return badLease;
  if (input.progress !== undefined && !Number.isFinite(input.progress)) {
    return illegal(
      task,
      "renewLease",
      `progress: expected a number from 0 to 100, got ${String(input.progress)}`,
    );
  }
  const lost = leaseLost(task, input.workerId, input.now);
  if (lost !== undefined) return Result.fail(lost);
  const given = input.progress === undefined ? 0 : clampProgress(input.progress);
  return Result.succeed(
    changed(task, input.now, {
      lease: { workerId: input.workerId, expiresAt: input.now + input.leaseMs },
      progress: Math.max(task.progress, given),
    }),
  );
};

/**
 * Completes a task with its report: Succeeded, progress 100. Allowed even when cancellation
 * was requested but not yet acknowledged: the report is complete, so keeping it wins.
 */
export const succeedTask = (
  task: ReportTask,
  input: { readonly workerId: string; readonly now: Instant; readonly reportId: string },
): Result.Result<ReportTask, LeaseLostError> => {
  const lost = leaseLost(task, input.workerId, input.now);
  if (lost !== undefined) return Result.fail(lost);
  return Result.succeed(
    finished(task, input.now, { _tag: "Succeeded", reportId: input.reportId }, { progress: 100 }),
  );
};

/** Fails a running task with the reason the worker gives. */
export const failTask = (
  task: ReportTask,
  input: { readonly workerId: string; readonly now: Instant; readonly failure: TaskFailure },
): Result.Result<ReportTask, LeaseLostError> => {
  const lost = leaseLost(task, input.workerId, input.now);
  if (lost !== undefined) return Result.fail(lost);
  return Result.succeed(
    finished(task, input.now, {
      _tag: "Failed",
      error: { code: input.failure.code, message: input.failure.message },
    }),
  );
};

/**
 * Asks a task to stop. Queued: Cancelled at once. Running: `cancelRequested` is set and the
 * worker stops at its next progress step (the vendor's "Stopping"); asking again returns the
 * same task unchanged. A finished task cannot be cancelled (the HTTP layer answers 409).
 */
export const requestCancel = (
  task: ReportTask,
  input: { readonly now: Instant },
): Result.Result<ReportTask, IllegalTransitionError> => {
  switch (task.state._tag) {
    case "Queued":
      return Result.succeed(
        finished(task, input.now, { _tag: "Cancelled" }, { cancelRequested: true }),
      );
    case "Running":
      return task.cancelRequested
        ? Result.succeed(task)
        : Result.succeed(changed(task, input.now, { cancelRequested: true }));
    default:
      return illegal(task, "requestCancel", "the task has already finished");
  }
};

/** The worker saw the cancellation request and stopped: Cancelled. */
export const acknowledgeCancel = (
  task: ReportTask,
  input: { readonly workerId: string; readonly now: Instant },
): Result.Result<ReportTask, IllegalTransitionError | LeaseLostError> => {
  const lost = leaseLost(task, input.workerId, input.now);
  if (lost !== undefined) return Result.fail(lost);
  if (!task.cancelRequested) {
    return illegal(task, "acknowledgeCancel", "no cancellation was requested");
  }
  return Result.succeed(finished(task, input.now, { _tag: "Cancelled" }));
};

/**
 * Gives a running task back (graceful shutdown): Queued, progress 0, and `attempts - 1`
 * because a voluntary release does not use up an attempt. A task whose cancellation was
 * requested is Cancelled instead: queueing it again would only run it to be stopped.
 */
export const releaseTask = (
  task: ReportTask,
  input: { readonly workerId: string; readonly now: Instant },
): Result.Result<ReportTask, LeaseLostError> => {
  const lost = leaseLost(task, input.workerId, input.now);
  if (lost !== undefined) return Result.fail(lost);
  if (task.cancelRequested) return Result.succeed(finished(task, input.now, { _tag: "Cancelled" }));
  return Result.succeed(
    changed(task, input.now, {
      state: { _tag: "Queued" },
      lease: null,
      progress: 0,
      attempts: Math.max(0, task.attempts - 1),
    }),
  );
};

/**
 * Handles a lease that expired (`expiresAt <= now`: the worker died or stalled). Cancelled if
 * cancellation was requested; Failed with `AttemptsExhausted` once `attempts >= maxAttempts`;
 * otherwise Queued again with progress 0 and attempts unchanged (the next claim counts).
 */
export const expireLease = (
  task: ReportTask,
  input: { readonly now: Instant },
): Result.Result<ReportTask, IllegalTransitionError> => {
  if (task.state._tag !== "Running" || task.lease === null) {
    return illegal(task, "expireLease", "only a Running task has a lease that can expire");
  }
  const expiresAt = task.lease.expiresAt;
  if (expiresAt > input.now) {
    return illegal(task, "expireLease", `the lease is valid until ${isoInstant(expiresAt)}`);
  }
  if (task.cancelRequested) return Result.succeed(finished(task, input.now, { _tag: "Cancelled" }));
  if (task.attempts >= task.maxAttempts) {
    return Result.succeed(
      finished(task, input.now, {
        _tag: "Failed",
        error: {
          code: attemptsExhaustedCode,
          message:
            `gave up after ${task.attempts} attempts: the worker's lease expired each time ` +
            `(last at ${isoInstant(expiresAt)})`,
        },
      }),
    );
  }
  return Result.succeed(
    changed(task, input.now, { state: { _tag: "Queued" }, lease: null, progress: 0 }),
  );
};

/** The next version of a task: the changes, version + 1, and the timestamps they imply. */
const changed = (task: ReportTask, now: Instant, changes: Partial<ReportTask>): ReportTask => {
  const next: ReportTask = { ...task, ...changes, version: task.version + 1, changedAt: now };
  return next.state._tag === task.state._tag ? next : { ...next, stateChangedAt: now };
};

/** A transition into a terminal state: the lease goes, `finishedAt` is set. */
const finished = (
  task: ReportTask,
  now: Instant,
  state: TaskState,
  changes: Partial<ReportTask> = {},
): ReportTask => changed(task, now, { ...changes, state, lease: null, finishedAt: now });

/** Why `workerId` may not act on the task at `now`, or undefined when its lease is live. */
const leaseLost = (
  task: ReportTask,
  workerId: string,
  now: Instant,
): LeaseLostError | undefined => {
  const lost = (reason: string) => new LeaseLostError({ taskId: task.id, workerId, reason });
  if (task.state._tag !== "Running") return lost(`the task is ${task.state._tag}, not Running`);
  // Only a faulty store hands back a Running task without its lease: say so, do not crash.
  if (task.lease === null) return lost("the task carries no lease");
  if (task.lease.workerId !== workerId) {
    return lost(`the lease is held by worker ${task.lease.workerId}`);
  }
  if (task.lease.expiresAt <= now) {
    return lost(`the lease expired at ${isoInstant(task.lease.expiresAt)}`);
  }
  return undefined;
};

const invalidLeaseMs = (
  task: ReportTask,
  event: string,
  leaseMs: number,
): Result.Result<never, IllegalTransitionError> | undefined =>
  Number.isSafeInteger(leaseMs) && leaseMs > 0
    ? undefined
    : illegal(task, event, `leaseMs: expected a positive integer, got ${String(leaseMs)}`);

const illegal = (
  task: ReportTask,
  event: string,
  reason: string,
): Result.Result<never, IllegalTransitionError> =>
  Result.fail(
    new IllegalTransitionError({ taskId: task.id, from: describeState(task), event, reason }),
  );

const describeState = (task: ReportTask): string =>
  task.state._tag === "Running" && task.cancelRequested
    ? "Running (cancel requested)"
    : task.state._tag;

const clampProgress = (progress: number): number =>
  Math.min(100, Math.max(0, Math.floor(progress)));

const isoInstant = (instant: Instant): string => DateTime.formatIso(DateTime.makeUnsafe(instant));
