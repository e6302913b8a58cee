/**
 * `tally serve`: the HTTP APIs and the report workers in one process. Configured users are
 * stored (hashed) at start; the listening address is logged (`"message":"listening"`, with
 * `url`), which is how a caller that asked for port 0 learns the port. On SIGTERM/SIGINT:
 * workers stop claiming, running reports finish or are released by the deadline, then the HTTP
 * server and the database close, and the process exits 0. An address it cannot listen on (a busy
 * port) stops it with exit code 1 and a `ListenError` naming the address and the setting.
 */
import { createServer } from "node:http";
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer";
import { HttpLive, type HttpOptions, nodeHttpServerOptions } from "@tally/adapters-http";
import { defaultPasswordLoginOptions, type LoginBackoffPolicy } from "@tally/core";
import { Context, Duration, Effect, Layer } from "effect";
import { HttpServer } from "effect/http";
import { provisionConfiguredUsers } from "../../accounts/AccountProvisioning.ts";
import type { TallyConfig } from "../../config/TallyConfig.ts";
import { runUntilShutdown } from "../../worker/runUntilShutdown.ts";
import { ListenError } from "../ListenError.ts";
import { ShutdownSignal } from "../ShutdownSignal.ts";
import { withTally } from "../withTally.ts";

/**
 * A back-off after `freeFailures`, starting at `firstDelayMs` and doubling up to 64 times that.
 */
const startingAt = (
  policy: LoginBackoffPolicy,
  freeFailures: number,
  firstDelayMs: number,
): LoginBackoffPolicy => ({
  ...policy,
  freeFailures,
  firstDelayMs,
  maxDelayMs: 64 * firstDelayMs,
  forgetAfterMs: Math.max(policy.forgetAfterMs, 64 * firstDelayMs),
});

/** The HTTP layer's options from the configuration. */
export const httpOptionsOf = (config: TallyConfig): Partial<HttpOptions> => ({
  face1Zone: config.face1Zone,
  passwordLogins: {
    ...defaultPasswordLoginOptions,
    perUser: startingAt(
      defaultPasswordLoginOptions.perUser,
      config.authFreeFailures,
      config.authBackoffMs,
    ),
    perAddress: startingAt(
      defaultPasswordLoginOptions.perAddress,
      4 * config.authFreeFailures,
      config.authBackoffMs,
    ),
  },
});

/** How long closing the HTTP server waits for requests still in flight. */
const httpCloseTimeout = Duration.seconds(5);

/** Serves HTTP and runs workers until a shutdown signal. */
export const runServe = (configPath: string | undefined) =>
  Effect.gen(function* () {
    const shutdown = yield* ShutdownSignal;
    yield* shutdown.handleGracefully;
    yield* withTally({ configPath, logTo: "stdout" }, (config) =>
      Effect.gen(function* () {
        yield* provisionConfiguredUsers(config.users);
        const http = HttpLive(httpOptionsOf(config)).pipe(
          Layer.provideMerge(
            NodeHttpServer.layer(() => createServer(nodeHttpServerOptions), {
              port: config.port,
              host: config.host,
              gracefulShutdownTimeout: httpCloseTimeout,
            }),
          ),
        );
        const context = yield* Layer.build(http).pipe(
          Effect.catchTag("ServeError", (error) =>
            Effect.fail(ListenError.fromCause(config.host, config.port, error.cause)),
          ),
        );
        const address = Context.get(context, HttpServer.HttpServer).address;
        const port = address._tag === "UnixPathAddress" ? config.port : address.port;
        const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
        yield* Effect.logInfo("listening").pipe(
          Effect.annotateLogs({ url, workers: config.workers, storage: config.storage._tag }),
        );
        yield* runUntilShutdown(config, shutdown.received);
      }),
    );
  });
