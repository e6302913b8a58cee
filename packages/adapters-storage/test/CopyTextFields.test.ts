/**
 * The COPY text fields the bulk import writes, read back by the COPY text parser's unescaping
 * (what COPY FROM accepts): any text — tabs, newlines, carriage returns, backslashes, Unicode —
 * comes back as it was written, and a field never holds a raw tab or line end that would split
 * it. No database is needed; `FactImport.test.ts` sends such fields to a real server.
 */
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { copyInteger, copyText } from "../src/postgres/CopyTextFields.ts";
import { unescapeField } from "../src/postgres/CopyTextRows.ts";

const readBack = (field: string): string => {
  const bytes = Buffer.from(field, "utf8");
  return unescapeField(bytes, 0, bytes.length);
};

describe("COPY text fields", () => {
  it("carry any text through COPY's unescaping unchanged, on one line, in one field", () =>
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "\\", "\t", "\n", "\r", "N", "Ω", "😀", " ") }),
        (text) => {
          const field = copyText(text);
          expect(field).not.toMatch(/[\t\n\r]/);
          expect(readBack(field)).toBe(text);
        },
      ),
      { numRuns: 2000 },
    ));

  it("write NULL as \\N, which no text becomes", () => {
    expect(copyText(null)).toBe("\\N");
    expect(copyInteger(null)).toBe("\\N");
    expect(copyText("\\N")).toBe("\\\\N");
    expect(copyInteger(-1711848600000)).toBe("-1711848600000");
  });
});
