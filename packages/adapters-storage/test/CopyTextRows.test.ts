/**
 * The COPY text parser against rows written the way PostgreSQL's COPY TO writes them
 * (`CopyAttributeOutText`: backslash, newline, carriage return, tab, backspace, form feed and
 * vertical tab escaped; NULL as `\N`), cut into chunks anywhere — mid-row, mid-escape,
 * mid-character — and against what COPY FROM would also accept (octal and hex escapes).
 * No database is needed; `PostgresCopyStream.test.ts` checks the real server's output.
 */
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CopyColumn, CopyTextRows } from "../src/postgres/CopyTextRows.ts";

/** A field as COPY TO writes it. */
const copyField = (value: string | number | null): string =>
  value === null
    ? "\\N"
    : String(value).replace(/[\\\n\r\t\b\f\v]/g, (char) => {
        switch (char) {
          case "\n":
            return "\\n";
          case "\r":
            return "\\r";
          case "\t":
            return "\\t";
          case "\b":
            return "\\b";
          case "\f":
            return "\\f";
          case "\v":
            return "\\v";
          default:
            return "\\\\";
        }
      });

/** Rows as the bytes COPY TO sends. */
const copyText = (rows: ReadonlyArray<ReadonlyArray<string | number | null>>): Buffer =>
  Buffer.from(rows.map((row) => `${row.map(copyField).join("\t")}\n`).join(""), "utf8");

/** Parses `bytes` delivered in chunks cut at `cuts`. */
const parse = (
  columns: ReadonlyArray<CopyColumn>,
  bytes: Buffer,
  cuts: ReadonlyArray<number> = [],
): Array<Array<unknown>> => {
  const parser = new CopyTextRows(columns, (raw) => [...raw]);
  const rows: Array<Array<unknown>> = [];
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b).concat(bytes.length)) {
    if (cut <= from) continue;
    parser.push(Buffer.from(bytes.subarray(from, cut)), rows);
    from = cut;
  }
  parser.finish();
  return rows;
};

/** Text PostgreSQL can hold (any code point but U+0000), leaning on the ones COPY escapes. */
const text = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom("\\", "\t", "\n", "\r", "\b", "\f", "\v", "N", "\\N", "\u0001", "\u007f"),
      fc.constantFrom("é", "€", "😀", "Zürich", "テナント", "\u2028"),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    ),
    maxLength: 24,
  })
  .map((value) => value.replaceAll("\0", ""));

const columns: ReadonlyArray<CopyColumn> = ["text", "text", "int8", "int8"];
const row = fc.tuple(
  fc.option(text, { nil: null }),
  text,
  fc.maxSafeInteger().map((n) => n - Math.floor(Number.MAX_SAFE_INTEGER / 2)),
  fc.option(fc.maxSafeInteger(), { nil: null }),
);

describe("CopyTextRows", () => {
  it("reads back any rows COPY TO writes, however the bytes are cut into chunks", () => {
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (rows, cuts) => {
          const bytes = copyText(rows);
          const at = cuts.map((cut) => (bytes.length === 0 ? 0 : cut % bytes.length));
          expect(parse(columns, bytes, at)).toStrictEqual(rows.map((r) => [...r]));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("reads one row cut at every byte, through escapes and multi-byte characters", () => {
    const rows = [["a\\b\tc\nd\re", "€😀\\N", -42, null]] as const;
    const bytes = copyText(rows);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(parse(columns, bytes, [cut]), `cut at ${cut}`).toStrictEqual([[...rows[0]]]);
    }
    // One byte per chunk.
    expect(
      parse(
        columns,
        bytes,
        Array.from({ length: bytes.length }, (_, i) => i),
      ),
    ).toStrictEqual([[...rows[0]]]);
  });

  it("tells NULL (\\N) from the text \\N (\\\\N) and from the empty string", () => {
    expect(parse(["text", "text", "text"], Buffer.from("\\N\t\\\\N\t\n"))).toStrictEqual([
      [null, "\\N", ""],
    ]);
  });

  it("reads the escapes COPY FROM accepts: letters, octal, hex, and any other character", () => {
    const fields = [
      ["\\b\\f\\n\\r\\t\\v", "\b\f\n\r\t\v"],
      ["\\101\\0601\\7", "A01\u0007"],
      ["\\x41\\x4a\\x4Z\\xZ", "AJ\u0004ZxZ"],
      ["\\xe2\\x82\\xac \\342\\202\\254", "€ €"],
      ["\\q\\'\\\\\\N", "q'\\N"],
    ] as const;
    for (const [field, value] of fields) {
      expect(parse(["text"], Buffer.from(`${field}\n`)), field).toStrictEqual([[value]]);
    }
  });

  it("reads int8 as numbers, beyond 2^53 as pg's Number(text) would", () => {
    const bytes = Buffer.from("0\n-0\n9007199254740991\n-9007199254740991\n9223372036854775807\n");
    expect(parse(["int8"], bytes).map(([n]) => n)).toStrictEqual([
      0,
      -0,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      Number("9223372036854775807"),
    ]);
  });

  it("hands out one string for a value repeated in consecutive rows", () => {
    const [first, second] = parse(["text"], Buffer.from("tenant-1\ntenant-1\n"));
    expect(first?.[0]).toBe("tenant-1");
    expect(second?.[0]).toBe(first?.[0]);
  });

  it("refuses rows with too few or too many fields, integers that are not, and a cut-off end", () => {
    expect(() => parse(["text", "text"], Buffer.from("a\n"))).toThrow(/expected 2 fields/);
    expect(() => parse(["text"], Buffer.from("a\tb\n"))).toThrow(/expected 1 field per/);
    expect(() => parse(["int8"], Buffer.from("12a\n"))).toThrow(/not an integer: '12a'/);
    expect(() => parse(["int8"], Buffer.from("\n"))).toThrow(/not an integer/);
    expect(() => parse(["int8"], Buffer.from("\\x31\n"))).toThrow(/not an integer/);
    expect(() => parse(["text"], Buffer.from("a\nb"))).toThrow(/ended inside a row/);
  });
});
