/**
 * CSV ingestion bodies: a row longer than `maxCsvRowBytes` (a body that is one endless cell,
 * as the fuzz test sent) is refused as malformed, naming the row, without buffering it whole;
 * ordinary rows still read.
 */
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { maxCsvRowBytes, readCsvRecords } from "../../src/protocol/CsvRecords.ts";

const columns = { required: ["id", "name"], optional: [] };

describe("readCsvRecords", () => {
  it("reads ordinary rows", async () => {
    const seen: Array<Readonly<Record<string, string>>> = [];
    const count = await Effect.runPromise(
      readCsvRecords("id,name\na,Alpha\nb,Βήτα\n", columns, (_, cells) => {
        seen.push(cells);
        return [];
      }),
    );
    expect(count).toBe(2);
    expect(seen).toEqual([
      { id: "a", name: "Alpha" },
      { id: "b", name: "Βήτα" },
    ]);
  });

  it("refuses a row longer than the limit as malformed, naming the row", async () => {
    const huge = `id,name\na,"${"x".repeat(maxCsvRowBytes * 4)}"\nb,Beta\n`;
    const exit = await Effect.runPromiseExit(readCsvRecords(huge, columns, () => []));
    expect(exit).toMatchObject({ _tag: "Failure" });
    const text = JSON.stringify(exit);
    expect(text).toContain("row 2");
    expect(text).toContain("at most 65536 characters");
    expect(text.length, "the answer does not echo the cell").toBeLessThan(4_096);
  });
});
