/**
 * The fields of ingested facts, declared once: from the declaration come the JSON schema of a
 * fact (for decoding and for the OpenAPI document), the CSV columns, and the conversion of a
 * JSON object or a CSV record into the core's value (timestamps into epoch ms, absent
 * references into null), with every problem named by field.
 */
import type { FieldIssue } from "@tally/core";
import { Result, Schema } from "effect";
import { describeActual } from "../../problems/HttpProblem.ts";
import { type CsvColumns, csvField } from "../../protocol/CsvRecords.ts";
import { parseOffsetTimestamp } from "../../protocol/WireInstant.ts";

/** What kind of value a field holds. */
export type FieldKind =
  | { readonly _tag: "Id" }
  | { readonly _tag: "Text" }
  | { readonly _tag: "Reference" }
  | { readonly _tag: "OptionalReference" }
  | { readonly _tag: "Count" }
  | { readonly _tag: "Timestamp" }
  | { readonly _tag: "OptionalTimestamp" }
  | { readonly _tag: "OneOf"; readonly values: ReadonlyArray<string> };

/** Field declarations of a fact, in column order. */
export type FactFields = Readonly<Record<string, FieldKind>>;

const idSchema = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(128));

const schemaOf = (kind: FieldKind) => {
  switch (kind._tag) {
    case "Id":
      return idSchema.annotate({ description: "1 to 128 characters" });
    case "Text":
      return Schema.String;
    case "Reference":
      return idSchema.annotate({ description: "the id of an existing object" });
    case "OptionalReference":
      return Schema.optionalKey(Schema.NullOr(idSchema)).annotate({
        description: "the id of an existing object, or null/absent for none",
      });
    case "Count":
      return Schema.Int.check(Schema.isGreaterThanOrEqualTo(0));
    case "Timestamp":
      return Schema.String.annotate({ description: "ISO 8601 with Z or an offset" });
    case "OptionalTimestamp":
      return Schema.optionalKey(Schema.NullOr(Schema.String)).annotate({
        description: "ISO 8601 with Z or an offset, or null/absent for still ongoing",
      });
    case "OneOf":
      return Schema.Literals(kind.values as ReadonlyArray<string>);
  }
};

/** The JSON schema of one fact. */
export const factSchema = (fields: FactFields) =>
  Schema.Struct(
    Object.fromEntries(Object.entries(fields).map(([name, kind]) => [name, schemaOf(kind)])),
  );

/** The CSV columns of a fact: optional references and timestamps may be left out. */
export const factColumns = (fields: FactFields): CsvColumns => ({
  required: Object.entries(fields)
    .filter(([, k]) => k._tag !== "OptionalReference" && k._tag !== "OptionalTimestamp")
    .map(([n]) => n),
  optional: Object.entries(fields)
    .filter(([, k]) => k._tag === "OptionalReference" || k._tag === "OptionalTimestamp")
    .map(([n]) => n),
});

/**
 * Converts a JSON-decoded fact (shape already checked by `factSchema`) into the core's value:
 * timestamps to epoch ms, absent optional fields to null. `fieldName` names a field in errors.
 */
export const factFromJson = (
  fields: FactFields,
  item: Readonly<Record<string, unknown>>,
  fieldName: (field: string) => string,
): Result.Result<Record<string, unknown>, ReadonlyArray<FieldIssue>> => {
  const out: Record<string, unknown> = {};
  const issues: Array<FieldIssue> = [];
  for (const [name, kind] of Object.entries(fields)) {
    const value = item[name];
    if (
      kind._tag === "Timestamp" ||
      (kind._tag === "OptionalTimestamp" && typeof value === "string")
    ) {
      const parsed = parseOffsetTimestamp(value as string, fieldName(name));
      if (Result.isSuccess(parsed)) out[name] = parsed.success;
      else issues.push(...parsed.failure.issues);
    } else if (kind._tag === "OptionalTimestamp" || kind._tag === "OptionalReference") {
      out[name] = value ?? null;
    } else {
      out[name] = value;
    }
  }
  return issues.length === 0 ? Result.succeed(out) : Result.fail(issues);
};

const cellIssue = (row: number, column: string, expected: string, cell: string): FieldIssue => ({
  field: csvField(row, column),
  expected,
  actual: cell === "" ? "an empty cell" : describeActual(cell),
});

/** Converts a CSV record into the core's value; empty optional cells are null. */
export const factFromCsv = (
  fields: FactFields,
  row: number,
  cells: Readonly<Record<string, string>>,
): Result.Result<Record<string, unknown>, ReadonlyArray<FieldIssue>> => {
  const out: Record<string, unknown> = {};
  const issues: Array<FieldIssue> = [];
  for (const [name, kind] of Object.entries(fields)) {
    const cell = cells[name] ?? "";
    switch (kind._tag) {
      case "Id":
      case "Reference":
        if (cell.length < 1 || cell.length > 128) {
          issues.push(cellIssue(row, name, "an id of 1 to 128 characters", cell));
        } else out[name] = cell;
        break;
      case "Text":
        out[name] = cell;
        break;
      case "OptionalReference":
        if (cell.length > 128)
          issues.push(
            cellIssue(row, name, "an id of at most 128 characters or an empty cell", cell),
          );
        else out[name] = cell === "" ? null : cell;
        break;
      case "Count":
        if (!/^\d+$/.test(cell) || !Number.isSafeInteger(Number(cell))) {
          issues.push(cellIssue(row, name, "a whole number of at least 0", cell));
        } else out[name] = Number(cell);
        break;
      case "Timestamp":
      case "OptionalTimestamp": {
        if (cell === "" && kind._tag === "OptionalTimestamp") {
          out[name] = null;
          break;
        }
        const parsed = parseOffsetTimestamp(cell, csvField(row, name));
        if (Result.isSuccess(parsed)) out[name] = parsed.success;
        else issues.push(...parsed.failure.issues);
        break;
      }
      case "OneOf":
        if (!kind.values.includes(cell)) {
          issues.push(cellIssue(row, name, `one of ${kind.values.join(", ")}`, cell));
        } else out[name] = cell;
        break;
    }
  }
  return issues.length === 0 ? Result.succeed(out) : Result.fail(issues);
};
