/**
 * Serving the HTTP application on an ephemeral loopback port (127.0.0.1:0), for tests and for
 * embedding: the real Node HTTP server, so tests go over real HTTP.
 */
import { createServer, type ServerOptions } from "node:http";
import { NodeHttpServer } from "@effect/platform-node";
import type { ValidationError } from "@tally/core";
import { Context, Effect, Layer, type Scope } from "effect";
import { HttpServer, type HttpServerError } from "effect/http";
import { makeHttpApp } from "./HttpApp.ts";
import type { HttpOptions } from "./HttpOptions.ts";
import type { CoreServices } from "./server/CoreServices.ts";

/**
 * Options for the Node server that serves Tally. Tally serves no protocol upgrades (no
 * WebSockets), so a request with `Upgrade` is an ordinary request whose body is read and
 * limited like any other. (Handed to the upgrade handler, a body larger than the socket's
 * buffer was never read and the connection never closed: each such request leaked a socket
 * and held up shutdown.)
 */
export const nodeHttpServerOptions: ServerOptions = { shouldUpgradeCallback: () => false };

/** A running loopback server. */
export interface LoopbackServer {
  /** e.g. `http://127.0.0.1:43817` (no trailing slash). */
  readonly baseUrl: string;
  readonly port: number;
}

/**
 * Starts the application on 127.0.0.1 with a port the OS picks; it stops when the scope
 * closes. The core's services come from the environment (e.g. `InMemory.layer`).
 */
export const serveOnLoopback = (
  options?: Partial<HttpOptions>,
): Effect.Effect<
  LoopbackServer,
  ValidationError | HttpServerError.ServeError,
  Scope.Scope | CoreServices
> =>
  Effect.gen(function* () {
    const app = yield* makeHttpApp(options);
    const context = yield* Layer.build(
      NodeHttpServer.layer(() => createServer(nodeHttpServerOptions), {
        port: 0,
        host: "127.0.0.1",
      }),
    );
    const server = Context.get(context, HttpServer.HttpServer);
    yield* Effect.provideContext(HttpServer.serveEffect(app), context);
    const address = server.address;
    const port = address._tag === "UnixPathAddress" ? 0 : address.port;
    return { baseUrl: `http://127.0.0.1:${port}`, port };
  });
