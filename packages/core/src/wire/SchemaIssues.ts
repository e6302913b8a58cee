/**
 * Schema failures as the field issues Tally answers with: each one names the field by its path
 * (`items[3].start`, `row 5, column start` once renamed), what was expected and what was given,
 * so that a caller learns everything that is wrong with a request at once, in its own words.
 *
 * A check that knows better than the input what to quote (an instant formatted back, a cell
 * with its problem) says so in its message: `Expected <what>, got <given>`.
 */
import { Result, Schema, SchemaIssue } from "effect";
import { type FieldIssue, ValidationError } from "../domain/errors.ts";
import { describeGiven } from "../domain/GivenText.ts";

const formatter = SchemaIssue.makeFormatterStandardSchemaV1();

const expectedGot = /^Expected ([\s\S]*?), got ([\s\S]*)$/;

/** The most issues one failure lists: enough to fix a request, short enough to read. */
export const maxFieldIssues = 100;

/** A path as people write it: `start`, `items[3].vmId`, `[0]["odd key"]`, under `prefix`. */
export const formatFieldPath = (prefix: string, path: ReadonlyArray<PropertyKey>): string => {
  let out = prefix;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$-]*$/.test(key)) {
      out += out === "" ? key : `.${key}`;
    } else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === "" ? "body" : out;
};

const keyOf = (segment: PropertyKey | { readonly key: PropertyKey }): PropertyKey =>
  typeof segment === "object" && segment !== null ? segment.key : segment;

/** The value at a path of the input, and whether it was there at all. */
const valueAt = (
  input: unknown,
  path: ReadonlyArray<PropertyKey>,
): { readonly present: boolean; readonly value: unknown } => {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object" || !(key in current)) {
      return { present: false, value: undefined };
    }
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return { present: true, value: current };
};

const unknownField = /^(Expected no excess property|Unexpected key)/;

/** The field issues of a schema failure on `input`, fields named under `prefix`. */
export const fieldIssuesOf = (
  issue: SchemaIssue.Issue,
  input: unknown,
  prefix = "",
): ReadonlyArray<FieldIssue> =>
  formatter(issue)
    .issues.slice(0, maxFieldIssues)
    .map((formatted) => {
      const path = (formatted.path ?? []).map(keyOf);
      const field = formatFieldPath(prefix, path);
      const given = valueAt(input, path);
      const actual = given.present ? describeGiven(given.value) : "nothing";
      if (unknownField.test(formatted.message)) {
        return { field, expected: "no such field (unknown fields are rejected)", actual };
      }
      if (formatted.message === "Missing key") {
        return { field, expected: "a value (the field is required)", actual: "nothing" };
      }
      const spelled = expectedGot.exec(formatted.message);
      if (spelled !== null) {
        return { field, expected: spelled[1] as string, actual: spelled[2] as string };
      }
      const expected = formatted.message.replace(/^Expected /, "");
      return { field, expected, actual };
    });

/** How a decoding treats the input. */
export interface DecodeIssuesOptions {
  /** The name the fields are under in issues (`items` gives `items[3].id`). */
  readonly prefix?: string | undefined;
  /** Unknown fields are rejected (the native API) or ignored (vendor clients send more). */
  readonly unknownFields?: "reject" | "ignore" | undefined;
}

/** Decodes `input` with `schema`, reporting every problem as a field issue. */
export const decodeWithIssues = <S extends Schema.Decoder<unknown>>(
  schema: S,
  input: unknown,
  options: DecodeIssuesOptions = {},
): Result.Result<S["Type"], ValidationError> => {
  const decoded = Schema.decodeUnknownResult(schema, {
    errors: "all",
    onExcessProperty: options.unknownFields === "ignore" ? "ignore" : "error",
  })(input);
  return Result.isSuccess(decoded)
    ? Result.succeed(decoded.success)
    : Result.fail(
        new ValidationError({
          issues: fieldIssuesOf(decoded.failure.issue, input, options.prefix),
        }),
      );
};

/** An issue whose message spells out what was expected and what was given. */
export const spelledIssue = (expected: string, actual: string): SchemaIssue.InvalidValue =>
  new SchemaIssue.InvalidValue({ message: `Expected ${expected}, got ${actual}` });
