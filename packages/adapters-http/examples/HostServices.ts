/**
 * What a host service builds for Tally, shared by the two mounting examples: its own SQLite
 * database (which its own code writes too), the clock, random ids, the CSV/PDF renderers,
 * settings and password hashing — one `ManagedRuntime` for the host and Tally alike — and a
 * report worker in the host's process (the core's `runNextTask`).
 */
import { randomUUID } from "node:crypto";
import { ScryptPasswordHasher, SqliteStorage } from "@tally/adapters-storage";
import {
  AccountStore,
  defaultTallySettings,
  IdGenerator,
  PasswordHasher,
  runNextTask,
  SystemClock,
  TallySettings,
} from "@tally/core";
import { ReportRenderersLive } from "@tally/renderers";
import { Effect, Fiber, Layer, ManagedRuntime, Option } from "effect";

/** The host's services: its storage in `filename`, and what else the use cases need. */
export const hostLayer = (filename: string) =>
  Layer.mergeAll(
    SqliteStorage.layer({ filename }),
    SystemClock.layer,
    Layer.succeed(
      IdGenerator,
      IdGenerator.of({ next: (kind) => Effect.sync(() => `${kind}-${randomUUID()}`) }),
    ),
    ReportRenderersLive,
    ScryptPasswordHasher.layer,
    Layer.succeed(TallySettings, TallySettings.of(defaultTallySettings)),
  );

/** The host's runtime over its services. */
export const makeHostRuntime = (filename: string) => ManagedRuntime.make(hostLayer(filename));

/** The host's runtime. */
export type HostRuntime = ReturnType<typeof makeHostRuntime>;

/** Gives an API account to the host's users of Tally (the password is stored hashed). */
export const addAccount = (runtime: HostRuntime, username: string, password: string) =>
  runtime.runPromise(
    Effect.gen(function* () {
      yield* (yield* AccountStore).upsertAccount({
        username,
        passwordHash: yield* (yield* PasswordHasher).hash(password),
        role: "Administrator",
        tenantId: null,
      });
    }),
  );

/** Runs report tasks in the host's process until stopped; returns the stop. */
export const startWorker = (runtime: HostRuntime): (() => Promise<void>) => {
  const worker = runtime.runFork(
    Effect.forever(
      runNextTask(`host-${process.pid}`).pipe(
        Effect.flatMap((ran) => (Option.isNone(ran) ? Effect.sleep("100 millis") : Effect.void)),
        Effect.catchCause((cause) =>
          Effect.andThen(Effect.logWarning(cause), Effect.sleep("1 second")),
        ),
      ),
    ),
  );
  return () => Effect.runPromise(Fiber.interrupt(worker)).then(() => undefined);
};
