/**
 * The COPY text rows the bulk import writes, read back by the COPY text parser's unescaping
 * (what COPY FROM accepts): any text — tabs, newlines, carriage returns, backslashes, Unicode —
 * and any safe integer come back as written, each field between its tabs, each row on its line,
 * and NULL as `\N`, which no text becomes. No database is needed; `FactImport.test.ts` sends
 * such rows to a real server.
 */
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CopyRowWriter } from "../src/postgres/CopyTextFields.ts";
import { unescapeField } from "../src/postgres/CopyTextRows.ts";

type Field = { readonly text: string | null } | { readonly integer: number | null };

/** The rows' bytes split at raw tabs and newlines, each field unescaped (`\N` as null). */
const readBack = (bytes: Buffer): Array<Array<string | null>> => {
  const rows: Array<Array<string | null>> = [];
  let row: Array<string | null> = [];
  let start = 0;
  for (let at = 0; at < bytes.length; at++) {
    const byte = bytes[at];
    if (byte !== 0x09 && byte !== 0x0a) continue;
    const raw = bytes.subarray(start, at).toString("utf8");
    row.push(raw === "\\N" ? null : unescapeField(bytes, start, at));
    start = at + 1;
    if (byte === 0x0a) {
      rows.push(row);
      row = [];
    }
  }
  return rows;
};

const fieldArbitrary: fc.Arbitrary<Field> = fc.oneof(
  fc.record({
    text: fc.option(
      fc.string({ unit: fc.constantFrom("a", "\\", "\t", "\n", "\r", "N", "Ω", "😀", " ") }),
    ),
  }),
  fc.record({
    integer: fc.option(fc.oneof(fc.maxSafeInteger(), fc.integer(), fc.constantFrom(0, -1, 10))),
  }),
);

describe("COPY text rows", () => {
  it("carry any text and any safe integer through COPY's unescaping, field by field, row by row", () =>
    fc.assert(
      fc.property(
        fc.array(fc.array(fieldArbitrary, { minLength: 1, maxLength: 5 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 64 }),
        (rows, initialBytes) => {
          const writer = new CopyRowWriter(initialBytes);
          for (const row of rows) {
            for (const field of row) {
              if ("text" in field) writer.text(field.text);
              else writer.integer(field.integer);
            }
            writer.endRow();
          }
          expect(readBack(writer.take())).toEqual(
            rows.map((row) =>
              row.map((field) =>
                "text" in field
                  ? field.text
                  : field.integer === null
                    ? null
                    : String(field.integer),
              ),
            ),
          );
        },
      ),
      { numRuns: 2000 },
    ));

  it("starts afresh after handing its rows over", () => {
    const writer = new CopyRowWriter(4);
    writer.text("a").integer(1).endRow();
    expect(writer.take().toString()).toBe("a\t1\n");
    writer.text("\\N").text(null).endRow();
    expect(writer.take().toString()).toBe("\\\\N\t\\N\n");
  });
});
