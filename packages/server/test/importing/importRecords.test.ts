/**
 * The import's hand-written row decoders against their oracle: the way `tally import` decoded
 * rows before them — each value read as text, number or instant, then the record checked with
 * the core's Schema of the fact (`Tenant`, `Vm`, `ProtectionPeriod`, `Organization`,
 * `LicensedUser`, `LicenseEvent`), a period's end after its start, and the core ingestion's
 * rule that text be well-formed without U+0000. On generated rows, valid and not, both accept
 * the same rows and make the same facts of them; when one value is bad, both name its column.
 */
import {
  LicensedUser,
  LicenseEvent,
  Organization,
  ProtectionPeriod,
  parseInstantInZone,
  Tenant,
  Vm,
} from "@tally/core";
import { Result, Schema, SchemaIssue } from "effect";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ImportKind, importColumns, importKinds } from "../../src/importing/ImportKinds.ts";
import { RowProblem, rowDecoders } from "../../src/importing/ImportRecords.ts";

/** The oracle's verdict on a row: the fact, or the column it names. */
type Verdict = { readonly fact: unknown } | { readonly column: string };

class Bad {
  readonly column: string;
  constructor(column: string) {
    this.column = column;
  }
}
const utc = { _tag: "Fixed", offsetMinutes: 0 } as const;

const text = (value: unknown, column: string): string => {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  throw new Bad(column);
};
const optionalText = (value: unknown, column: string): string | null =>
  value === undefined || value === null || value === "" ? null : text(value, column);
const integer = (value: unknown, column: string): number => {
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === "number" && Number.isSafeInteger(n) && n >= 0) return n;
  throw new Bad(column);
};
const instantOf = (value: unknown): number | undefined => {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(trimmed)) return undefined;
  const parsed = parseInstantInZone(trimmed, "instant", utc);
  return Result.isSuccess(parsed) ? parsed.success : undefined;
};
const instant = (value: unknown, column: string): number => {
  const at = instantOf(value);
  if (at === undefined) throw new Bad(column);
  return at;
};
const optionalInstant = (value: unknown, column: string): number | null =>
  value === undefined || value === null || value === "" ? null : instant(value, column);

/** The record checked with the core's Schema; a failure names the first path it reports. */
const checked = <S extends Schema.Codec<unknown, unknown>>(schema: S, record: unknown) => {
  const result = Schema.decodeUnknownResult(schema)(record);
  if (Result.isSuccess(result)) return result.success;
  const [issue] = SchemaIssue.makeFormatterStandardSchemaV1()(result.failure.issue).issues;
  throw new Bad(String(issue?.path?.map((p) => (typeof p === "object" ? p.key : p))[0]));
};

/** The core's ingestion rule on text: no lone surrogate, no U+0000. */
const wellFormed = (record: Record<string, unknown>) => {
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === "string" && (/[\uD800-\uDFFF]/u.test(value) || value.includes("\u0000")))
      throw new Bad(key);
  }
  return record;
};

/** How rows were decoded before, by kind (values in the order of `importColumns`). */
const decodedBefore: { readonly [K in ImportKind]: (row: ReadonlyArray<unknown>) => unknown } = {
  tenants: (r) => checked(Tenant, { id: text(r[0], "id"), name: text(r[1], "name") }),
  vms: (r) =>
    checked(Vm, {
      id: text(r[0], "id"),
      name: text(r[1], "name"),
      tenantId: optionalText(r[2], "tenantId"),
    }),
  "protection-periods": (r) => {
    const v = {
      id: text(r[0], "id"),
      vmId: text(r[1], "vmId"),
      start: instant(r[2], "start"),
      end: optionalInstant(r[3], "end"),
    };
    if (v.end !== null && v.end <= v.start) throw new Bad("end");
    return checked(ProtectionPeriod, v);
  },
  organizations: (r) =>
    checked(Organization, {
      id: text(r[0], "id"),
      name: text(r[1], "name"),
      capacity: integer(r[2], "capacity"),
      tenantId: optionalText(r[3], "tenantId"),
    }),
  users: (r) =>
    checked(LicensedUser, {
      id: text(r[0], "id"),
      name: text(r[1], "name"),
      organizationId: text(r[2], "organizationId"),
    }),
  "license-events": (r) => {
    if (r[2] !== "assigned" && r[2] !== "revoked") throw new Bad("kind");
    return checked(LicenseEvent, {
      id: text(r[0], "id"),
      userId: text(r[1], "userId"),
      kind: r[2],
      at: instant(r[3], "at"),
    });
  },
};

/** The oracle: the decoding of before, then the core ingestion's rule on text. */
const oracle = Object.fromEntries(
  importKinds.map((kind) => [
    kind,
    (row: ReadonlyArray<unknown>) =>
      wellFormed(decodedBefore[kind](row) as Record<string, unknown>),
  ]),
) as { readonly [K in ImportKind]: (row: ReadonlyArray<unknown>) => unknown };

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
  it("accept the rows the Schemas accept, and make the same facts of them", () =>
    fc.assert(
      fc.property(
        kindArbitrary.chain((kind) =>
          fc.tuple(fc.constant(kind), fc.tuple(...importColumns[kind].map(() => valueArbitrary))),
        ),
        ([kind, row]) => {
          const expected = verdictOf(() => oracle[kind](row));
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
            fc.tuple(...importColumns[kind].map(goodValue)),
            fc.nat(),
            valueArbitrary,
          ),
        ),
        ([kind, good, at, bad]) => {
          const row = [...good];
          row[at % row.length] = bad;
          const expected = verdictOf(() => oracle[kind](row));
          const actual = verdictOf(() => rowDecoders[kind](row));
          if ("fact" in expected) {
            expect(actual).toEqual(expected);
          } else {
            // An instant past 2^53 fails at its own column here; the Schemas fail it later,
            // and an end before it first.
            expect([expected.column, importColumns[kind][at % row.length]]).toContain(
              "column" in actual ? actual.column : "accepted",
            );
          }
        },
      ),
      { numRuns: 20_000 },
    ));

  it("read the timestamps of every form as the core's reader does", () =>
    fc.assert(
      fc.property(timestampArbitrary, (timestamp) => {
        const row = ["p", "vm", timestamp, ""];
        expect(verdictOf(() => rowDecoders["protection-periods"](row))).toEqual(
          verdictOf(() => oracle["protection-periods"](row)),
        );
      }),
      { numRuns: 20_000 },
    ));
});
