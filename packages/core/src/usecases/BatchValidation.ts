/**
 * Validating a batch of facts sent for ingestion with the domain's Schemas, into one
 * ValidationError whose issues name each bad field by its path (`items[3].vmId`), what was
 * expected, and what was given.
 *
 * Text must also be well-formed and free of U+0000: a lone surrogate cannot be stored as UTF-8
 * (SQLite would keep U+FFFD) and PostgreSQL's `text` cannot hold NUL, so such text would not
 * come back as sent.
 */
import { Result, Schema } from "effect";
import { type FieldIssue, ValidationError } from "../domain/errors.ts";
import { describeGiven, quoteGiven } from "../domain/GivenText.ts";
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
  const issues = malformedText(decoded.success, field);
  return issues.length === 0
    ? Result.succeed(decoded.success as ReadonlyArray<S["Type"]>)
    : Result.fail(new ValidationError({ issues }));
};

/** Issues for string fields holding a lone surrogate or U+0000, at most 20. */
const malformedText = (items: ReadonlyArray<unknown>, field: string): Array<FieldIssue> => {
  const issues: Array<FieldIssue> = [];
  for (let i = 0; i < items.length && issues.length < maxIssues; i++) {
    const item = items[i];
    if (item === null || typeof item !== "object") continue;
    for (const [key, value] of Object.entries(item)) {
      if (typeof value === "string" && (loneSurrogate.test(value) || value.includes("\u0000"))) {
        issues.push({
          field: `${field}[${i}].${key}`,
          expected: "well-formed Unicode text without U+0000",
          actual: quoteGiven(value),
        });
      }
    }
  }
  return issues;
};

/** With the `u` flag, a surrogate range matches only surrogates that are not part of a pair. */
const loneSurrogate = /[\uD800-\uDFFF]/u;
