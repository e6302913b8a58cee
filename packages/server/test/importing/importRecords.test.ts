/**
 * The import's hand-written row decoders against their oracle, the core's wire Schemas
 * (`factWireForms`, what JSON and CSV ingestion over HTTP decode with) and the core
 * ingestion's rule that text be well-formed without U+0000. A row's values are first read as
 * the import documents (no value, empty text or null: absent; a JSON number where text is
 * expected: its text; digits where a count is expected: the count; epoch milliseconds where an
 * instant is expected: the instant, written as the wire's ISO text), then decoded by the wire
 * Schema. On generated rows, valid and hostile, both accept the same rows and make the same
 * facts of them; when one value is bad, both name its column.
 */
import { factCollections, factWireForms, isoInstant } from "@tally/core";
import { Result, Schema, SchemaIssue } from "effect";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ImportKind, importColumns, importKinds } from "../../src/importing/ImportKinds.ts";
import { RowProblem, rowColumns, rowDecoders } from "../../src/importing/ImportRecords.ts";

/** The oracle's verdict on a row: the fact, or the column it names. */
type Verdict = { readonly fact: unknown } | { readonly column: string };

class Bad {
  readonly column: string;
  constructor(column: string) {
    this.column = column;
  }
}

/** What a wire field takes, found by asking it (not by its name). */
const accepts = (field: Schema.Top, value: unknown): boolean =>
  Result.isSuccess(
    Schema.decodeUnknownResult(
      Schema.Struct({ x: field }) as unknown as Schema.Codec<unknown, unknown>,
    )({
      x: value,
    }),
  );
const isInstantField = (field: Schema.Top) =>
  accepts(field, "2024-03-31T01:30:00Z") && !accepts(field, "x");
const isCountField = (field: Schema.Top) => accepts(field, 1) && !accepts(field, "1");

/** An import value of an instant column in the wire's form: epoch milliseconds as ISO text. */
const instantCell = (value: unknown): unknown => {
  const trimmed = typeof value === "string" ? value.trim() : value;
  const n = typeof trimmed === "string" && /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
  if (typeof n !== "number") return trimmed;
  if (!Number.isSafeInteger(n)) return value;
  try {
    return isoInstant(n);
  } catch {
    return value; // beyond what a Date holds
  }
};

/** A row of the import (values in the order of `rowColumns`) as the kind's wire form. */
const wireRecord = (kind: ImportKind, row: ReadonlyArray<unknown>): Record<string, unknown> => {
  const fields = factWireForms[kind].fields;
  const record: Record<string, unknown> = {};
  rowColumns(kind).forEach((column, i) => {
    const value = row[i];
    const field = fields[column] as Schema.Top;
    if (value === undefined || value === null || value === "") return;
    record[column] = isInstantField(field)
      ? instantCell(value)
      : isCountField(field)
        ? typeof value === "string" && /^\d+$/.test(value.trim())
          ? Number(value)
          : value
        : typeof value === "number"
          ? String(value)
          : value;
  });
  return record;
};

/** The core ingestion's rule on text: no lone surrogate, no U+0000. */
const wellFormed = (record: Record<string, unknown>) => {
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === "string" && (/[\uD800-\uDFFF]/u.test(value) || value.includes("\u0000")))
      throw new Bad(key);
  }
  return record;
};

/** The oracle: the wire Schema's decoding of the row; a failure names the first path it reports. */
const oracle = (kind: ImportKind, row: ReadonlyArray<unknown>): unknown => {
  const result = Schema.decodeUnknownResult(factWireForms[kind].schema)(wireRecord(kind, row));
  if (Result.isSuccess(result)) return wellFormed(result.success as Record<string, unknown>);
  const [issue] = SchemaIssue.makeFormatterStandardSchemaV1()(result.failure.issue).issues;
  throw new Bad(String(issue?.path?.map((p) => (typeof p === "object" ? p.key : p))[0]));
};

const verdictOf = (decode: () => unknown): Verdict => {
  try {
    return { fact: decode() };
  } catch (error) {
    if (error instanceof Bad || error instanceof RowProblem) return { column: error.column };
    throw error;
  }
};

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Timestamps in every form the readers know of, valid and not, and a few that are not. */
const timestampArbitrary = fc
  .record({
    year: fc.oneof(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 0, max: 9999 })),
    month: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 13 })),
    day: fc.oneof(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 32 })),
    hour: fc.oneof(fc.integer({ min: 0, max: 23 }), fc.constant(24)),
    minute: fc.oneof(fc.integer({ min: 0, max: 59 }), fc.constant(60)),
    second: fc.oneof(fc.integer({ min: 0, max: 59 }), fc.constant(60)),
    fraction: fc.oneof(fc.constant(""), fc.stringMatching(/^\.\d{1,9}$/), fc.constant(".")),
    zone: fc.constantFrom("Z", "", "+05:30", "-08:00", "+00:00", "+24:00", "z", "+0530"),
    around: fc.constantFrom(["", ""], [" ", ""], ["", " "], ["\t", "\t"]),
  })
  .map(
    ({ year, month, day, hour, minute, second, fraction, zone, around }) =>
      `${around[0]}${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction}${zone}${around[1]}`,
  );

/** Values a cell or a JSON property may hold. */
const valueArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
  { weight: 2, arbitrary: timestampArbitrary },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.integer().map(String),
      fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }).map(String),
      fc.stringMatching(/^ ?\d{1,20} ?$/),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(fc.integer(), fc.double(), fc.maxSafeNat(), fc.constant(2 ** 53 + 2)),
  },
  { weight: 1, arbitrary: fc.constantFrom("", " ", null, undefined, true, {}, []) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("assigned", "revoked", "Assigned", " assigned", "\u0000", "a\uD800"),
  },
  { weight: 1, arbitrary: fc.string({ minLength: 120, maxLength: 140, unit: "grapheme" }) },
  { weight: 1, arbitrary: fc.integer({ min: 127, max: 130 }).map((n) => "i".repeat(n)) },
  { weight: 1, arbitrary: fc.string({ unit: "binary" }) },
);

/** A value that each column of a kind accepts. */
const goodValue = (column: string): fc.Arbitrary<unknown> => {
  switch (column) {
    case "start":
    case "at":
      return fc.constantFrom("2024-03-31T01:30:00Z", "1711848600000", "2024-03-31T03:30:00+02:00");
    case "end":
      return fc.constantFrom("", "2024-04-01T00:00:00Z", null, undefined);
    case "capacity":
      return fc.constantFrom("0", "12", 7);
    case "kind":
      return fc.constantFrom("assigned", "revoked");
    case "tenantId":
      return fc.constantFrom("t-1", "", null, undefined);
    default:
      return fc.string({ minLength: 1, maxLength: 20, unit: "grapheme" });
  }
};

const kindArbitrary = fc.constantFrom(...importKinds);

describe("the import's row decoders", () => {
  it("read the collections and columns the core's wire forms declare, which --help lists", () => {
    // `importColumns` is the command line's light copy (it must not load the core).
    expect(importKinds).toEqual(factCollections);
    for (const kind of importKinds) {
      expect(rowColumns(kind), kind).toEqual(importColumns[kind]);
    }
  });

  it("accept the rows the Schemas accept, and make the same facts of them", () =>
    fc.assert(
      fc.property(
        kindArbitrary.chain((kind) =>
          fc.tuple(fc.constant(kind), fc.tuple(...rowColumns(kind).map(() => valueArbitrary))),
        ),
        ([kind, row]) => {
          const expected = verdictOf(() => oracle(kind, row));
          const actual = verdictOf(() => rowDecoders[kind](row));
          if ("fact" in expected) expect(actual).toEqual(expected);
          else expect(actual).toHaveProperty("column");
        },
      ),
      { numRuns: 20_000 },
    ));

  it("name the column of the one bad value of a row, or the column the Schemas name", () =>
    fc.assert(
      fc.property(
        kindArbitrary.chain((kind) =>
          fc.tuple(
            fc.constant(kind),
            fc.tuple(...rowColumns(kind).map(goodValue)),
            fc.nat(),
            valueArbitrary,
          ),
        ),
        ([kind, good, at, bad]) => {
          const row = [...good];
          row[at % row.length] = bad;
          const expected = verdictOf(() => oracle(kind, row));
          const actual = verdictOf(() => rowDecoders[kind](row));
          if ("fact" in expected) {
            expect(actual).toEqual(expected);
          } else {
            // An instant past 2^53 fails at its own column here; the Schemas fail it later,
            // and an end before it first.
            expect([expected.column, rowColumns(kind)[at % row.length]]).toContain(
              "column" in actual ? actual.column : "accepted",
            );
          }
        },
      ),
      { numRuns: 20_000 },
    ));

  it("refuse a period that does not end after it starts, as the wire Schema does", () =>
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 4e12 }),
        fc.integer({ min: -2, max: 2 }),
        fc.constantFrom<(at: number) => unknown>(String, isoInstant, (at) => at),
        (start, delta, write) => {
          const row = ["p", "vm", write(start), write(start + delta)];
          const expected = verdictOf(() => oracle("protection-periods", row));
          expect(expected).toEqual(delta > 0 ? { fact: expect.anything() } : { column: "end" });
          expect(verdictOf(() => rowDecoders["protection-periods"](row))).toEqual(expected);
        },
      ),
    ));

  it("read the timestamps of every form as the core's reader does", () =>
    fc.assert(
      fc.property(timestampArbitrary, (timestamp) => {
        const row = ["p", "vm", timestamp, ""];
        expect(verdictOf(() => rowDecoders["protection-periods"](row))).toEqual(
          verdictOf(() => oracle("protection-periods", row)),
        );
      }),
      { numRuns: 20_000 },
    ));
});
