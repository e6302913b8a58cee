/**
 * The sweeper: every few seconds, runs the housekeeping jobs — requeue or fail tasks whose
 * lease expired (a worker died), delete expired reports, delete expired tokens. Each job
 * returns how many things it handled; a failing job is logged and tried again next round,
 * never fatal (the database may be restarting).
 */
import { Duration, Effect, type Scope } from "effect";

/** One housekeeping job. */
export interface SweepJob<E, R> {
  /** For logs, e.g. `expired leases`. */
  readonly name: string;
  readonly run: Effect.Effect<number, E, R>;
}

/** Runs every job once, logging what each did; never fails. */
export const sweepOnce = <E, R>(
  jobs: ReadonlyArray<SweepJob<E, R>>,
): Effect.Effect<void, never, R> =>
  Effect.forEach(
    jobs,
    (job) =>
      job.run.pipe(
        Effect.flatMap((count) =>
          count > 0
            ? Effect.logInfo(`swept ${count} ${job.name}`).pipe(
                Effect.annotateLogs({ sweep: job.name, count }),
              )
            : Effect.void,
        ),
        Effect.catchCause((cause) =>
          Effect.logWarning(`sweeping ${job.name} failed; trying again next round`, cause),
        ),
      ),
    { discard: true },
  );

/** Starts the sweeper in the current scope: a round now, then one every `intervalMs`. */
export const startSweeper = <E, R>(
  jobs: ReadonlyArray<SweepJob<E, R>>,
  intervalMs: number,
): Effect.Effect<void, never, R | Scope.Scope> =>
  Effect.forkScoped(
    Effect.forever(sweepOnce(jobs).pipe(Effect.andThen(Effect.sleep(Duration.millis(intervalMs))))),
  ).pipe(Effect.asVoid);
