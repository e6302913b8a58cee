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
 * A fact's wire form — JSON and CSV alike — is the core's (`factWireForms`): one Schema per
 * kind of fact. Writes replace by id, so a batch can be sent again safely.
 */
import {
  Authorizer,
  decodeWithIssues,
  describeGiven,
  type FactCollection,
  type FactWireForm,
  type FieldIssue,
  factWireForms,
  type IngestError,
  type IngestOptions,
  ingestLicenseEvents,
  ingestOrganizations,
  ingestProtectionPeriods,
  ingestTenants,
  ingestUsers,
  ingestVms,
  type Principal,
  ValidationError,
} from "@tally/core";
import { Effect, Result, Schema } from "effect";
import type { HttpServerRequest } from "effect/http";
import { HttpApiBuilder } from "effect/http-api";
import { CurrentPrincipal } from "../../api/Middleware.ts";
import { TallyApi } from "../../api/TallyApi.ts";
import { fieldProblem } from "../../problems/HttpProblem.ts";
import { isJsonMediaType, mediaTypeOf } from "../../protocol/ContentNegotiation.ts";
import { csvField, readCsvRecords } from "../../protocol/CsvRecords.ts";
import {
  decodeUtf8,
  parseJsonText,
  readBodyBytes,
  readJsonBody,
  unsupportedMediaType,
} from "../../protocol/RequestBody.ts";
import type { CoreServices } from "../CoreServices.ts";
import { answeredByProblems, type HandlerContext } from "../Handling.ts";

/** The core's ingestion use case of each collection. */
const ingestors: Readonly<
  Record<
    FactCollection,
    (
      principal: Principal,
      items: unknown,
      options: IngestOptions,
    ) => Effect.Effect<number, IngestError, CoreServices>
  >
> = {
  tenants: ingestTenants,
  vms: ingestVms,
  "protection-periods": ingestProtectionPeriods,
  organizations: ingestOrganizations,
  users: ingestUsers,
  "license-events": ingestLicenseEvents,
};

const requireAdministrator = (principal: Principal, plural: string) =>
  Effect.flatMap(Effect.service(Authorizer), (authorizer) =>
    Effect.fromResult(authorizer.requireAdministrator(principal, `ingest ${plural}`)),
  );

/**
 * Renames the fields of the core's issues (`batch[3].x`) with `rename`; the index is undefined
 * when the core could not tell which item (`batch[].x`).
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

/** The facts of a CSV body, each record decoded by the fact's wire form. */
const csvFacts = <A>(form: FactWireForm<A>, text: string) =>
  Effect.gen(function* () {
    const facts: Array<A> = [];
    yield* readCsvRecords(text, form.columns, (row, cells) => {
      const decoded = decodeWithIssues(form.schema, form.fromCsvRecord(cells));
      if (Result.isSuccess(decoded)) {
        facts.push(decoded.success);
        return [];
      }
      return decoded.failure.issues.map(
        (issue): FieldIssue => ({
          ...issue,
          field: issue.field === "body" ? `row ${row}` : csvField(row, issue.field),
        }),
      );
    });
    return facts;
  });

/** The facts of a JSON array body, each item decoded by the fact's wire form. */
const jsonFacts = <A>(form: FactWireForm<A>, json: unknown) =>
  Effect.gen(function* () {
    if (!Array.isArray(json)) {
      return yield* fieldProblem("body", `a JSON array of ${form.plural}`, describeGiven(json));
    }
    return yield* Effect.fromResult(
      decodeWithIssues(Schema.Array(form.schema), json, { prefix: "items" }),
    );
  });

/** `PUT /v1/{collection}/{id}`: one fact, answered as stored. */
const putOne =
  <C extends FactCollection>(collection: C, { options }: HandlerContext) =>
  ({
    request,
    params,
  }: {
    readonly request: HttpServerRequest.HttpServerRequest;
    readonly params: { readonly id: string };
  }) =>
    answeredByProblems(
      Effect.gen(function* () {
        const form: FactWireForm<unknown> = factWireForms[collection];
        const principal = yield* CurrentPrincipal;
        yield* requireAdministrator(principal, form.plural);
        const body = yield* readJsonBody(request, options.maxBodyBytes);
        if (body === null || typeof body !== "object" || Array.isArray(body)) {
          return yield* fieldProblem("body", "a JSON object", describeGiven(body));
        }
        const given = body as Record<string, unknown>;
        if (given.id !== undefined && given.id !== params.id) {
          return yield* fieldProblem(
            "id",
            `the id of the path (${JSON.stringify(params.id)}) or nothing`,
            describeGiven(given.id),
          );
        }
        const fact = yield* Effect.fromResult(
          decodeWithIssues(form.schema, { ...given, id: params.id }),
        );
        yield* ingestors[collection](principal, [fact], { field: "item" }).pipe(
          Effect.mapError((e) => renameIssues(e, "item", (_, rest) => rest || "body")),
        );
        // The endpoint's success is this collection's wire form: HttpApi encodes the fact by it.
        return fact as (typeof factWireForms)[C]["schema"]["Type"];
      }),
    );

/** `POST /v1/{collection}`: many facts, a JSON array or CSV. */
const ingestMany =
  (collection: FactCollection, { options }: HandlerContext) =>
  ({ request }: { readonly request: HttpServerRequest.HttpServerRequest }) =>
    answeredByProblems(
      Effect.gen(function* () {
        const form: FactWireForm<unknown> = factWireForms[collection];
        const principal = yield* CurrentPrincipal;
        yield* requireAdministrator(principal, form.plural);
        const contentType = request.headers["content-type"];
        const mediaType = mediaTypeOf(contentType);
        let facts: ReadonlyArray<unknown>;
        let rename: (index: number | undefined, rest: string) => string;
        if (mediaType === "text/csv") {
          const bytes = yield* readBodyBytes(request, options.maxCsvBodyBytes);
          facts = yield* csvFacts(form, yield* decodeUtf8(bytes));
          rename = (index, rest) =>
            index === undefined ? `column ${rest}` : csvField(index + 2, rest);
        } else if (isJsonMediaType(mediaType)) {
          const bytes = yield* readBodyBytes(request, options.maxBodyBytes);
          facts = yield* jsonFacts(form, yield* parseJsonText(yield* decodeUtf8(bytes)));
          rename = (index, rest) => `items[${index ?? ""}].${rest}`;
        } else {
          return yield* unsupportedMediaType(contentType, ["application/json", "text/csv"]);
        }
        const ingested = yield* ingestors[collection](principal, facts, { field: "batch" }).pipe(
          Effect.mapError((e) => renameIssues(e, "batch", rename)),
        );
        return { ingested };
      }),
    );

/** The handlers of the `ingestion` group. */
export const ingestionHandlers = (context: HandlerContext) =>
  HttpApiBuilder.group(TallyApi, "ingestion", (handlers) =>
    handlers
      .handleRaw("put_tenants", putOne("tenants", context))
      .handleRaw("bulk_tenants", ingestMany("tenants", context))
      .handleRaw("put_vms", putOne("vms", context))
      .handleRaw("bulk_vms", ingestMany("vms", context))
      .handleRaw("put_protection-periods", putOne("protection-periods", context))
      .handleRaw("bulk_protection-periods", ingestMany("protection-periods", context))
      .handleRaw("put_organizations", putOne("organizations", context))
      .handleRaw("bulk_organizations", ingestMany("organizations", context))
      .handleRaw("put_users", putOne("users", context))
      .handleRaw("bulk_users", ingestMany("users", context))
      .handleRaw("put_license-events", putOne("license-events", context))
      .handleRaw("bulk_license-events", ingestMany("license-events", context)),
  );
