/**
 * `/openapi.json` against the API definition it is made from: the routes are enumerated from
 * `TallyApi` itself (`HttpApi.reflect`), not from a list kept here, so a route added to the
 * definition is checked without touching this file. Each route must be in the document with
 * its path, query and header parameters, its request body per media type, and every answer
 * the definition declares, with a schema per media type (files as binary, XML as text); and
 * `/docs` must be the Scalar page with nothing to fetch from elsewhere.
 */
import { Context, type Schema, SchemaAST } from "effect";
import { HttpApi, HttpApiSchema, OpenApi } from "effect/http-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Authentication } from "../src/api/Middleware.ts";
import { TallyApi } from "../src/api/TallyApi.ts";
import { startTally, type TallyFixture } from "./support/TallyFixture.ts";

interface MediaType {
  readonly schema?: { readonly type?: string; readonly format?: string };
}
interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly schema?: unknown;
}
interface Operation {
  readonly operationId?: string;
  readonly parameters?: ReadonlyArray<Parameter>;
  readonly requestBody?: { readonly content?: Record<string, MediaType> };
  readonly responses?: Record<string, { readonly content?: Record<string, MediaType> }>;
  readonly security?: ReadonlyArray<Record<string, unknown>>;
}
interface Document {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { readonly securitySchemes?: Record<string, unknown> };
}

/** What the document must say about one answer of an endpoint, per media type. */
type Body = "binary" | "text" | "any";

/** One endpoint as the definition declares it. */
interface DeclaredRoute {
  readonly where: string;
  readonly path: string;
  readonly method: string;
  readonly operationId: string;
  readonly pathParameters: ReadonlyArray<string>;
  readonly queryParameters: ReadonlyArray<string>;
  readonly headerParameters: ReadonlyArray<string>;
  /** Media type → what its schema must be; empty when the endpoint takes no body. */
  readonly requestBody: ReadonlyMap<string, Body>;
  /** Status → media type → what its schema must be (no media types: an answer without a body). */
  readonly responses: ReadonlyMap<string, Map<string, Body>>;
  readonly authenticated: boolean;
}

/** The encoding a Schema was given with `HttpApiSchema.asText/asJson/…` (none: JSON). */
const encodingOf = SchemaAST.resolveAt<HttpApiSchema.Encoding>("~httpApiEncoding");

/** A `HttpApiSchema.StreamUint8Array` (a file in the body), seen through `WithHeaders`. */
const streamOf = (schema: Schema.Top): { readonly contentTypes: ReadonlyArray<string> } | null => {
  const body = HttpApiSchema.isWithHeaders(schema) ? schema.schema : schema;
  return (body as { readonly _tag?: string })._tag === "StreamUint8Array"
    ? (body as unknown as { readonly contentTypes: ReadonlyArray<string> })
    : null;
};

/** The media type and expected schema of a (non-stream) body Schema, or null when it is void. */
const mediaTypeOf = (schema: Schema.Top): readonly [string, Body] | null => {
  const body = HttpApiSchema.isWithHeaders(schema) ? schema.schema : schema;
  if (HttpApiSchema.isNoContent(body.ast)) return null;
  const encoding = encodingOf(schema.ast) ?? encodingOf(body.ast);
  if (encoding === undefined) return ["application/json", "any"];
  switch (encoding._tag) {
    case "Text":
      return [encoding.contentType ?? "text/plain", "text"];
    case "Uint8Array":
      return [encoding.contentType ?? "application/octet-stream", "binary"];
    case "FormUrlEncoded":
      return [encoding.contentType ?? "application/x-www-form-urlencoded", "any"];
    default:
      return [encoding.contentType ?? "application/json", "any"];
  }
};

/** The field names of a parameters Schema (a struct of fields). */
const fieldsOf = (schema: Schema.Top | undefined): ReadonlyArray<string> => {
  if (schema === undefined) return [];
  expect(SchemaAST.isObjects(schema.ast), "parameters are a struct").toBe(true);
  return (schema.ast as SchemaAST.Objects).propertySignatures.map((p) => String(p.name));
};

/** Every endpoint of `TallyApi`, read from the definition. */
const declaredRoutes = (): ReadonlyArray<DeclaredRoute> => {
  const routes: Array<DeclaredRoute> = [];
  HttpApi.reflect(TallyApi, {
    onGroup: () => {},
    onEndpoint: ({ group, endpoint, middleware, successes, errors }) => {
      const path = endpoint.path.replace(/:(\w+)/g, "{$1}");
      const method = endpoint.method.toLowerCase();
      const responses = new Map<string, Map<string, Body>>();
      const answer = (status: number) => {
        const known = responses.get(String(status)) ?? new Map<string, Body>();
        responses.set(String(status), known);
        return known;
      };
      for (const [status, schemas] of [...successes, ...errors]) {
        const media = answer(status);
        for (const schema of schemas) {
          const type = mediaTypeOf(schema);
          if (type !== null) media.set(...type);
        }
      }
      // `reflect` leaves streamed bodies out: the files of the download endpoints.
      for (const schema of endpoint.success) {
        const stream = streamOf(schema);
        if (stream === null) continue;
        for (const contentType of stream.contentTypes) answer(200).set(contentType, "binary");
      }
      const requestBody = new Map<string, Body>();
      for (const [contentType, { schemas }] of endpoint.payload) {
        const kind = schemas.some((s) => encodingOf(s.ast)?._tag === "Text") ? "text" : "any";
        requestBody.set(contentType, kind);
      }
      routes.push({
        where: `${endpoint.method} ${path}`,
        path,
        method,
        operationId: Context.getOrElse(endpoint.annotations, OpenApi.Identifier, () =>
          group.topLevel ? endpoint.identifier : `${group.identifier}.${endpoint.identifier}`,
        ),
        pathParameters: [...endpoint.path.matchAll(/:(\w+)/g)].map((m) => m[1] as string),
        queryParameters: fieldsOf(endpoint.query),
        headerParameters: fieldsOf(endpoint.headers),
        requestBody,
        responses,
        authenticated: [...middleware].some((m) => m.key === Authentication.key),
      });
    },
  });
  return routes;
};

/** Checks one media type's schema against what the definition says the body is. */
const expectSchema = (where: string, media: MediaType | undefined, body: Body) => {
  expect(media?.schema, `${where}: a schema`).toBeDefined();
  if (body === "binary") expect(media?.schema, where).toMatchObject({ format: "binary" });
  if (body !== "any") expect(media?.schema?.type, where).toBe("string");
};

describe("the OpenAPI document", () => {
  let tally: TallyFixture;
  let doc: Document;
  const routes = declaredRoutes();
  beforeAll(async () => {
    tally = await startTally({ seed: false, worker: false });
    const res = await tally.fetch("/openapi.json");
    expect(res.status).toBe(200);
    doc = (await res.json()) as Document;
  });
  afterAll(() => tally.close());

  it("is read from a definition with every face in it", () => {
    // The enumeration itself: if it found nothing, every check below would pass vacuously.
    const prefixes = new Set(routes.map((r) => r.path.split("/")[1]));
    expect([...prefixes].sort()).toEqual(["api", "v1", "v6"]);
    expect(routes.length).toBeGreaterThanOrEqual(30);
    expect(doc.openapi).toBe("3.1.0");
  });

  it("lists every route of the definition, and no other but itself and the reference page", () => {
    const listed = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(listed.sort()).toEqual(
      [...routes.map((r) => r.where), "GET /openapi.json", "GET /docs"].sort(),
    );
    for (const route of routes) {
      expect(doc.paths[route.path]?.[route.method]?.operationId, route.where).toBe(
        route.operationId,
      );
    }
  });

  it("gives each route its path, query and header parameters, each with a schema", () => {
    for (const route of routes) {
      const parameters = doc.paths[route.path]?.[route.method]?.parameters ?? [];
      const named = (place: string) =>
        parameters
          .filter((p) => p.in === place)
          .map((p) => p.name)
          .sort();
      expect(named("path"), `${route.where}: path parameters`).toEqual(
        [...route.pathParameters].sort(),
      );
      expect(named("query"), `${route.where}: query parameters`).toEqual(
        [...route.queryParameters].sort(),
      );
      expect(named("header"), `${route.where}: header parameters`).toEqual(
        [...route.headerParameters].sort(),
      );
      for (const parameter of parameters) {
        expect(parameter.schema, `${route.where}: ${parameter.in} ${parameter.name}`).toBeDefined();
        if (parameter.in === "path") expect(parameter.required, route.where).toBe(true);
      }
    }
  });

  it("gives each route that takes a body its media types, each with a schema", () => {
    const withBodies = routes.filter((r) => r.requestBody.size > 0);
    expect(withBodies.length).toBeGreaterThan(10);
    for (const route of routes) {
      const body = doc.paths[route.path]?.[route.method]?.requestBody;
      if (route.requestBody.size === 0) {
        expect(body, `${route.where} takes no body`).toBeUndefined();
        continue;
      }
      expect(Object.keys(body?.content ?? {}).sort(), route.where).toEqual(
        [...route.requestBody.keys()].sort(),
      );
      for (const [mediaType, kind] of route.requestBody) {
        expectSchema(`${route.where} body ${mediaType}`, body?.content?.[mediaType], kind);
      }
    }
    // The token request is form-encoded, bulk ingestion takes JSON or CSV text.
    expect(doc.paths["/v6/Token"]?.post?.requestBody?.content).toHaveProperty(
      "application/x-www-form-urlencoded",
    );
    expectSchema(
      "CSV ingestion",
      doc.paths["/v1/vms"]?.post?.requestBody?.content?.["text/csv"],
      "text",
    );
  });

  it("gives each route every answer it declares, with a schema per media type", () => {
    for (const route of routes) {
      const responses = doc.paths[route.path]?.[route.method]?.responses ?? {};
      expect(Object.keys(responses).sort(), `${route.where}: statuses`).toEqual(
        [...route.responses.keys()].sort(),
      );
      for (const [status, media] of route.responses) {
        const content = responses[status]?.content ?? {};
        const where = `${route.where} → ${status}`;
        expect(Object.keys(content).sort(), `${where}: media types`).toEqual(
          [...media.keys()].sort(),
        );
        for (const [mediaType, kind] of media) {
          expectSchema(`${where} ${mediaType}`, content[mediaType], kind);
        }
      }
    }
  });

  it("describes the files and the XML as such", () => {
    // Spot checks that the rules above apply to the answers the issue names.
    const ok = (path: string, method: string) => doc.paths[path]?.[method]?.responses?.["200"];
    for (const [path, method, types] of [
      ["/v1/reports/{id}/content", "get", ["text/csv", "application/pdf"]],
      [
        "/api/2.0/virtualization/reports/tenants/{reportId}",
        "get",
        ["application/csv", "application/pdf"],
      ],
      ["/v6/Reports/GenerateLicenseOverview", "post", ["application/pdf", "text/csv"]],
    ] as const) {
      for (const type of types) {
        expect(ok(path, method)?.content?.[type]?.schema, `${path} ${type}`).toEqual({
          type: "string",
          format: "binary",
        });
      }
    }
    const task = ok("/api/2.0/virtualization/tasks/{id}", "get")?.content;
    expect(task?.["application/xml"]?.schema?.type).toBe("string");
    expect(task?.["application/json"]?.schema).toHaveProperty("$ref");
  });

  it("asks for credentials exactly where the definition puts the authentication middleware", () => {
    expect(Object.keys(doc.components.securitySchemes ?? {}).sort()).toEqual(["basic", "bearer"]);
    for (const route of routes) {
      const security = doc.paths[route.path]?.[route.method]?.security ?? [];
      expect(security.flatMap((s) => Object.keys(s)).sort(), `${route.where}: security`).toEqual(
        route.authenticated ? ["basic", "bearer"] : [],
      );
    }
    expect(
      routes
        .filter((r) => !r.authenticated)
        .map((r) => r.where)
        .sort(),
    ).toEqual(["GET /v1/health", "GET /v1/ready", "POST /v6/Token"]);
  });
});

describe("the reference page", () => {
  let tally: TallyFixture;
  beforeAll(async () => {
    tally = await startTally({ seed: false, worker: false });
  });
  afterAll(() => tally.close());

  it("is Scalar's page with its bundle and the document inline, and nothing to fetch elsewhere", async () => {
    const page = await tally.fetch("/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    // Scalar's bundle is in the page (a large inline script), with the whole document.
    expect(html).toMatch(/scalar/i);
    expect(html.length).toBeGreaterThan(500_000);
    expect(html).toContain("GenerateLicenseOverview");
    expect(html).toContain("problem-validation-failed");
    // No element loads anything: no script, stylesheet, font, image or frame from a URL.
    const tags = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, (s) =>
      s.slice(0, s.indexOf(">") + 1),
    );
    const loading = [...tags.matchAll(/<(script|link|img|iframe|source|object|embed)\b[^>]*>/gi)]
      .map((m) => m[0])
      .filter((tag) => /\s(src|href|data)\s*=/i.test(tag));
    expect(loading, "elements that load from a URL").toEqual([]);
    expect(html).not.toMatch(/<base\b/i);
    // And the browser is told to fetch nothing from elsewhere even if a script tried.
    const policy = page.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toMatch(/https?:|\*|'unsafe-eval'/);
  });
});
