/**
 * The import's CSV reader against fast-csv (with `trim` and `ignoreEmpty`, as `tally import`
 * used it): on generated CSV — quoted and bare cells, doubled quotes, separators, line breaks
 * of every kind inside and between records, white space around cells and quotes, blank lines,
 * Unicode — both read the same records, and on generated text that is not CSV both refuse it.
 * The text reaches the reader in chunks cut anywhere, as a file's reads cut it; the line each
 * record starts on is checked against the text itself.
 */

import * as fc from "fast-check";
import { parseString } from "fast-csv";
import { describe, expect, it } from "vitest";
import { CsvRecords, CsvSyntaxError } from "../../src/importing/CsvRecords.ts";

/** What fast-csv reads: the records, or that it refused the text. */
const fastCsv = (text: string, delimiter: string) =>
  new Promise<ReadonlyArray<ReadonlyArray<string>> | "refused">((resolve) => {
    const rows: Array<Array<string>> = [];
    parseString(text, { headers: false, delimiter, ignoreEmpty: true, trim: true })
      .on("data", (row: Array<string>) => rows.push(row))
      .on("error", () => resolve("refused"))
      .on("end", () => resolve(rows));
  });

/** What the reader reads from `text` cut into chunks at `cuts`: records and their lines. */
const readChunks = (text: string, delimiter: string, cuts: ReadonlyArray<number>) => {
  const reader = new CsvRecords(delimiter);
  const records: Array<{ readonly cells: ReadonlyArray<string>; readonly line: number }> = [];
  const onRecord = (cells: Array<string>, line: number) => records.push({ cells, line });
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  try {
    for (const point of points) {
      reader.push(text.slice(from, point), false, onRecord);
      from = point;
    }
    reader.push(text.slice(from), true, onRecord);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return "refused" as const;
    throw error;
  }
  return records;
};

/** The line `offset` is on, counting `\r\n`, `\n` and `\r` as line ends. */
const lineAt = (text: string, offset: number): number =>
  (text.slice(0, offset).match(/\r\n|\n|\r/g)?.length ?? 0) + 1;

const delimiterArbitrary = fc.constantFrom(",", ";");
const cutsArbitrary = fc.array(fc.nat({ max: 400 }), { maxLength: 8 });

/** Cell text drawn from what makes CSV hard. */
const cellText = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom("a", "b", "Z", "7", "-", ".", ":") },
      { weight: 2, arbitrary: fc.constantFrom(" ", "\t", "\u00a0", "\u3000") },
      { weight: 2, arbitrary: fc.constantFrom('"', ",", ";", "\n", "\r", "\r\n") },
      { weight: 1, arbitrary: fc.constantFrom("Ω", "Ж", "€", "😀") },
    ),
    { maxLength: 10 },
  )
  .map((parts) => parts.join(""));

/** A cell as a file holds it: bare when it can be, quoted when it must be or by choice. */
const cellArbitrary = (delimiter: string) =>
  fc
    .record({
      text: cellText,
      quote: fc.boolean(),
      before: fc.constantFrom("", " ", "\t"),
      after: fc.constantFrom("", " ", "\t"),
    })
    .map(({ text, quote, before, after }) => {
      const mustQuote =
        text.includes('"') || text.includes(delimiter) || /[\r\n]/.test(text) || /^\s/.test(text);
      return quote || mustQuote
        ? `${before}"${text.replaceAll('"', '""')}"${after}`
        : `${before}${text}${after}`.replaceAll("\r", "").replaceAll("\n", "");
    });

/** A CSV text: records of cells, any line ends, blank lines here and there. */
const csvArbitrary = delimiterArbitrary.chain((delimiter) =>
  fc
    .record({
      records: fc.array(fc.array(cellArbitrary(delimiter), { minLength: 1, maxLength: 5 }), {
        maxLength: 8,
      }),
      ends: fc.array(fc.constantFrom("\n", "\r\n", "\r", "\n\n", "\r\n \r\n"), {
        minLength: 8,
        maxLength: 8,
      }),
      last: fc.boolean(),
    })
    .map(({ records, ends, last }) => ({
      delimiter,
      text: records
        .map((cells, i) => cells.join(delimiter) + (i < records.length - 1 || last ? ends[i] : ""))
        .join(""),
    })),
);

/** Any text over the characters CSV gives meaning to. */
const noiseArbitrary = fc.record({
  delimiter: delimiterArbitrary,
  text: fc
    .array(fc.constantFrom("a", " ", '"', ",", ";", "\n", "\r", "\t", "Ω"), { maxLength: 40 })
    .map((parts) => parts.join("")),
});

/** The property: the reader, fed in chunks, reads what fast-csv reads (or refuses alike). */
const readsAsFastCsv = (
  texts: fc.Arbitrary<{ readonly delimiter: string; readonly text: string }>,
  numRuns: number,
) =>
  fc.assert(
    fc.asyncProperty(texts, cutsArbitrary, async ({ delimiter, text }, cuts) => {
      const expected = await fastCsv(text, delimiter);
      const read = readChunks(text, delimiter, cuts);
      expect(read === "refused" ? read : read.map((r) => r.cells)).toEqual(expected);
    }),
    { numRuns },
  );

describe("the import's CSV reader", () => {
  it("reads the records fast-csv reads, whatever chunks the text comes in", () =>
    readsAsFastCsv(csvArbitrary, 2000));

  it("refuses what fast-csv refuses, and reads the same from what it accepts", () =>
    readsAsFastCsv(noiseArbitrary, 3000));

  it("reads the same records, on the same lines, however the text is cut into chunks", () =>
    fc.assert(
      fc.property(csvArbitrary, cutsArbitrary, ({ delimiter, text }, cuts) => {
        expect(readChunks(text, delimiter, cuts)).toEqual(readChunks(text, delimiter, []));
      }),
      { numRuns: 2000 },
    ));

  it("gives each record the line it starts on", () => {
    const text = 'id,name\r\n\r\nt1,"two\nlines"\nt2,x\r\n\n"t3",\n';
    const read = readChunks(text, ",", [3, 11, 20]);
    expect(read).toEqual([
      { cells: ["id", "name"], line: 1 },
      { cells: ["t1", "two\nlines"], line: lineAt(text, text.indexOf("t1")) },
      { cells: ["t2", "x"], line: lineAt(text, text.indexOf("t2")) },
      { cells: ["t3", ""], line: lineAt(text, text.indexOf('"t3"')) },
    ]);
    expect(read === "refused" ? [] : read.map((r) => r.line)).toEqual([1, 3, 5, 7]);
  });

  it("says on which line a quoted cell is left open or runs into other text", () => {
    expect(() => new CsvRecords(",").push('a,b\n\n"open,1\n', true, () => {})).toThrow(
      expect.objectContaining({ line: 3, message: "a quoted cell is not closed" }),
    );
    expect(() => new CsvRecords(",").push('a,b\n"x" y,1\n', true, () => {})).toThrow(
      expect.objectContaining({ line: 2 }),
    );
  });
});
