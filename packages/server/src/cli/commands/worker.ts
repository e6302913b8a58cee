/**
 * `tally worker`: report workers and the sweeper only, no HTTP — for deployments where API
 * processes and worker processes share one PostgreSQL database. Stops gracefully on
 * SIGTERM/SIGINT.
 */
import { Effect } from "effect";
import { runUntilShutdown } from "../../worker/runUntilShutdown.ts";
import { ShutdownSignal } from "../ShutdownSignal.ts";
import { withTally } from "../withTally.ts";

/** Runs workers until a shutdown signal. */
export const runWorker = (configPath: string | undefined) =>
  Effect.gen(function* () {
    const shutdown = yield* ShutdownSignal;
    yield* shutdown.handleGracefully;
    yield* withTally({ configPath, logTo: "stdout" }, (config) =>
      Effect.gen(function* () {
        if (config.workers === 0) {
          yield* Effect.logWarning("TALLY_WORKERS is 0: this worker process runs no reports");
        }
        yield* runUntilShutdown(config, shutdown.received);
      }),
    );
  });
