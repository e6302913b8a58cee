/**
 * How a row of an import file becomes a fact: the validation of every kind, in one place.
 *
 * A row is the values of the kind's columns (`rowColumns`: the core's wire form's fields, in
 * the order it declares them): CSV cells (text, already trimmed; an empty cell is "no value")
 * or the properties of a JSON object. Ids and names are non-empty text (JSON numbers are
 * taken as their text), ids and references to them at most 128 characters, names at most
 * 1,024, and all text storable (the core's `isStorableText`: no lone surrogate, no U+0000);
 * counts are whole numbers, 0 or more; instants are ISO 8601 timestamps with `Z` or an
 * offset, or epoch milliseconds (of the years 0000 to 9999, what ISO text can write); a period
 * ends after it starts. A fact that passes is one the core's wire Schema of it accepts
 * (`factWireForms`, what JSON and CSV ingestion over HTTP decode with) — the property test
 * `importRecords.test.ts` holds these decoders to those Schemas, and to the core's ingestion
 * rule on text, on generated rows, valid and hostile.
 *
 * The checks are written out by hand because they run millions of times per import: a
 * decoder allocates the fact and nothing else, and reports a bad value by throwing a
 * `RowProblem` (the reader turns it into an error naming the row and column). Decoding
 * through the Schemas cost ~4 µs a row; this, well under 1 µs.
 */

import type { FactOf } from "@tally/adapters-storage";
import {
  daysFromCivil,
  daysInMonth,
  factWireForms,
  isStorableText,
  maxIdLength,
  maxNameLength,
  parseInstantInZone,
  quoteGiven,
  storableTextRule,
} from "@tally/core";
import { Result } from "effect";
import type { ImportKind } from "./ImportKinds.ts";

/** The columns (CSV header) or properties (JSON) of a kind, in order: its wire form's. */
export const rowColumns = (kind: ImportKind): ReadonlyArray<string> => {
  const { required, optional } = factWireForms[kind].columns;
  return [...required, ...optional];
};

/** The columns of a kind a file may leave out (an absent cell is "no value"). */
export const optionalRowColumns = (kind: ImportKind): ReadonlyArray<string> =>
  factWireForms[kind].columns.optional;

/** A value of a row that the kind does not accept: its column, what was expected, what was given. */
export class RowProblem {
  readonly column: string;
  readonly expected: string;
  readonly actual: string;
  constructor(column: string, expected: string, value: unknown) {
    this.column = column;
    this.expected = expected;
    this.actual = describeValue(value);
  }
}

/** What was given, for a message: text quoted (and cut short), other values as JSON. */
const describeValue = (value: unknown): string =>
  value === undefined
    ? "nothing"
    : typeof value === "string"
      ? quoteGiven(value)
      : (JSON.stringify(value) ?? String(value));

/** Decodes a row of the kind's columns, in order; throws a RowProblem for a bad value. */
export type RowDecoder<A> = (row: ReadonlyArray<unknown>) => A;

const wellFormedExpected = `text with ${storableTextRule}`;
const nameExpected = `a non-empty text of at most ${maxNameLength} characters`;
const idExpected = `a non-empty text of at most ${maxIdLength} characters`;
const countExpected = "a whole number, 0 or more";
/** What an instant may be. */
export const instantExpected =
  "an ISO 8601 timestamp with Z or an offset (e.g. 2024-03-31T01:30:00Z) or epoch milliseconds of the years 0000 to 9999";

/**
 * Epoch milliseconds of 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the instants the
 * wire form's ISO text can write, so an imported fact is one the native API can send back and
 * take again.
 */
const earliestInstant = -62_167_219_200_000;
const latestInstant = 253_402_300_799_999;

/** Epoch milliseconds the wire form can write, or undefined. */
const epochMs = (n: number): number | undefined =>
  Number.isSafeInteger(n) && n >= earliestInstant && n <= latestInstant ? n : undefined;

/**
 * Non-empty storable text of at most `maxLength` code units (as the Schemas count); a JSON
 * number is taken as its text.
 */
const boundedText = (
  value: unknown,
  column: string,
  maxLength: number,
  expected: string,
): string => {
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string" || text === "" || text.length > maxLength) {
    throw new RowProblem(column, expected, value);
  }
  if (!isStorableText(text)) throw new RowProblem(column, wellFormedExpected, text);
  return text;
};

/** A name: non-empty storable text of at most 1,024 characters. */
const nameText = (value: unknown, column: string): string =>
  boundedText(value, column, maxNameLength, nameExpected);

/** An id, or a reference to one: non-empty storable text of at most 128 characters. */
const idText = (value: unknown, column: string): string =>
  boundedText(value, column, maxIdLength, idExpected);

/** An id, or null when the value is missing or empty (a reference to no tenant). */
const optionalId = (value: unknown, column: string): string | null =>
  value === undefined || value === null || value === "" ? null : idText(value, column);

/** A whole number, 0 or more (CSV text of digits, or a JSON number). */
const count = (value: unknown, column: string): number => {
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === "number" && Number.isSafeInteger(n) && n >= 0) return n;
  throw new RowProblem(column, countExpected, value);
};

const utc = { _tag: "Fixed", offsetMinutes: 0 } as const;
const digit = (text: string, at: number): number => text.charCodeAt(at) - 48;
const twoDigits = (text: string, at: number): number => {
  const a = digit(text, at);
  const b = digit(text, at + 1);
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

/**
 * `YYYY-MM-DDThh:mm:ss[.sss]Z`, the form nearly every file uses, read without a regular
 * expression or an allocation; anything else is left to the general reading (undefined).
 */
const utcTimestamp = (text: string): number | undefined => {
  const length = text.length;
  if ((length !== 20 && length !== 24) || text.charCodeAt(length - 1) !== 90 /* Z */) {
    return undefined;
  }
  if (text[4] !== "-" || text[7] !== "-" || text[10] !== "T" || text[13] !== ":") return undefined;
  if (text[16] !== ":") return undefined;
  const century = twoDigits(text, 0);
  const yearInCentury = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  let millisecond = 0;
  if (length === 24) {
    if (text[19] !== ".") return undefined;
    const hundreds = digit(text, 20);
    const rest = twoDigits(text, 21);
    if (hundreds < 0 || hundreds > 9 || rest < 0) return undefined;
    millisecond = hundreds * 100 + rest;
  }
  if (century < 0 || yearInCentury < 0 || day < 1 || hour < 0 || hour > 23) return undefined;
  if (month < 1 || month > 12 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return undefined;
  }
  const year = century * 100 + yearInCentury;
  // Days past the month's end (February 29th of a common year, say) take the general path,
  // which says what is wrong.
  if (day > 28 && day > daysInMonth(year, month)) return undefined;
  return (
    daysFromCivil(year, month, day) * 86_400_000 +
    hour * 3_600_000 +
    minute * 60_000 +
    second * 1000 +
    millisecond
  );
};

/** The instant a value stands for, or undefined when it is none. */
const instantOf = (value: unknown): number | undefined => {
  if (typeof value === "number") return epochMs(value);
  if (typeof value !== "string") return undefined;
  const fast = utcTimestamp(value);
  if (fast !== undefined) return fast;
  const trimmed = value.trim();
  if (/^-?\d+$/.test(trimmed)) return epochMs(Number(trimmed));
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(trimmed)) return undefined;
  const parsed = parseInstantInZone(trimmed, "instant", utc);
  return Result.isSuccess(parsed) ? parsed.success : undefined;
};

/** An instant for a message: ISO 8601 when a Date can hold it, else its milliseconds. */
const describeInstant = (at: number): string => {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? `${at} ms` : date.toISOString();
};

const instant = (value: unknown, column: string): number => {
  const at = instantOf(value);
  if (at === undefined) throw new RowProblem(column, instantExpected, value);
  return at;
};

const optionalInstant = (value: unknown, column: string): number | null =>
  value === undefined || value === null || value === "" ? null : instant(value, column);

/** How each kind's rows are decoded (columns in the order of `rowColumns`). */
export const rowDecoders: { readonly [K in ImportKind]: RowDecoder<FactOf[K]> } = {
  tenants: (row) => ({ id: idText(row[0], "id"), name: nameText(row[1], "name") }),
  vms: (row) => ({
    id: idText(row[0], "id"),
    name: nameText(row[1], "name"),
    tenantId: optionalId(row[2], "tenantId"),
  }),
  "protection-periods": (row) => {
    const id = idText(row[0], "id");
    const vmId = idText(row[1], "vmId");
    const start = instant(row[2], "start");
    const end = optionalInstant(row[3], "end");
    if (end !== null && end <= start) {
      throw new RowProblem(
        "end",
        `an instant after start (${describeInstant(start)}), or empty`,
        row[3],
      );
    }
    return { id, vmId, start, end };
  },
  organizations: (row) => ({
    id: idText(row[0], "id"),
    name: nameText(row[1], "name"),
    capacity: count(row[2], "capacity"),
    tenantId: optionalId(row[3], "tenantId"),
  }),
  users: (row) => ({
    id: idText(row[0], "id"),
    name: nameText(row[1], "name"),
    organizationId: idText(row[2], "organizationId"),
  }),
  "license-events": (row) => {
    const id = idText(row[0], "id");
    const userId = idText(row[1], "userId");
    const kind = row[2];
    if (kind !== "assigned" && kind !== "revoked") {
      throw new RowProblem("kind", "assigned or revoked", kind);
    }
    return { id, userId, kind, at: instant(row[3], "at") };
  },
};
