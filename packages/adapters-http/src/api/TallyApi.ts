/**
 * Tally's whole HTTP API, as one `HttpApi`: the two vendor faces and the native API. The
 * server, the OpenAPI document at `/openapi.json`, the reference page at `/docs` and the typed
 * client are all made from this one definition. `NativeApi` is the native part alone (what the
 * typed client speaks).
 */
import { Context } from "effect";
import { HttpApi, OpenApi } from "effect/http-api";
import { Authentication, authenticationSchemes } from "./Middleware.ts";
import { FactsApi, IngestionApi, ReportsApi, ServiceApi, TasksApi } from "./NativeApi.ts";
import { problemKinds, problemTypeUri } from "./Problem.ts";
import { LicensingApi, VirtualizationApi } from "./VendorApis.ts";

/** Tally's version, as the OpenAPI document gives it. */
export const apiVersion = "0.1.0";

const problemTypes = Object.entries(problemKinds)
  .map(
    ([kind, p]) =>
      `### problem-${kind}\n\n\`${problemTypeUri(kind as keyof typeof problemKinds)}\` — ` +
      `**${p.status} ${p.title}.** ${p.meaning}`,
  )
  .join("\n\n");

const description = `Tally keeps protection periods of tenants' VMs and license assignments of organizations' users, and turns them into CSV and PDF reports, asynchronously.

Three faces: the first vendor's API 2.0 (\`/api/2.0/virtualization/…\`, tenant protection reports), the second vendor's API v6 (\`/v6/…\`, token and license overview), and the native API (\`/v1/…\`). Authenticate with \`Authorization: Bearer <token>\` (from \`POST /v6/Token\`) or HTTP Basic; \`/v6/Token\`, \`/v1/health\`, \`/v1/ready\`, \`/openapi.json\` and \`/docs\` are public.

## Problem types

Every error is answered as \`application/problem+json\` (RFC 9457) with \`type\`, \`title\`, \`status\` and \`detail\`; validation problems list each offending field in \`errors\` as \`{field, expected, actual}\`. The license face (\`/v6\`) adds the vendor's \`message\` and \`errorCode\`.

${problemTypes}`;

/** The native API alone. */
export class NativeApi extends HttpApi.make("tally-native")
  .add(ReportsApi, TasksApi, FactsApi, IngestionApi, ServiceApi)
  .annotateMerge(
    OpenApi.annotations({
      title: "Tally native API",
      version: apiVersion,
    }),
  ) {}

/**
 * The two endpoints HttpApi does not declare (the document itself and the reference page are
 * routes of their own), added to the document so that it lists every route Tally serves.
 */
const referenceRoutes = (spec: Record<string, unknown>): Record<string, unknown> => ({
  ...spec,
  paths: {
    ...(spec.paths as Record<string, unknown>),
    "/openapi.json": {
      get: {
        tags: ["Service"],
        operationId: "openApiDocument",
        summary: "This OpenAPI 3.1 document",
        security: [],
        parameters: [],
        responses: {
          "200": {
            description: "The document",
            content: { "application/json": { schema: { type: "object" } } },
          },
        },
      },
    },
    "/docs": {
      get: {
        tags: ["Service"],
        operationId: "referencePage",
        summary:
          "The API reference as a web page (works offline: nothing is loaded from elsewhere)",
        security: [],
        parameters: [],
        responses: {
          "200": {
            description: "HTML",
            content: { "text/html": { schema: { type: "string" } } },
          },
        },
      },
    },
  },
});

type Operation = { readonly operationId?: string; security?: unknown };

/**
 * The security schemes, declared on every operation under the `Authentication` middleware (it
 * reads `Authorization` itself, so HttpApi does not know them — see `Authentication`).
 */
const securitySchemes = (spec: Record<string, unknown>): Record<string, unknown> => {
  const authenticated = new Set<string>();
  HttpApi.reflect(TallyApi, {
    onGroup: () => {},
    onEndpoint: ({ group, endpoint, middleware }) => {
      if (![...middleware].some((m) => m.key === Authentication.key)) return;
      authenticated.add(
        Context.getOrElse(endpoint.annotations, OpenApi.Identifier, () =>
          group.topLevel ? endpoint.identifier : `${group.identifier}.${endpoint.identifier}`,
        ),
      );
    },
  });
  const requirement = Object.keys(authenticationSchemes).map((name) => ({ [name]: [] }));
  const paths = spec.paths as Record<string, Record<string, Operation>>;
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      if (authenticated.has(operation.operationId ?? "")) operation.security = requirement;
    }
  }
  const components = spec.components as Record<string, unknown>;
  return { ...spec, components: { ...components, securitySchemes: authenticationSchemes } };
};

/** Every face of Tally. */
export class TallyApi extends HttpApi.make("tally")
  .add(VirtualizationApi, LicensingApi)
  .addHttpApi(NativeApi)
  // Every problem of a parameter is named at once, not only the first.
  .annotate(HttpApi.ParseOptions, { errors: "all" })
  .annotateMerge(
    OpenApi.annotations({
      title: "Tally",
      version: apiVersion,
      description,
      transform: (spec) => referenceRoutes(securitySchemes(spec)),
      override: {
        "x-problem-types": Object.fromEntries(
          Object.entries(problemKinds).map(([kind, p]) => [
            problemTypeUri(kind as keyof typeof problemKinds),
            p,
          ]),
        ),
      },
    }),
  ) {}
