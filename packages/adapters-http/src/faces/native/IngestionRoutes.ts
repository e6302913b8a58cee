/**
 * Native ingestion of the facts reports are made of (administrators only): tenants, VMs,
 * protection periods, organizations, users and license events. Each collection has
 *
 * - `PUT /v1/{collection}/{id}`: insert or replace one fact (JSON; `id` in the body is
 *   optional and must match the path);
 * - `POST /v1/{collection}`: insert or replace many, as a JSON array or as CSV
 *   (`Content-Type: text/csv`, a header line naming the columns). A batch is validated whole
 *   and written in one transaction; problems name the item (`items[3].start`) or the CSV row
 *   and column (`row 5, column start`).
 *
 * Timestamps are ISO 8601 with `Z` or an offset. Writes replace by id, so a batch can be sent
 * again safely.
 */
import {
  Authorizer,
  type FieldIssue,
  type IngestError,
  type IngestOptions,
  ingestLicenseEvents,
  ingestOrganizations,
  ingestProtectionPeriods,
  ingestTenants,
  ingestUsers,
  ingestVms,
  isoInstant,
  type Principal,
  ValidationError,
} from "@tally/core";
import { Effect, Result, Schema } from "effect";
import { describeActual, fieldProblem, validationProblem } from "../../problems/HttpProblem.ts";
import { isJsonMediaType, mediaTypeOf } from "../../protocol/ContentNegotiation.ts";
import { csvField, readCsvRecords } from "../../protocol/CsvRecords.ts";
import {
  decodeUtf8,
  parseJsonText,
  readBodyBytes,
  readJsonBody,
  unsupportedMediaType,
} from "../../protocol/RequestBody.ts";
import { jsonResponse } from "../../protocol/Responses.ts";
import { decodeDocument } from "../../protocol/SchemaDecoding.ts";
import type { AuthenticatedRoute, CoreServices } from "../../routing/Route.ts";
import {
  type FactFields,
  factColumns,
  factFromCsv,
  factFromJson,
  factSchema,
} from "./IngestionFields.ts";

/** One kind of fact and how it is ingested. */
export interface IngestionResource {
  /** Path segment, e.g. `protection-periods`. */
  readonly collection: string;
  /** Plural in words, e.g. `protection periods`. */
  readonly plural: string;
  readonly fields: FactFields;
  readonly ingest: (
    principal: Principal,
    items: unknown,
    options: IngestOptions,
  ) => Effect.Effect<number, IngestError, CoreServices>;
}

/** The six kinds of fact. */
export const ingestionResources: ReadonlyArray<IngestionResource> = [
  {
    collection: "tenants",
    plural: "tenants",
    fields: { id: { _tag: "Id" }, name: { _tag: "Text" } },
    ingest: ingestTenants,
  },
  {
    collection: "vms",
    plural: "VMs",
    fields: { id: { _tag: "Id" }, name: { _tag: "Text" }, tenantId: { _tag: "OptionalReference" } },
    ingest: ingestVms,
  },
  {
    collection: "protection-periods",
    plural: "protection periods",
    fields: {
      id: { _tag: "Id" },
      vmId: { _tag: "Reference" },
      start: { _tag: "Timestamp" },
      end: { _tag: "OptionalTimestamp" },
    },
    ingest: ingestProtectionPeriods,
  },
  {
    collection: "organizations",
    plural: "organizations",
    fields: {
      id: { _tag: "Id" },
      name: { _tag: "Text" },
      capacity: { _tag: "Count" },
      tenantId: { _tag: "OptionalReference" },
    },
    ingest: ingestOrganizations,
  },
  {
    collection: "users",
    plural: "licensed users",
    fields: { id: { _tag: "Id" }, name: { _tag: "Text" }, organizationId: { _tag: "Reference" } },
    ingest: ingestUsers,
  },
  {
    collection: "license-events",
    plural: "license events",
    fields: {
      id: { _tag: "Id" },
      userId: { _tag: "Reference" },
      kind: { _tag: "OneOf", values: ["assigned", "revoked"] },
      at: { _tag: "Timestamp" },
    },
    ingest: ingestLicenseEvents,
  },
];

const tags = ["Data ingestion"];

const requireAdministrator = (principal: Principal, action: string) =>
  Effect.gen(function* () {
    const authorizer = yield* Authorizer;
    return yield* Effect.fromResult(authorizer.requireAdministrator(principal, action));
  });

/**
 * Renames the core's issue fields (`batch[3].x`) with `rename`; the index is undefined when
 * the core could not tell which item (`batch[].x`).
 */
const renameIssues = (
  error: IngestError,
  prefix: string,
  rename: (index: number | undefined, rest: string) => string,
): IngestError => {
  if (!(error instanceof ValidationError)) return error;
  const pattern = new RegExp(`^${prefix}\\[(\\d*)\\]\\.?(.*)$`);
  return new ValidationError({
    issues: error.issues.map((issue) => {
      const match = pattern.exec(issue.field);
      return match === null
        ? issue
        : {
            ...issue,
            field: rename(match[1] === "" ? undefined : Number(match[1]), match[2] ?? ""),
          };
    }),
  });
};

/** A fact as JSON again (timestamps in ISO 8601 UTC). */
const factJson = (
  fields: FactFields,
  fact: Readonly<Record<string, unknown>>,
): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(fields).map(([name, kind]) => {
      const value = fact[name];
      return [
        name,
        (kind._tag === "Timestamp" || kind._tag === "OptionalTimestamp") &&
        typeof value === "number"
          ? isoInstant(value)
          : value,
      ];
    }),
  );

const failWithIssues = (issues: ReadonlyArray<FieldIssue>) =>
  Effect.fail(validationProblem(issues));

const csvExample = (resource: IngestionResource): string => Object.keys(resource.fields).join(",");

/** The two routes of one kind of fact. */
const resourceRoutes = (
  resource: IngestionResource,
  limits: { readonly maxBodyBytes: number; readonly maxCsvBodyBytes: number },
): ReadonlyArray<AuthenticatedRoute<CoreServices>> => {
  const schema = factSchema(resource.fields);
  const columns = factColumns(resource.fields);
  const action = `ingest ${resource.plural}`;
  return [
    {
      method: "PUT",
      path: `/v1/${resource.collection}/{id}`,
      face: "native",
      access: "authenticated",
      handle: ({ request, params, principal }) =>
        Effect.gen(function* () {
          yield* requireAdministrator(principal, action);
          const id = params.id as string;
          const body = yield* readJsonBody(request, limits.maxBodyBytes);
          if (body === null || typeof body !== "object" || Array.isArray(body)) {
            return yield* fieldProblem("body", "a JSON object", describeActual(body));
          }
          const given = body as Record<string, unknown>;
          if (given.id !== undefined && given.id !== id) {
            return yield* fieldProblem(
              "id",
              `the id of the path (${JSON.stringify(id)}) or nothing`,
              describeActual(given.id),
            );
          }
          const item = yield* decodeDocument(schema, { ...given, id });
          const fact = factFromJson(resource.fields, item, (field) => field);
          if (Result.isFailure(fact)) return yield* failWithIssues(fact.failure);
          yield* resource
            .ingest(principal, [fact.success], { field: "item" })
            .pipe(Effect.mapError((e) => renameIssues(e, "item", (_, rest) => rest || "body")));
          return jsonResponse(factJson(resource.fields, fact.success));
        }),
      doc: {
        operationId: `put_${resource.collection}`,
        summary: `Insert or replace one of the ${resource.plural}`,
        tags,
        requestBody: { content: { "application/json": { schema } } },
        responses: {
          "200": { description: "Stored; the fact as stored", content: { "application/json": {} } },
          "400": { description: "A malformed field or an unknown reference" },
          "401": { description: "No, unknown or expired credentials" },
          "403": { description: "Only administrators ingest data" },
          "413": { description: "Body too large" },
          "415": { description: "The body is not JSON" },
        },
      },
    },
    {
      method: "POST",
      path: `/v1/${resource.collection}`,
      face: "native",
      access: "authenticated",
      handle: ({ request, principal }) =>
        Effect.gen(function* () {
          yield* requireAdministrator(principal, action);
          const contentType = request.headers["content-type"];
          const mediaType = mediaTypeOf(contentType);
          let facts: Array<Record<string, unknown>>;
          let rename: (index: number | undefined, rest: string) => string;
          if (mediaType === "text/csv") {
            const text = yield* Effect.flatMap(
              readBodyBytes(request, limits.maxCsvBodyBytes),
              decodeUtf8,
            );
            facts = [];
            yield* readCsvRecords(text, columns, (row, cells) => {
              const fact = factFromCsv(resource.fields, row, cells);
              if (Result.isFailure(fact)) return fact.failure;
              facts.push(fact.success);
              return [];
            });
            rename = (index, rest) =>
              index === undefined ? `column ${rest}` : csvField(index + 2, rest);
          } else if (isJsonMediaType(mediaType)) {
            const text = yield* Effect.flatMap(
              readBodyBytes(request, limits.maxBodyBytes),
              decodeUtf8,
            );
            const json = yield* parseJsonText(text);
            if (!Array.isArray(json)) {
              return yield* fieldProblem(
                "body",
                `a JSON array of ${resource.plural}`,
                describeActual(json),
              );
            }
            const items = yield* decodeDocument(Schema.Array(schema), json, { prefix: "items" });
            const issues: Array<FieldIssue> = [];
            facts = [];
            items.forEach((item, i) => {
              const fact = factFromJson(resource.fields, item, (field) => `items[${i}].${field}`);
              if (Result.isSuccess(fact)) facts.push(fact.success);
              else issues.push(...fact.failure);
            });
            if (issues.length > 0) return yield* failWithIssues(issues);
            rename = (index, rest) => `items[${index ?? ""}].${rest}`;
          } else {
            return yield* unsupportedMediaType(contentType, ["application/json", "text/csv"]);
          }
          const count = yield* resource
            .ingest(principal, facts, { field: "batch" })
            .pipe(Effect.mapError((e) => renameIssues(e, "batch", rename)));
          return jsonResponse({ ingested: count });
        }),
      doc: {
        operationId: `bulk_${resource.collection}`,
        summary: `Insert or replace many ${resource.plural} (JSON array or CSV)`,
        description:
          `A JSON array, or CSV with a header line naming the columns (\`${csvExample(resource)}\`; ` +
          `\`,\` or \`;\` separated; ${columns.optional.length === 0 ? "all required" : `optional: ${columns.optional.join(", ")}`}). ` +
          "The whole batch is validated first and written in one transaction.",
        tags,
        requestBody: {
          content: {
            "application/json": { schema: Schema.Array(schema) },
            "text/csv": {
              schema: { jsonSchema: { type: "string" } },
              example: csvExample(resource),
            },
          },
        },
        responses: {
          "200": { description: "`{ingested: n}`", content: { "application/json": {} } },
          "400": {
            description:
              "Problems, each naming the item (`items[3].start`) or the CSV row and column",
          },
          "401": { description: "No, unknown or expired credentials" },
          "403": { description: "Only administrators ingest data" },
          "413": { description: "Body too large" },
          "415": { description: "Neither JSON nor CSV" },
        },
      },
    },
  ];
};

/** The ingestion routes of every kind of fact. */
export const ingestionRoutes = (limits: {
  readonly maxBodyBytes: number;
  readonly maxCsvBodyBytes: number;
}): ReadonlyArray<AuthenticatedRoute<CoreServices>> =>
  ingestionResources.flatMap((resource) => resourceRoutes(resource, limits));
