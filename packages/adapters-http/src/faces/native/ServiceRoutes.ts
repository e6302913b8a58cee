/**
 * Operational endpoints, public by design: liveness (`/v1/health`), readiness (`/v1/ready`:
 * can storage be reached?), the OpenAPI document and the browsable reference page.
 */
import { TaskStore, TenantDirectory } from "@tally/core";
import { Effect } from "effect";
import { HttpServerResponse } from "effect/http";
import { HttpProblem } from "../../problems/HttpProblem.ts";
import { jsonResponse } from "../../protocol/Responses.ts";
import type { CoreServices, PublicRoute } from "../../routing/Route.ts";

const tags = ["Service"];

/** `GET /v1/health`: the process is up and serving. */
export const healthRoute: PublicRoute<CoreServices> = {
  method: "GET",
  path: "/v1/health",
  face: "native",
  access: "public",
  handle: () => Effect.succeed(jsonResponse({ status: "ok" })),
  doc: {
    operationId: "health",
    summary: "Liveness: the process serves requests",
    tags,
    responses: { "200": { description: "Alive", content: { "application/json": {} } } },
  },
};

/** `GET /v1/ready`: storage answers (tasks and facts can be read). */
export const readyRoute: PublicRoute<CoreServices> = {
  method: "GET",
  path: "/v1/ready",
  face: "native",
  access: "public",
  handle: () =>
    Effect.gen(function* () {
      yield* (yield* TaskStore).list({ limit: 1 });
      yield* (yield* TenantDirectory).listTenants({ limit: 1 });
      return jsonResponse({ status: "ready" });
    }).pipe(
      Effect.catchTag("StorageError", (error) =>
        Effect.andThen(
          Effect.logWarning(`readiness check failed: ${error.message}`),
          Effect.fail(
            new HttpProblem({
              kind: "service-unavailable",
              detail: "storage cannot be reached",
              headers: { "retry-after": "5" },
            }),
          ),
        ),
      ),
    ),
  doc: {
    operationId: "ready",
    summary: "Readiness: storage can be reached",
    tags,
    responses: {
      "200": { description: "Ready", content: { "application/json": {} } },
      "503": { description: "Storage cannot be reached" },
    },
  },
};

/** `GET /openapi.json`: the OpenAPI 3.1 document of every face. */
export const openApiRoute = (
  document: () => Record<string, unknown>,
): PublicRoute<CoreServices> => {
  let cached: string | undefined;
  return {
    method: "GET",
    path: "/openapi.json",
    face: "native",
    access: "public",
    handle: () =>
      Effect.sync(() => {
        cached ??= JSON.stringify(document());
        return HttpServerResponse.text(cached, { contentType: "application/json; charset=utf-8" });
      }),
    doc: {
      operationId: "openApiDocument",
      summary: "The OpenAPI 3.1 document",
      tags,
      responses: { "200": { description: "The document", content: { "application/json": {} } } },
    },
  };
};

/** `GET /docs`: the reference page, self-contained (nothing is loaded from elsewhere). */
export const referencePageRoute = (page: () => string): PublicRoute<CoreServices> => {
  let cached: string | undefined;
  return {
    method: "GET",
    path: "/docs",
    face: "native",
    access: "public",
    handle: () =>
      Effect.sync(() => {
        cached ??= page();
        return HttpServerResponse.text(cached, {
          contentType: "text/html; charset=utf-8",
          headers: {
            "content-security-policy":
              "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
          },
        });
      }),
    doc: {
      operationId: "referencePage",
      summary: "This reference as a web page (works offline)",
      tags,
      responses: { "200": { description: "HTML", content: { "text/html": {} } } },
    },
  };
};
