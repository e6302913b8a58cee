/**
 * Decoding request documents with effect Schema, turning every schema issue into a field
 * issue `{ field, expected, actual }` (field as a path like `items[3].start`), so that a client
 * learns each thing that is wrong, not only the first.
 */
import type { FieldIssue } from "@tally/core";
import { Effect, Result, Schema, SchemaIssue } from "effect";
import { describeActual, type HttpProblem, validationProblem } from "../problems/HttpProblem.ts";

const formatter = SchemaIssue.makeFormatterStandardSchemaV1();

/** A path as `a.b[2].c`, under a prefix (e.g. `body`). */
export const fieldPath = (prefix: string, path: ReadonlyArray<PropertyKey>): string => {
  let out = prefix;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "body" : out;
};

const valueAt = (input: unknown, path: ReadonlyArray<PropertyKey>): unknown => {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
};

const expectedGot = /^Expected ([\s\S]*?), got ([\s\S]*)$/;

/** The field issues of a schema failure on `input`. */
export const fieldIssuesOf = (
  issue: SchemaIssue.Issue,
  input: unknown,
  prefix: string,
): ReadonlyArray<FieldIssue> =>
  formatter(issue).issues.map((i) => {
    const path = (i.path ?? []).map((p) =>
      typeof p === "object" && p !== null && "key" in p
        ? (p.key as PropertyKey)
        : (p as PropertyKey),
    );
    const field = fieldPath(prefix, path);
    const match = expectedGot.exec(i.message);
    if (match !== null && match[1] !== "no excess property") {
      return { field, expected: match[1] as string, actual: match[2] as string };
    }
    if (i.message === "Missing key") {
      return { field, expected: "a value (the field is required)", actual: "nothing" };
    }
    if (
      i.message.startsWith("Unexpected key") ||
      i.message.startsWith("Expected no excess property")
    ) {
      return {
        field,
        expected: "no such field (unknown fields are rejected)",
        actual: describeActual(valueAt(input, path)),
      };
    }
    return {
      field,
      expected: i.message.startsWith("Expected ") ? i.message.slice(9) : i.message,
      actual: describeActual(valueAt(input, path)),
    };
  });

/** How unknown fields are treated: rejected (native API) or ignored (vendor clients may send more). */
export interface DecodeOptions {
  readonly prefix?: string;
  readonly unknownFields?: "reject" | "ignore";
}

/** Decodes `input` with `schema`, returning every issue as a field issue. */
export const decodeWithIssues = <S extends Schema.ConstraintDecoder<unknown>>(
  schema: S,
  input: unknown,
  options: DecodeOptions = {},
): Result.Result<S["Type"], ReadonlyArray<FieldIssue>> => {
  const onExcessProperty = options.unknownFields === "ignore" ? "ignore" : "error";
  const result = Schema.decodeUnknownResult(schema, { errors: "all", onExcessProperty })(input);
  return Result.isSuccess(result)
    ? Result.succeed(result.success)
    : Result.fail(fieldIssuesOf(result.failure.issue, input, options.prefix ?? ""));
};

/** Decodes `input` with `schema` (all issues reported) or fails with a 400. */
export const decodeDocument = <S extends Schema.ConstraintDecoder<unknown>>(
  schema: S,
  input: unknown,
  options: DecodeOptions = {},
): Effect.Effect<S["Type"], HttpProblem> => {
  const result = decodeWithIssues(schema, input, options);
  return Result.isSuccess(result)
    ? Effect.succeed(result.success)
    : Effect.fail(validationProblem(result.failure));
};
