/**
 * The shutdown signal: SIGTERM or SIGINT, as a value a long-running command can wait for.
 * `serve` and `worker` declare that they shut down gracefully and then await it; every other
 * command is simply interrupted (and its finalizers give back what it held).
 */
import { Context, Deferred, Effect } from "effect";

/** The process's shutdown signal. */
export class ShutdownSignal extends Context.Service<
  ShutdownSignal,
  {
    /** Declares that this command handles the first signal itself (no interruption). */
    readonly handleGracefully: Effect.Effect<void>;
    /** Completes with the signal's name (`SIGTERM`, `SIGINT`) when one arrives. */
    readonly received: Effect.Effect<string>;
  }
>()("tally/server/ShutdownSignal") {}

/** The process-side half: what the signal handler calls. */
export interface ShutdownTrigger {
  readonly service: ShutdownSignal["Service"];
  /** True when a command declared graceful handling. */
  readonly isGraceful: () => boolean;
  /** Completes `received`. */
  readonly fire: (signal: string) => void;
}

/** Makes a shutdown signal and its trigger. */
export const makeShutdownSignal = (): ShutdownTrigger => {
  const deferred = Deferred.makeUnsafe<string>();
  let graceful = false;
  return {
    service: ShutdownSignal.of({
      handleGracefully: Effect.sync(() => {
        graceful = true;
      }),
      received: Deferred.await(deferred),
    }),
    isGraceful: () => graceful,
    fire: (signal) => {
      Deferred.doneUnsafe(deferred, Effect.succeed(signal));
    },
  };
};
