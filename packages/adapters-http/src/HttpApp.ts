/**
 * The composition of the HTTP layer: every face's routes in one table, served by one
 * dispatcher, with the OpenAPI document and reference page generated from that table.
 *
 * `makeHttpApp(options)` gives the application (an effect answering the current
 * `HttpServerRequest`, needing the core's services); `HttpLive(options)` serves it on whatever
 * `HttpServer` is provided (e.g. `NodeHttpServer.layer(createServer, { port })`);
 * `HttpRouterRoutes(options)` mounts it in an effect `HttpRouter` beside other routes.
 */
import { parseTimeZoneSpec, type ValidationError } from "@tally/core";
import { Effect, Layer } from "effect";
import {
  HttpRouter,
  HttpServer,
  type HttpServerRequest,
  type HttpServerResponse,
} from "effect/http";
import { makeAuthenticator } from "./auth/Authenticator.ts";
import { licenseOverviewRoute } from "./faces/licensing/LicenseOverviewRoute.ts";
import { tokenRoute } from "./faces/licensing/TokenRoute.ts";
import { factReadRoutes } from "./faces/native/FactReadRoutes.ts";
import { ingestionRoutes } from "./faces/native/IngestionRoutes.ts";
import { reportRoutes } from "./faces/native/ReportRoutes.ts";
import {
  healthRoute,
  openApiRoute,
  readyRoute,
  referencePageRoute,
} from "./faces/native/ServiceRoutes.ts";
import { taskRoutes } from "./faces/native/TaskRoutes.ts";
import { virtualizationRoutes } from "./faces/virtualization/VirtualizationRoutes.ts";
import { type HttpOptions, resolveHttpOptions } from "./HttpOptions.ts";
import { makeOpenApiDocument } from "./reference/OpenApiDocument.ts";
import { renderReferencePage } from "./reference/ReferencePage.ts";
import { makeDispatcher } from "./routing/Dispatcher.ts";
import type { CoreServices, Route } from "./routing/Route.ts";

/** The HTTP application: answers the current request; never fails. */
export type HttpApp = Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  HttpServerRequest.HttpServerRequest | CoreServices
>;

/** What `makeHttpApp` gives: the application and the OpenAPI document it serves. */
export interface TallyHttpApp {
  readonly app: HttpApp;
  readonly openApi: Record<string, unknown>;
  readonly routes: ReadonlyArray<Route<CoreServices>>;
}

const apiDescription =
  "Tally keeps protection periods of tenants' VMs and license assignments of organizations' users, " +
  "and turns them into CSV and PDF reports, asynchronously. Three faces: the first vendor's API 2.0 " +
  "(`/api/2.0/virtualization/…`, tenant protection reports), the second vendor's API v6 " +
  "(`/v6/…`, token and license overview), and the native API (`/v1/…`). Authenticate with " +
  "`Authorization: Bearer <token>` (from `POST /v6/Token`) or HTTP Basic.";

/** Builds the application; fails if `face1Zone` is not a valid zone spec. */
export const makeHttpApp = (
  options?: Partial<HttpOptions>,
): Effect.Effect<TallyHttpApp, ValidationError> =>
  Effect.gen(function* () {
    const resolved = resolveHttpOptions(options);
    const face1Zone = yield* Effect.fromResult(parseTimeZoneSpec(resolved.face1Zone, "face1Zone"));
    const authenticator = makeAuthenticator(resolved);
    const lifetimes = {
      accessTokenTtlMs: resolved.accessTokenTtlMs,
      refreshTokenTtlMs: resolved.refreshTokenTtlMs,
    };
    let openApi: Record<string, unknown> = {};
    const routes: ReadonlyArray<Route<CoreServices>> = [
      ...virtualizationRoutes(face1Zone),
      tokenRoute(authenticator, lifetimes, resolved.maxBodyBytes),
      licenseOverviewRoute({
        timeoutMs: resolved.syncReportTimeoutMs,
        pollMs: resolved.syncReportPollMs,
        maxBodyBytes: resolved.maxBodyBytes,
      }),
      ...reportRoutes(resolved),
      ...taskRoutes(resolved.maxPageSize),
      ...ingestionRoutes(resolved),
      ...factReadRoutes(resolved.maxPageSize),
      healthRoute,
      readyRoute,
      openApiRoute(() => openApi),
      referencePageRoute(() => renderReferencePage(openApi)),
    ];
    openApi = makeOpenApiDocument(routes, {
      title: "Tally",
      version: "0.1.0",
      description: apiDescription,
    });
    return { app: makeDispatcher(routes, authenticator), openApi, routes };
  });

/** Serves the application on the provided `HttpServer`. */
export const HttpLive = (
  options?: Partial<HttpOptions>,
): Layer.Layer<never, ValidationError, HttpServer.HttpServer | CoreServices> =>
  Layer.unwrap(Effect.map(makeHttpApp(options), ({ app }) => HttpServer.serve(app)));

/**
 * Registers the application with an effect `HttpRouter` as a catch-all route (`* /*`), so a
 * composition root can add its own routes beside it (the router prefers them). The core's
 * services are captured when the layer is built, so the route needs nothing per request.
 */
export const HttpRouterRoutes = (
  options?: Partial<HttpOptions>,
): Layer.Layer<never, ValidationError, HttpRouter.HttpRouter | CoreServices> =>
  HttpRouter.use((router) =>
    Effect.gen(function* () {
      const { app } = yield* makeHttpApp(options);
      const services = yield* Effect.context<CoreServices>();
      yield* router.add("*", "/*", Effect.provideContext(app, services));
      yield* router.add("*", "/", Effect.provideContext(app, services));
    }),
  );
