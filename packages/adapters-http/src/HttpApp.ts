/**
 * The composition of the HTTP layer: the three faces on effect's HttpApi (`TallyApi`), their
 * handlers and middleware, the OpenAPI document (`/openapi.json`) and the Scalar reference page
 * (`/docs`, bundled: it loads nothing from elsewhere), all from the one API definition.
 *
 * - `TallyRoutes(options)` registers Tally's routes in an effect `HttpRouter` (a host's own
 *   routes beside them win over Tally's answers for unknown paths);
 * - `makeHttpApp(options)` is the whole application as one effect answering the current
 *   request (what `HttpLive` serves, and what a `node:http` server or Express app mounts);
 * - `HttpLive(options)` serves it on whatever `HttpServer` is provided.
 *
 * Small escape hatches where HttpApi cannot express Tally's behaviour, each documented where it
 * lives: requests no endpoint takes (`Unmatched`), representations chosen by `Accept` (face 1's
 * XML or JSON, report files), request bodies read by Tally's own reader (limits, strict UTF-8,
 * nesting depth) and decoded by the endpoint's Schema, and the OAuth 2 token answers.
 */
import { parseTimeZoneSpec, type ValidationError } from "@tally/core";
import { Cause, Context, Effect, Layer, Option, type Scope } from "effect";
import {
  HttpRouter,
  HttpServer,
  type HttpServerError,
  HttpServerRequest,
  HttpServerResponse,
} from "effect/http";
import { HttpApiBuilder, HttpApiScalar, OpenApi } from "effect/http-api";
import { TallyApi } from "./api/TallyApi.ts";
import { type HttpOptions, resolveHttpOptions } from "./HttpOptions.ts";
import { internalProblem } from "./problems/CoreErrorProblems.ts";
import { problemResponse } from "./problems/ProblemResponse.ts";
import { authenticationLayer } from "./server/AuthenticationLive.ts";
import { makeAuthenticator } from "./server/auth/Authenticator.ts";
import { type CoreServices, coreServiceKeys } from "./server/CoreServices.ts";
import type { HandlerContext } from "./server/Handling.ts";
import { factHandlers } from "./server/native/FactHandlers.ts";
import { ingestionHandlers } from "./server/native/IngestionHandlers.ts";
import { reportHandlers } from "./server/native/ReportHandlers.ts";
import { serviceHandlers } from "./server/native/ServiceHandlers.ts";
import { taskHandlers } from "./server/native/TaskHandlers.ts";
import { makePaths } from "./server/Paths.ts";
import { ProblemsLive } from "./server/ProblemsLive.ts";
import { unmatched } from "./server/Unmatched.ts";
import { licensingHandlers } from "./server/vendor/LicensingHandlers.ts";
import { virtualizationHandlers } from "./server/vendor/VirtualizationHandlers.ts";

/** The HTTP application: answers the current request; never fails. */
export type HttpApp = Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  HttpServerRequest.HttpServerRequest | Scope.Scope
>;

/**
 * The reference page loads nothing from elsewhere (Scalar's bundle and the document are inline,
 * its default web fonts are off), and the browser is told so: it works with no network.
 */
const referencePagePolicy =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; " +
  "img-src data:; font-src data:; connect-src 'self'";

/** The API as documented at a base path (the OpenAPI `servers`). */
const documentedApi = (basePath: string) =>
  basePath === "" ? TallyApi : TallyApi.annotate(OpenApi.Servers, [{ url: basePath }]);

/** `/openapi.json` and `/docs`, generated from the API definition. */
const referenceRoutes = (basePath: string) =>
  Layer.unwrap(
    Effect.gen(function* () {
      const api = documentedApi(basePath);
      const document = HttpServerResponse.jsonUnsafe(OpenApi.fromApi(api));
      // Scalar's page, answered from a router of its own so that the policy can be added.
      const pageRouter = yield* HttpRouter.make;
      yield* Layer.build(
        HttpApiScalar.layer(api, {
          path: "/docs",
          scalar: { withDefaultFonts: false, showOperationId: true },
        }).pipe(Layer.provide(Layer.succeed(HttpRouter.HttpRouter, pageRouter))),
      );
      const page = pageRouter.asHttpEffect();
      return Layer.mergeAll(
        HttpRouter.add("GET", "/openapi.json", Effect.succeed(document)),
        HttpRouter.add(
          "GET",
          "/docs",
          page.pipe(
            Effect.map(
              HttpServerResponse.setHeader("content-security-policy", referencePagePolicy),
            ),
            Effect.orDie,
          ),
        ),
      );
    }),
  );

/**
 * Tally's routes in an `HttpRouter`: every endpoint of `TallyApi` with its handlers, the
 * middleware, `/openapi.json` and `/docs`. The core's services are taken from the environment
 * when the layer is built and given to each request.
 */
export const TallyRoutes = (
  options?: Partial<HttpOptions>,
): Layer.Layer<never, ValidationError, HttpRouter.HttpRouter | CoreServices> =>
  Layer.unwrap(
    Effect.gen(function* () {
      const resolved = resolveHttpOptions(options);
      const face1Zone = yield* Effect.fromResult(
        parseTimeZoneSpec(resolved.face1Zone, "face1Zone"),
      );
      // The core's services alone: HttpApi gives each request the context its handlers were
      // built in (copied into the request's, entry by entry), so it holds nothing else.
      const services = Context.pick(...coreServiceKeys)(yield* Effect.context<CoreServices>());
      const authenticator = makeAuthenticator(resolved);
      const context: HandlerContext = { options: resolved, paths: makePaths(resolved.basePath) };
      const handlers = Layer.mergeAll(
        virtualizationHandlers(context, face1Zone),
        licensingHandlers(context, authenticator),
        reportHandlers(context),
        taskHandlers(context),
        factHandlers(context),
        ingestionHandlers(context),
        serviceHandlers,
      ).pipe(Layer.provide(Layer.mergeAll(authenticationLayer(authenticator), ProblemsLive)));
      const routes = Layer.mergeAll(
        HttpApiBuilder.layer(TallyApi).pipe(Layer.provide(builtIn(handlers, services))),
        referenceRoutes(resolved.basePath),
      ).pipe(Layer.provide(HttpServer.layerServices));
      // The handlers have the core's services (above); the types ask for them per request.
      return routes as Layer.Layer<never, never, HttpRouter.HttpRouter>;
    }),
  );

/**
 * `layer` built with exactly `context` — not also with the environment it is built in, as
 * `Layer.provide` would.
 */
const builtIn = <A, E, R>(
  // biome-ignore lint/suspicious/noExplicitAny: HttpApi's handler groups require per request
  layer: Layer.Layer<A, E, any>,
  context: Context.Context<R>,
): Layer.Layer<A, E> =>
  Layer.effectContext(
    Effect.flatMap(Effect.scope, (scope) =>
      Effect.updateContext(Layer.buildWithScope(layer, scope), () => context),
    ),
  );

const isRouteNotFound = (cause: Cause.Cause<unknown>): boolean => {
  const error = Cause.findErrorOption(cause);
  return (
    Option.isSome(error) &&
    (error.value as Partial<HttpServerError.HttpServerError>)?.reason?._tag === "RouteNotFound"
  );
};

/** Strips the base path from the request's URL, or answers a path outside it as unknown. */
const underBasePath = (basePath: string, app: HttpApp): HttpApp =>
  basePath === ""
    ? app
    : Effect.flatMap(Effect.service(HttpServerRequest.HttpServerRequest), (request): HttpApp => {
        const url = request.url;
        if (
          url !== basePath &&
          !url.startsWith(`${basePath}/`) &&
          !url.startsWith(`${basePath}?`)
        ) {
          return unmatched;
        }
        const rest = url.slice(basePath.length);
        return Effect.provideService(
          app,
          HttpServerRequest.HttpServerRequest,
          request.modify({ url: rest.startsWith("/") ? rest : `/${rest}` }),
        );
      });

/**
 * The whole application as one effect: Tally's routes, requests no endpoint takes answered
 * from the API definition, and a last line of defence that answers any defect with a generic
 * 500 (logged) — no request can make it fail. Lives as long as the scope.
 */
export const makeHttpApp = (
  options?: Partial<HttpOptions>,
): Effect.Effect<HttpApp, ValidationError, CoreServices | Scope.Scope> =>
  Effect.gen(function* () {
    const resolved = resolveHttpOptions(options);
    const routes = yield* HttpRouter.toHttpEffect(TallyRoutes(resolved));
    const app: HttpApp = routes.pipe(
      Effect.catchCause((cause) =>
        isRouteNotFound(cause)
          ? unmatched
          : Cause.hasInterruptsOnly(cause)
            ? Effect.failCause(cause)
            : Effect.as(
                Effect.logError("request handling failed", cause),
                problemResponse("native", internalProblem(), "/"),
              ),
      ),
    ) as HttpApp;
    return underBasePath(resolved.basePath, app);
  });

/**
 * `serve`, started so that requests run without the core's services in their own context: they
 * reach the handlers through the context the handlers were built in (see `TallyRoutes`), and
 * HttpApi copies each request's context once — the shorter, the cheaper.
 */
export const servedLean = <A, E, R>(serve: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.updateContext(
    serve,
    (context: Context.Context<R>) =>
      Context.omit(...coreServiceKeys)(context) as Context.Context<R>,
  );

/** Serves the application on the provided `HttpServer`. */
export const HttpLive = (
  options?: Partial<HttpOptions>,
): Layer.Layer<never, ValidationError, HttpServer.HttpServer | CoreServices> =>
  Layer.effectDiscard(
    Effect.flatMap(makeHttpApp(options), (app) => servedLean(HttpServer.serveEffect(app))),
  );

/** The methods Tally answers unknown paths for in a host's router (HEAD stays the router's). */
const fallbackMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] as const;

/**
 * Tally's routes registered in a host's `HttpRouter`, with Tally's answers for paths no route
 * takes (the host's own routes, more specific, win over them).
 */
export const HttpRouterRoutes = (
  options?: Partial<HttpOptions>,
): Layer.Layer<never, ValidationError, HttpRouter.HttpRouter | CoreServices> =>
  Layer.mergeAll(
    TallyRoutes(options),
    ...fallbackMethods.map((method) => HttpRouter.add(method, "/*", unmatched)),
  );
