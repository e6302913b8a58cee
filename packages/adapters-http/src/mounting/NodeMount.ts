/**
 * Mounting Tally's HTTP faces in a service Tally does not own: a plain `node:http` server or an
 * Express (connect) app serves Tally's API under a path (`/tally/v1/tasks/…`, `/tally/docs`)
 * beside its own routes, in its own process, on its own storage. The host builds the layers —
 * storage, clock, ids, renderers, settings, password hashing — into a `ManagedRuntime` it also
 * runs its own work with; Tally's handler takes them from it.
 *
 * ```ts
 * import { createServer } from "node:http";
 * import { mountTally } from "@tally/adapters-http";
 * import { ScryptPasswordHasher } from "@tally/adapters-storage";
 * import { InMemory } from "@tally/core";
 * import { ReportRenderersLive } from "@tally/renderers";
 * import { Layer, ManagedRuntime } from "effect";
 *
 * // The host's services, built once: its own work runs on this runtime too.
 * const runtime = ManagedRuntime.make(
 *   Layer.mergeAll(InMemory.layer, ReportRenderersLive, ScryptPasswordHasher.layer),
 * );
 * const tally = await mountTally(runtime, { basePath: "/tally" });
 * createServer((request, response) => {
 *   if (tally.handle(request, response)) return; // Tally's: /tally/v1/…, /tally/docs
 *   response.writeHead(404).end(); // the host's own routes
 * }).listen(3000);
 * // Express: app.use(tally.middleware), before body parsers (they would consume Tally's bodies).
 * ```
 *
 * Links and `Location` headers carry the base path; the OpenAPI document names it as server.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { NodeHttpServer } from "@effect/platform-node";
import { Effect, Exit, type ManagedRuntime, Scope } from "effect";
import { makeHttpApp, servedLean } from "../HttpApp.ts";
import type { HttpOptions } from "../HttpOptions.ts";
import type { CoreServices } from "../server/CoreServices.ts";

/** Tally's faces as a handler of a host's Node server. */
export interface TallyNodeHandler {
  /** The path Tally answers under, e.g. `/tally`. */
  readonly basePath: string;
  /** Answers the request when it is under the base path (true); leaves it alone otherwise (false). */
  readonly handle: (request: IncomingMessage, response: ServerResponse) => boolean;
  /**
   * Express (connect) middleware: answers Tally's requests, passes the others on. Works whether
   * it is installed at the root or at the base path (Express's `originalUrl` is honoured).
   */
  readonly middleware: (
    request: IncomingMessage & { readonly originalUrl?: string },
    response: ServerResponse,
    next: (error?: unknown) => void,
  ) => void;
  /** Stops answering and releases what the handler holds (not the host's runtime). */
  readonly close: () => Promise<void>;
}

/** Options of `mountTally`. */
export interface MountOptions {
  /** The path Tally is served under, e.g. `/tally` (no trailing slash). */
  readonly basePath: string;
  /** Options of the HTTP layer (limits, token lifetimes, face 1's zone, …). */
  readonly http?: Partial<Omit<HttpOptions, "basePath">>;
}

const isUnder = (basePath: string, url: string): boolean =>
  url === basePath || url.startsWith(`${basePath}/`) || url.startsWith(`${basePath}?`);

/** Tally's faces as a handler of the host's Node server, over the host's runtime. */
export const mountTally = async <ER>(
  runtime: ManagedRuntime.ManagedRuntime<CoreServices, ER>,
  options: MountOptions,
): Promise<TallyNodeHandler> => {
  const basePath = options.basePath.replace(/\/+$/, "");
  if (!basePath.startsWith("/")) {
    throw new Error(`basePath must start with "/", got ${JSON.stringify(options.basePath)}`);
  }
  const scope = Scope.makeUnsafe();
  const serve = await runtime.runPromise(
    Effect.gen(function* () {
      const app = yield* makeHttpApp({ ...options.http, basePath });
      return yield* servedLean(NodeHttpServer.makeHandler(app, { scope }));
    }).pipe(Scope.provide(scope)),
  );
  const handle: TallyNodeHandler["handle"] = (request, response) => {
    if (!isUnder(basePath, request.url ?? "")) return false;
    serve(request, response);
    return true;
  };
  return {
    basePath,
    handle,
    middleware: (request, response, next) => {
      // Express strips the path it mounted the middleware at; Tally routes by the whole path.
      if (request.originalUrl !== undefined) request.url = request.originalUrl;
      if (!handle(request, response)) next();
    },
    close: () => Effect.runPromise(Scope.close(scope, Exit.void)),
  };
};
