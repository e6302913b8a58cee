/**
 * The worker's step: claim the oldest queued task (or, with `runTask`, one named task), produce
 * its report, and finish the task.
 *
 * While the report renders, the worker keeps its lease alive two ways: every
 * `progressEveryRows` rows read (with the progress so far, and no sooner than
 * `progressEveryMs` after the last such check-in), and on a timer every third of the lease (so
 * one slow page of a PDF does not lose it). Both also look for a cancellation
 * request. Either one that finds the task cancelled, or the lease lost, stops the rendering at
 * once: the report store's `put` is interrupted and keeps nothing. A retryable storage error
 * while renewing is tolerated: the lease has time left, and the next renewal tries again.
 *
 * A report is never half-written as succeeded: the task is marked Succeeded only after the
 * report is stored, and if that fails — the lease was lost meanwhile — the stored report is
 * deleted again.
 *
 * The report is "as of" the task's creation (`generatedAt = task.createdAt`): ongoing periods
 * end there and PDF dates come from it. A task that is run again after a crash, or elsewhere,
 * therefore gives the same bytes from the same facts.
 *
 * How a run ends:
 * - report stored → Succeeded (progress 100);
 * - cancellation seen → Cancelled;
 * - RenderError → Failed `RenderFailed`; a storage error that retrying cannot fix (a
 *   constraint, an unknown failure) → Failed `StorageFailed`; no renderer for the format →
 *   Failed `FormatUnavailable`; a defect (a bug in a renderer) → Failed `InternalError`;
 * - a retryable storage error (connection lost, busy, deadlock) → the run fails with it
 *   and the task is left Running: its lease expires, the sweeper requeues it, and the next
 *   claim counts as another attempt — so a storage outage is retried, but not forever;
 * - lease lost (it expired and the task was requeued or taken over) → nothing is written;
 *   the task is returned as stored.
 */
import { Deferred, Duration, Effect, Option, Result, Schema } from "effect";
import {
  IllegalTransitionError,
  LeaseLostError,
  NotFoundError,
  type RenderError,
  StorageError,
  TaskCancelledError,
} from "../domain/errors.ts";
import type { Instant } from "../domain/Instant.ts";
import type { ReportDraft } from "../domain/Report.ts";
import type { ReportTask, TaskFailure } from "../domain/ReportTask.ts";
import {
  acknowledgeCancel,
  claimTask,
  failTask,
  renewLease,
  succeedTask,
} from "../domain/TaskLifecycle.ts";
import { Clock } from "../ports/Clock.ts";
import { IdGenerator } from "../ports/IdGenerator.ts";
import type { LicenseStore } from "../ports/LicenseStore.ts";
import type { ProtectionPeriodStore } from "../ports/ProtectionPeriodStore.ts";
import { ReportRenderers } from "../ports/ReportRenderers.ts";
import { ReportStore } from "../ports/ReportStore.ts";
import { TallySettings } from "../ports/TallySettings.ts";
import { TaskStore } from "../ports/TaskStore.ts";
import type { TenantDirectory } from "../ports/TenantDirectory.ts";
import { reportFileName } from "./ReportFileName.ts";
import { licenseOverviewSource, tenantReportSource } from "./ReportSource.ts";
import { updateStoredTask } from "./TaskUpdate.ts";

/** The ports a worker uses. */
export type WorkerServices =
  | TaskStore
  | ReportStore
  | ReportRenderers
  | TenantDirectory
  | ProtectionPeriodStore
  | LicenseStore
  | Clock
  | IdGenerator
  | TallySettings;

/** Failure codes a worker writes on a Failed task (besides the lifecycle's AttemptsExhausted). */
export const taskFailureCodes = {
  renderFailed: "RenderFailed",
  storageFailed: "StorageFailed",
  formatUnavailable: "FormatUnavailable",
  internalError: "InternalError",
} as const;

/**
 * Claims the oldest queued task for `workerId` and runs it to the end. None when no task is
 * queued; otherwise the task as this worker left it — normally Succeeded, Failed or Cancelled;
 * as stored by others when the lease was lost. Fails only with a storage error (see above).
 */
export const runNextTask = (
  workerId: string,
): Effect.Effect<Option.Option<ReportTask>, StorageError, WorkerServices> =>
  Effect.gen(function* () {
    const settings = yield* TallySettings;
    const now = yield* (yield* Clock).now;
    const claimed = yield* (yield* TaskStore).claimNext((task) =>
      // claimNext hands over Queued tasks only, which claimTask always accepts.
      Result.getOrThrow(claimTask(task, { workerId, now, leaseMs: settings.leaseMs })),
    );
    if (Option.isNone(claimed)) return Option.none();
    return Option.some(yield* runClaimedTask(claimed.value, workerId));
  });

/**
 * Claims the task with `taskId` for `workerId` and runs it to the end, leaving every other
 * queued task alone — for a caller waiting on its own task (the command line's `tally report`).
 * None when the task is not Queued: it is running elsewhere, finished, or another claimer won
 * the race (the claim is a compare-and-set; a lost race is re-read and seen as not Queued).
 * The caller then waits for whoever holds it. Otherwise the task as this worker left it, as
 * `runNextTask` returns it. Fails with NotFoundError when there is no such task.
 */
export const runTask = (
  taskId: string,
  workerId: string,
): Effect.Effect<Option.Option<ReportTask>, StorageError | NotFoundError, WorkerServices> =>
  Effect.gen(function* () {
    const settings = yield* TallySettings;
    const now = yield* (yield* Clock).now;
    const claimed = yield* updateStoredTask(taskId, (task) =>
      claimTask(task, { workerId, now, leaseMs: settings.leaseMs }),
    ).pipe(
      Effect.map(Option.some),
      // Not Queued (or, against the lifecycle's invariant, out of attempts): not ours to run.
      Effect.catchTag("IllegalTransitionError", () => Effect.succeedNone),
    );
    if (Option.isNone(claimed)) return Option.none();
    return Option.some(yield* runClaimedTask(claimed.value, workerId));
  });

/** A renderer threw or died: a bug, reported on the task instead of killing the worker. */
class RenderDefect extends Schema.TaggedError<RenderDefect>()("RenderDefect", {
  detail: Schema.String,
}) {}

/** No renderer is configured for the report's format. */
class FormatUnavailable extends Schema.TaggedError<FormatUnavailable>()("FormatUnavailable", {
  format: Schema.String,
}) {}

/** Why the rendering was stopped from outside: cancelled, lease lost, or a store failing. */
type StopReason = TaskCancelledError | LeaseLostError | StorageError;

/** Everything producing a report may end with. */
type RunFailure = StopReason | RenderError | RenderDefect | FormatUnavailable;

const runClaimedTask = (
  task: ReportTask,
  workerId: string,
): Effect.Effect<ReportTask, StorageError, WorkerServices> =>
  Effect.gen(function* () {
    const settings = yield* TallySettings;
    const clock = yield* Clock;
    const stop = yield* Deferred.make<never, StopReason>();

    /** Renews the lease (with progress) unless the task was cancelled or is no longer ours. */
    const checkIn = (progress: number | undefined): Effect.Effect<void, StopReason, TaskStore> =>
      Effect.gen(function* () {
        const now = yield* clock.now;
        yield* updateStoredTask(
          task.id,
          (
            current,
          ): Result.Result<
            ReportTask,
            TaskCancelledError | LeaseLostError | IllegalTransitionError
          > =>
            current.cancelRequested
              ? Result.fail(new TaskCancelledError({ taskId: task.id }))
              : renewLease(current, {
                  workerId,
                  now,
                  leaseMs: settings.leaseMs,
                  ...(progress === undefined ? {} : { progress }),
                }),
        ).pipe(Effect.mapError(asStopReason(task.id, workerId)));
      });

    const tasks = yield* TaskStore;
    const reports = yield* ReportStore;
    const provideTasks = Effect.provideService(TaskStore, tasks);
    /**
     * A check-in that tolerates a passing storage hiccup: the lease still runs, and the next
     * check-in tries again (if the lease expires meanwhile, that one reports it lost).
     */
    const tolerantCheckIn = (progress: number | undefined) =>
      checkIn(progress).pipe(
        provideTasks,
        Effect.catchIf(
          (reason): reason is StorageError => reason instanceof StorageError && reason.isRetryable,
          () => Effect.void,
        ),
      );
    /**
     * The meter's checkpoint: a reason to stop ends the rendering through `stop`. The rendering
     * waits for a check-in (two round trips and a commit on a database), so one comes no sooner
     * than `progressEveryMs` after the last: a fast report would otherwise check in every few
     * milliseconds (a 1M-row CSV on PostgreSQL spent ~0.3 s of its ~3.3 s in 94 of them).
     */
    const progressEveryMs = settings.progressEveryMs ?? 0;
    let lastCheckpointAt: number | undefined;
    const checkpoint = (progress: number): Effect.Effect<void> =>
      Effect.flatMap(clock.now, (now) => {
        if (lastCheckpointAt !== undefined && now - lastCheckpointAt < progressEveryMs) {
          return Effect.void;
        }
        lastCheckpointAt = now;
        return tolerantCheckIn(progress).pipe(
          Effect.catch((reason) => Effect.andThen(Deferred.fail(stop, reason), Effect.never)),
        );
      });
    const heartbeat = Effect.sleep(
      Duration.millis(Math.max(1, Math.floor(settings.leaseMs / 3))),
    ).pipe(
      Effect.andThen(tolerantCheckIn(undefined)),
      Effect.forever,
      Effect.catch((reason) => Deferred.fail(stop, reason)),
    );

    // A retried task may have left a report behind: stored, but the task was never marked
    // Succeeded with it (the worker died, or the database went away, between the two writes,
    // and the clean-up failed too). It is no one's report; remove it before making the new one,
    // so that a task ends with exactly one report.
    if (task.attempts > 1) {
      const leftovers = yield* reports.list({ taskId: task.id, limit: 100 });
      yield* Effect.forEach(leftovers, (meta) => reports.delete(meta.id), { discard: true });
    }
    const produced = yield* Effect.scoped(
      Effect.gen(function* () {
        yield* Effect.forkScoped(heartbeat);
        return yield* Effect.raceFirst(produceReport(task, checkpoint), Deferred.await(stop));
      }),
    ).pipe(
      Effect.catchDefect((defect) =>
        Effect.fail(new RenderDefect({ detail: describeDefect(defect) })),
      ),
      Effect.result,
    );

    if (Result.isSuccess(produced)) {
      const reportId = produced.success;
      // The report must not outlive a task that could not be marked Succeeded.
      const discardReport = Effect.ignore(reports.delete(reportId));
      const finished = yield* finishTask(task, (current, now) =>
        succeedTask(current, { workerId, now, reportId }),
      ).pipe(Effect.tapError(() => discardReport));
      if (!finished.applied) yield* discardReport;
      return finished.task;
    }
    const failure: RunFailure = produced.failure;
    const fail = (reason: TaskFailure) =>
      finishTask(task, (current, now) => failTask(current, { workerId, now, failure: reason }));
    switch (failure._tag) {
      case "TaskCancelledError":
        return (yield* finishTask(task, (current, now) =>
          acknowledgeCancel(current, { workerId, now }),
        )).task;
      case "LeaseLostError":
        return yield* storedOrLast(task);
      case "RenderError":
        return (yield* fail({ code: taskFailureCodes.renderFailed, message: failure.message }))
          .task;
      case "RenderDefect":
        return (yield* fail({
          code: taskFailureCodes.internalError,
          message: `the report could not be produced because of an internal error: ${failure.detail}`,
        })).task;
      case "FormatUnavailable":
        return (yield* fail({
          code: taskFailureCodes.formatUnavailable,
          message: `no renderer is configured for the format '${failure.format}'`,
        })).task;
      case "StorageError":
        if (failure.isRetryable) return yield* failure;
        return (yield* fail({ code: taskFailureCodes.storageFailed, message: failure.message }))
          .task;
    }
  });

/** Renders the task's report and stores it; returns the stored report's id. */
const produceReport = (
  task: ReportTask,
  checkpoint: (progress: number) => Effect.Effect<void>,
): Effect.Effect<
  string,
  RenderError | StorageError | FormatUnavailable,
  Exclude<WorkerServices, TaskStore>
> =>
  Effect.gen(function* () {
    const settings = yield* TallySettings;
    const { request } = task;
    const renderer = (yield* ReportRenderers).forFormat(request.format);
    if (renderer === undefined) return yield* new FormatUnavailable({ format: request.format });
    const meter = { progressEveryRows: settings.progressEveryRows, checkpoint };
    const generatedAt = task.createdAt;
    const source =
      request._tag === "TenantReport"
        ? yield* Effect.map(tenantReportSource(task.id, request, generatedAt, meter), (s) => ({
            rowCount: s.rowCount,
            bytes: renderer.renderTenantReport(s.content),
          }))
        : yield* Effect.map(licenseOverviewSource(task.id, request, generatedAt, meter), (s) => ({
            rowCount: s.rowCount,
            bytes: renderer.renderLicenseOverview(s.content),
          }));
    const now = yield* (yield* Clock).now;
    const draft: ReportDraft = {
      id: yield* (yield* IdGenerator).next("report"),
      taskId: task.id,
      type: task.type,
      format: request.format,
      contentType: renderer.contentType,
      fileName: reportFileName(request, renderer.fileExtension),
      request,
      tenantScope: task.tenantScope,
      createdAt: now,
      expiresAt: now + settings.reportRetentionMs,
    };
    const meta = yield* (yield* ReportStore).put({
      draft,
      content: source.bytes,
      rowCount: source.rowCount,
    });
    return meta.id;
  });

/**
 * Applies a finishing transition to the stored task. `applied: false` when the worker's lease
 * is gone (the task moved on without it): then nothing was written and `task` is as stored.
 */
const finishTask = (
  task: ReportTask,
  transition: (
    current: ReportTask,
    now: Instant,
  ) => Result.Result<ReportTask, LeaseLostError | IllegalTransitionError>,
): Effect.Effect<
  { readonly task: ReportTask; readonly applied: boolean },
  StorageError,
  TaskStore | Clock
> =>
  Effect.gen(function* () {
    const now = yield* (yield* Clock).now;
    const outcome = yield* updateStoredTask(task.id, (current) => transition(current, now)).pipe(
      Effect.result,
    );
    if (Result.isSuccess(outcome)) return { task: outcome.success, applied: true };
    const error = outcome.failure;
    if (error instanceof StorageError) return yield* error;
    return { task: yield* storedOrLast(task), applied: false };
  });

/** The task as stored now, or as last seen if it is gone. */
const storedOrLast = (task: ReportTask): Effect.Effect<ReportTask, StorageError, TaskStore> =>
  Effect.gen(function* () {
    const stored = yield* (yield* TaskStore).get(task.id);
    return Option.getOrElse(stored, () => task);
  });

/** Any failure to renew means the task is not ours to continue, unless storage failed. */
const asStopReason =
  (taskId: string, workerId: string) =>
  (
    error:
      | TaskCancelledError
      | LeaseLostError
      | IllegalTransitionError
      | NotFoundError
      | StorageError,
  ): StopReason => {
    if (error instanceof IllegalTransitionError || error instanceof NotFoundError) {
      return new LeaseLostError({ taskId, workerId, reason: error.message });
    }
    return error;
  };

const describeDefect = (defect: unknown): string =>
  defect instanceof Error ? defect.message : String(defect);
