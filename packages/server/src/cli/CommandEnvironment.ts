/**
 * What every command does first: load and validate the configuration, install the JSON
 * logger, build the services the command needs, and run the command's program in a scope that
 * closes the database (and everything else) when it ends, however it ends. Each command names
 * the layer it needs (`withTally`: everything a report needs; `withStorage`: the storage
 * only), so it loads no module it does not use.
 */
import type { StorageError } from "@tally/core";
import { Effect, type Layer, Option, type Scope } from "effect";
import { GlobalFlag } from "effect/cli";
import type { ConfigError } from "../config/ConfigError.ts";
import { loadConfig } from "../config/loadConfig.ts";
import type { TallyConfig } from "../config/TallyConfig.ts";
import { JsonLoggerLayer, type LogDestination } from "../logging/JsonLogger.ts";

/** How a command wants its environment. */
export interface CommandEnvironmentOptions {
  /** `--config`, if given. */
  readonly configPath: string | undefined;
  /** Where log lines go (`serve`/`worker`: stdout; other commands: stderr). */
  readonly logTo: LogDestination;
  /** Changes the command makes to the loaded configuration (e.g. the demo's own database). */
  readonly adjust?: (config: TallyConfig) => TallyConfig;
}

/** Runs programs with the configuration and the services `makeLayer` builds from it. */
export const withEnvironment =
  <S>(makeLayer: (config: TallyConfig) => Layer.Layer<S, StorageError>) =>
  <A, E, R>(
    options: CommandEnvironmentOptions,
    program: (config: TallyConfig) => Effect.Effect<A, E, R>,
  ): Effect.Effect<A, E | ConfigError | StorageError, Exclude<R, S | Scope.Scope>> =>
    Effect.gen(function* () {
      const loaded = yield* loadConfig({ configPath: options.configPath });
      const adjusted = options.adjust === undefined ? loaded : options.adjust(loaded);
      // `--log-level` on the command line wins over TALLY_LOG_LEVEL and the file.
      const flagLevel = Option.flatten(yield* Effect.serviceOption(GlobalFlag.LogLevel));
      const config = Option.isSome(flagLevel)
        ? { ...adjusted, logLevel: flagLevel.value }
        : adjusted;
      return yield* program(config).pipe(
        // The command's own scope (workers, HTTP server) closes before the database does.
        Effect.scoped,
        Effect.provide(makeLayer(config)),
        Effect.provide(JsonLoggerLayer(options.logTo, config.logLevel)),
      );
    }) as Effect.Effect<A, E | ConfigError | StorageError, Exclude<R, S | Scope.Scope>>;
