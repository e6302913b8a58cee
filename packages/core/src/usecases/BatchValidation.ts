/**
 * Validating a batch of facts sent for ingestion with the domain's Schemas, into one
 * ValidationError whose issues name each bad field by its path (`items[3].vmId`), what was
 * expected, and what was given.
 *
 * Text must also be well-formed and free of U+0000: a lone surrogate cannot be stored as UTF-8
 * (SQLite would keep U+FFFD) and PostgreSQL's `text` cannot hold NUL, so such text would not
 * come back as sent.
 */
import { Result, Schema, SchemaIssue } from "effect";
import { type FieldIssue, ValidationError } from "../domain/errors.ts";
import { quoteGiven } from "../domain/GivenText.ts";

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
    const formatted = SchemaIssue.makeFormatterStandardSchemaV1()(decoded.failure.issue);
    return Result.fail(
      new ValidationError({
        issues: formatted.issues.slice(0, maxIssues).map((issue) => {
          const path = issue.path ?? [];
          const given = valueAt(items, path);
          return {
            field: `${field}${formatPath(path.map(pathKey))}`,
            expected: expectedOf(issue.message),
            actual: given.present ? describeGiven(given.value) : "nothing (the field is missing)",
          };
        }),
      }),
    );
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

/** A Schema message as an `expected` text: "Expected string" → "string". */
const expectedOf = (message: string): string => {
  if (message === "Missing key") return "a value";
  const stripped = message.replace(/^Expected /, "");
  return stripped.replace(/, got .*$/s, "");
};

/** A path as people write it: `[3].vmId`, `[0]["odd key"]`. */
const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path
    .map((key) =>
      typeof key === "number"
        ? `[${key}]`
        : typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)
          ? `.${key}`
          : `[${JSON.stringify(String(key))}]`,
    )
    .join("");

const pathKey = (segment: PropertyKey | { readonly key: PropertyKey }): PropertyKey =>
  typeof segment === "object" ? segment.key : segment;

/** The value at a path of the input, and whether it was there at all. */
const valueAt = (
  input: unknown,
  path: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>,
): { readonly present: boolean; readonly value: unknown } => {
  let current: unknown = input;
  for (const segment of path) {
    const key = pathKey(segment);
    if (current === null || typeof current !== "object" || !(key in current)) {
      return { present: false, value: undefined };
    }
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return { present: true, value: current };
};

/** What was given, for an error message: strings quoted, other values as JSON, cut short. */
export const describeGiven = (value: unknown): string => {
  if (typeof value === "string") return quoteGiven(value);
  if (value === undefined) return "nothing";
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  const text = json ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}… (${typeof value})` : text;
};
