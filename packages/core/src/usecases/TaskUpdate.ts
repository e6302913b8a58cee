/**
 * Applying a lifecycle transition to the stored task. Tasks change under several hands at
 * once — a worker renewing its lease, a caller cancelling, a sweeper expiring leases, a
 * shutdown releasing held tasks — and a store replaces a task only if nobody changed it since
 * it was read (compare-and-set). So each update reads the latest version, applies the pure
 * transition to it, and tries again (a `Schedule`) when another change won the race.
 */
import { Data, Effect, Option, type Result, Schedule } from "effect";
import { NotFoundError, StorageError } from "../domain/errors.ts";
import type { ReportTask } from "../domain/ReportTask.ts";
import { TaskStore } from "../ports/TaskStore.ts";

/** Tries before giving up on a task that keeps changing between read and write. */
const maxTries = 8;

/** Another change was stored between this update's read and its write. */
class LostRace extends Data.TaggedError("LostRace") {}

/** Immediately again, `maxTries` tries in all: each try reads the newer version first. */
const raceRetries = Schedule.recurs(maxTries - 1);

/**
 * Reads the task, applies `transition` and stores the result if the task did not change in
 * between; otherwise reads it again, up to 8 times. A transition that returns the very same
 * task (an idempotent no-op) writes nothing. Returns the task as stored afterwards.
 */
export const updateStoredTask = <E>(
  taskId: string,
  transition: (task: ReportTask) => Result.Result<ReportTask, E>,
): Effect.Effect<ReportTask, E | NotFoundError | StorageError, TaskStore> =>
  Effect.gen(function* () {
    const tasks = yield* TaskStore;
    const stored = yield* tasks.get(taskId);
    if (Option.isNone(stored)) return yield* new NotFoundError({ resource: "task", id: taskId });
    const next = transition(stored.value);
    if (next._tag === "Failure") return yield* Effect.fail(next.failure);
    if (next.success === stored.value) return stored.value;
    if (yield* tasks.replace(next.success)) return next.success;
    return yield* new LostRace();
  }).pipe(
    Effect.retry({ schedule: raceRetries, while: (error) => error instanceof LostRace }),
    Effect.catchIf(
      (error): error is LostRace => error instanceof LostRace,
      () =>
        Effect.fail(
          new StorageError({
            reason: "SerializationFailure",
            operation: "replace",
            detail: `task '${taskId}' changed concurrently ${maxTries} times in a row`,
          }),
        ),
    ),
  );
