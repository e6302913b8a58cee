/**
 * Path, query and header parameters several endpoints share, as Schemas: page size and cursor
 * of keyset listings, lists of values (`state=Queued,Running`, or repeated), and the headers a
 * client may send.
 */
import { FactId, maxIdLength, maxListLimit, StorableText, storableTextRule } from "@tally/core";
import { Schema, SchemaTransformation } from "effect";
import { HttpApiSchema } from "effect/http-api";

/**
 * A path id: storable text no longer than any id Tally keeps, so that an id no backend could
 * hold is a 400 on every backend instead of reaching the database.
 */
export const PathId = StorableText({ minLength: 1, maxLength: maxIdLength }).annotate({
  description: `The id (1 to ${maxIdLength} characters; ${storableTextRule})`,
});

/** Page size of a listing: an integer from 1 (capped at the server's maximum, default 1000). */
export const Limit = Schema.String.check(Schema.isPattern(/^\d{1,9}$/))
  .annotate({ expected: `an integer from 1 to ${maxListLimit}` })
  .pipe(
    Schema.decodeTo(
      Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: maxListLimit })),
      SchemaTransformation.numberFromString,
    ),
  )
  .annotate({
    expected: `an integer from 1 to ${maxListLimit}`,
    description:
      "Page size (default 100; at most the server's maximum page size, 1000 unless configured)",
  });

/** The opaque cursor of the next page. */
export const Cursor = Schema.String.annotate({
  expected: "a cursor returned by a previous page (nextCursor)",
  description: "`nextCursor` of the previous page",
});

/** The query of a keyset listing. */
export const pageQuery = {
  limit: Schema.optionalKey(Limit),
  cursor: Schema.optionalKey(Cursor),
};

/** A tenant to narrow a listing to (administrators; an operator may name only its own). */
export const TenantScopeQuery = Schema.optionalKey(
  FactId.annotate({ description: "Only what is scoped to this tenant" }),
);

/**
 * A set of values given comma-separated and/or repeated (`state=Queued,Running` or
 * `state=Queued&state=Running`): each given value is a comma-separated list of `values`.
 */
export const ValueList = <const L extends ReadonlyArray<string>>(values: L) => {
  const expected = `one or more of ${values.join(", ")}, comma-separated`;
  return Schema.Array(
    Schema.String.check(
      Schema.makeFilter((text: string) => {
        const unknown = text
          .split(",")
          .map((v) => v.trim())
          .find((v) => v !== "" && !values.includes(v));
        return unknown === undefined
          ? undefined
          : `Expected ${expected}, got ${JSON.stringify(unknown)}`;
      }),
    ).annotate({ expected }),
  ).annotate({ description: expected });
};

/** The values of a `ValueList`, without repeats (undefined when none were given). */
export const listedValues = <A extends string>(
  given: ReadonlyArray<string> | undefined,
): ReadonlyArray<A> | undefined => {
  const values = (given ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  return values.length === 0 ? undefined : ([...new Set(values)] as Array<A>);
};

/** `Idempotency-Key`: makes retrying a submission safe. */
export const IdempotencyKeyHeader = Schema.optionalKey(
  Schema.String.annotate({
    description: `1 to 255 characters (${storableTextRule}); the same key and request return the same task, another request is a 409`,
  }),
);

/** The headers of a file download: `Range` (206 or 416), `If-Range`, `If-None-Match` (304). */
export const downloadHeaders = {
  range: Schema.optionalKey(
    Schema.String.annotate({ description: "`bytes=start-end`, `bytes=start-` or `bytes=-suffix`" }),
  ),
  "if-range": Schema.optionalKey(
    Schema.String.annotate({ description: "The ETag the `Range` is valid for" }),
  ),
  "if-none-match": Schema.optionalKey(
    Schema.String.annotate({ description: "An ETag from an earlier download" }),
  ),
};

/** The answers of a download besides the whole file: part of it, or not modified. */
export const partialDownloads = [
  HttpApiSchema.Empty(206).annotate({
    description: "Part of the file (`Range`), with `Content-Range: bytes start-end/size`",
  }),
  HttpApiSchema.Empty(304).annotate({ description: "Not modified (`If-None-Match`)" }),
];
