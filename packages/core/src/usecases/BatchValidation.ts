/**
 * Validating a batch of facts sent for ingestion with the domain's Schemas, into one
 * ValidationError whose issues name each bad field by its path (`items[3].vmId`), what was
 * expected, and what was given.
 *
 * Ids and names must be storable text (the domain's Schemas say so: `StorableText`), so that
 * text no backend can keep as sent — NUL, lone surrogates — is refused here, alike on all.
 */
import { Result, Schema } from "effect";
import { ValidationError } from "../domain/errors.ts";
import { describeGiven } from "../domain/GivenText.ts";
import { fieldIssuesOf } from "../wire/SchemaIssues.ts";

/** At most this many issues are reported: enough to fix a batch, short enough to read. */
const maxIssues = 20;

/** Decodes `items` as an array of `schema`, or fails with every issue (up to 20), by path. */
export const decodeBatch = <S extends Schema.Top & { readonly DecodingServices: never }>(
  schema: S,
  items: unknown,
  field: string,
): Result.Result<ReadonlyArray<S["Type"]>, ValidationError> => {
  if (!Array.isArray(items)) {
    return Result.fail(ValidationError.single(field, "an array of items", describeGiven(items)));
  }
  const decoded = Schema.decodeUnknownResult(Schema.Array(schema), { errors: "all" })(items);
  if (Result.isFailure(decoded)) {
    const issues = fieldIssuesOf(decoded.failure.issue, items, field);
    return Result.fail(new ValidationError({ issues: issues.slice(0, maxIssues) }));
  }
  return Result.succeed(decoded.success as ReadonlyArray<S["Type"]>);
};
