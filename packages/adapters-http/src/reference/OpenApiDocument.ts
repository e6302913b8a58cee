/**
 * The OpenAPI 3.1 document of every face, generated from the same route table that serves
 * requests: paths, parameters, bodies (effect Schemas converted to JSON Schema), responses with
 * their headers, security, and the problem-details schema of every error response.
 */
import { Schema } from "effect";
import { problemKinds, problemTypeUri } from "../problems/HttpProblem.ts";
import type { ContentDoc, CoreServices, DocSchema, Route } from "../routing/Route.ts";

/** Problem details as every error response carries them. */
export const ProblemSchema = Schema.Struct({
  type: Schema.String.annotate({
    description: "A URI identifying the problem type (see the reference page)",
  }),
  title: Schema.String,
  status: Schema.Int,
  detail: Schema.String,
  instance: Schema.optionalKey(Schema.String),
  errors: Schema.optionalKey(
    Schema.Array(
      Schema.Struct({
        field: Schema.String.annotate({
          description: "The parameter, header or body field (e.g. `items[2].start`)",
        }),
        expected: Schema.String,
        actual: Schema.String,
      }),
    ),
  ).annotate({ description: "For validation problems: each offending field" }),
  message: Schema.optionalKey(Schema.String).annotate({
    description: "License face only: the vendor's message",
  }),
  errorCode: Schema.optionalKey(Schema.String).annotate({
    description:
      "License face only: the vendor's code (ParameterValidationFailure, ResourceAccessDenied, ...)",
  }),
}).annotate({ identifier: "Problem", description: "RFC 9457 problem details" });

interface Components {
  readonly schemas: Record<string, unknown>;
}

const rewriteRefs = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      key === "$ref" && typeof v === "string"
        ? v.replace("#/$defs/", "#/components/schemas/")
        : rewriteRefs(v);
  }
  return out;
};

const toJsonSchema = (schema: DocSchema, components: Components): unknown => {
  if ("jsonSchema" in schema && !Schema.isSchema(schema)) return schema.jsonSchema;
  const document = Schema.toJsonSchemaDocument(schema as Schema.Top, { onExcessProperty: "error" });
  for (const [name, definition] of Object.entries(document.definitions ?? {})) {
    components.schemas[name] = rewriteRefs(definition);
  }
  return rewriteRefs(document.schema);
};

const contentOf = (content: ContentDoc, components: Components): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(content).map(([mediaType, entry]) => [
      mediaType,
      {
        ...(entry.schema === undefined ? {} : { schema: toJsonSchema(entry.schema, components) }),
        ...(entry.example === undefined ? {} : { example: entry.example }),
      },
    ]),
  );

const pathParameters = (path: string): Array<string> =>
  [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

/** Metadata of the document. */
export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
}

/** Builds the OpenAPI 3.1 document of a route table. */
export const makeOpenApiDocument = (
  routes: ReadonlyArray<Route<CoreServices>>,
  info: OpenApiInfo,
): Record<string, unknown> => {
  const components: Components = { schemas: {} };
  const problemRef = toJsonSchema(ProblemSchema, components);
  const paths: Record<string, Record<string, unknown>> = {};
  const tags = new Set<string>();
  for (const route of routes) {
    const doc = route.doc;
    for (const tag of doc.tags) tags.add(tag);
    const documented = new Set((doc.parameters ?? []).map((p) => `${p.in}:${p.name}`));
    const parameters = [
      ...pathParameters(route.path)
        .filter((name) => !documented.has(`path:${name}`))
        .map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
      ...(doc.parameters ?? []).map((p) => ({
        name: p.name,
        in: p.in,
        required: p.in === "path" ? true : (p.required ?? false),
        description: p.description,
        schema: p.schema ?? { type: "string" },
      })),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(doc.responses)) {
      const isError = Number(status) >= 400;
      responses[status] = {
        description: response.description,
        ...(response.headers === undefined
          ? {}
          : {
              headers: Object.fromEntries(
                Object.entries(response.headers).map(([name, description]) => [
                  name,
                  { description, schema: { type: "string" } },
                ]),
              ),
            }),
        ...(response.content !== undefined
          ? { content: contentOf(response.content, components) }
          : isError
            ? { content: { "application/problem+json": { schema: problemRef } } }
            : {}),
      };
    }
    const operation: Record<string, unknown> = {
      operationId: doc.operationId,
      summary: doc.summary,
      ...(doc.description === undefined ? {} : { description: doc.description }),
      tags: doc.tags,
      ...(parameters.length === 0 ? {} : { parameters }),
      ...(doc.requestBody === undefined
        ? {}
        : {
            requestBody: {
              required: true,
              ...(doc.requestBody.description === undefined
                ? {}
                : { description: doc.requestBody.description }),
              content: contentOf(doc.requestBody.content, components),
            },
          }),
      responses,
      security: route.access === "public" ? [] : [{ bearer: [] }, { basic: [] }],
    };
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operation;
    paths[route.path] = item;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: info.title,
      version: info.version,
      description: info.description,
    },
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    tags: [...tags].map((name) => ({ name })),
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description:
            "An access token from POST /v6/Token (60 minutes; refresh with the refresh token).",
        },
        basic: {
          type: "http",
          scheme: "basic",
          description: "A configured user name and password.",
        },
      },
    },
    "x-problem-types": Object.fromEntries(
      Object.entries(problemKinds).map(([kind, p]) => [
        problemTypeUri(kind as keyof typeof problemKinds),
        { status: p.status, title: p.title, meaning: p.meaning },
      ]),
    ),
  };
};
