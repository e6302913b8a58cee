/**
 * Reading CSV bodies for bulk ingestion with fast-csv's parser: a header line names the
 * columns (in any order; `,` or `;` separated, detected from the header), each later record
 * becomes a map from column to cell. Problems name the row (the header is row 1, as in a
 * spreadsheet) and the column.
 */
import { describeGiven, type FactColumns, type FieldIssue } from "@tally/core";
import { Effect } from "effect";
import { parseString } from "fast-csv";

/** The longest CSV line accepted, in UTF-16 code units. */
export const maxCsvRowBytes = 64 * 1024;

import { type HttpProblem, validationProblem } from "../problems/HttpProblem.ts";

/** The field name of an issue in a CSV cell. */
export const csvField = (row: number, column: string): string => `row ${row}, column ${column}`;

/**
 * A header cell as an issue's field names it: shortened when long, so that an answer never
 * echoes a header that is one huge cell (a 64 MiB body gave a 128 MiB answer).
 */
const columnLabel = (name: string): string => (name.length > 64 ? `${name.slice(0, 61)}...` : name);

/** Issues reported before the rest are summarised in one last issue. */
export const maxReportedIssues = 100;

/** The columns a CSV table has: the required ones must be present, optional ones may be. */
export type CsvColumns = FactColumns;

const detectDelimiter = (text: string): "," | ";" => {
  const end = text.indexOf("\n");
  const header = end < 0 ? text : text.slice(0, end);
  const semicolons = header.split(";").length;
  const commas = header.split(",").length;
  return semicolons > commas ? ";" : ",";
};

/** The 1-based number of the first line longer than `limit` characters, if any. */
const findLongLine = (text: string, limit: number): number | undefined => {
  let line = 1;
  let start = 0;
  for (;;) {
    const end = text.indexOf("\n", start);
    if ((end === -1 ? text.length : end) - start > limit) return line;
    if (end === -1) return undefined;
    start = end + 1;
    line++;
  }
};

/**
 * Parses `text` and calls `onRecord` with each data record (row number, cells by column);
 * `onRecord` returns the issues of that record. Fails with a 400 listing every issue (up to
 * `maxReportedIssues`) when the header or any record is wrong.
 */
export const readCsvRecords = (
  text: string,
  columns: CsvColumns,
  onRecord: (row: number, cells: Readonly<Record<string, string>>) => ReadonlyArray<FieldIssue>,
): Effect.Effect<number, HttpProblem> =>
  Effect.callback<number, HttpProblem>((resume) => {
    // A row is a handful of ids, names and instants. A body that is one endless cell made the
    // parser build it character by character (the fuzz test: 64 MiB → ~1.4 GB and a 9 s
    // stall), so an over-long line is refused before parsing.
    const longLine = findLongLine(text, maxCsvRowBytes);
    if (longLine !== undefined) {
      resume(
        Effect.fail(
          validationProblem(
            [
              {
                field: `row ${longLine}`,
                expected: `a CSV line of at most ${maxCsvRowBytes} characters`,
                actual: "a longer line",
              },
            ],
            `row ${longLine} of the CSV body is longer than ${maxCsvRowBytes} characters`,
          ),
        ),
      );
      return;
    }
    const issues: Array<FieldIssue> = [];
    let more = 0;
    const report = (issue: FieldIssue) => {
      if (issues.length < maxReportedIssues) issues.push(issue);
      else more++;
    };
    let header: ReadonlyArray<string> | undefined;
    let headerOk = true;
    let row = 0;
    let records = 0;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      if (header === undefined && issues.length === 0) {
        report({
          field: "body",
          expected: `a CSV header line naming the columns ${columns.required.join(", ")}`,
          actual: "an empty body",
        });
      }
      if (issues.length === 0) return resume(Effect.succeed(records));
      if (more > 0) {
        issues.push({
          field: "body",
          expected: "fewer problems",
          actual: `${more} more problems not listed`,
        });
      }
      resume(
        Effect.fail(
          validationProblem(
            issues,
            `the CSV body has ${issues.length + more} problem(s); the first: ${issues[0]?.field}: expected ${issues[0]?.expected}, got ${issues[0]?.actual}`,
          ),
        ),
      );
    };
    const stream = parseString<Array<string>, Array<string>>(text, {
      headers: false,
      delimiter: detectDelimiter(text),
      ignoreEmpty: true,
    });
    stream.on("data", (cells: Array<string>) => {
      row++;
      if (header === undefined) {
        header = cells.map((c) => c.trim().replace(/^\uFEFF/, ""));
        const known = new Set([...columns.required, ...columns.optional]);
        for (const name of header) {
          if (!known.has(name)) {
            report({
              field: csvField(1, columnLabel(name)),
              expected: `one of the columns ${[...known].join(", ")}`,
              actual: describeGiven(name),
            });
          }
        }
        for (const name of columns.required) {
          if (!header.includes(name)) {
            report({
              field: csvField(1, name),
              expected: "this column in the header",
              actual: "no such column",
            });
          }
        }
        const seen = new Set<string>();
        for (const name of header) {
          if (seen.has(name)) {
            report({
              field: csvField(1, columnLabel(name)),
              expected: "each column once",
              actual: "a repeated column",
            });
          }
          seen.add(name);
        }
        headerOk = issues.length === 0;
        return;
      }
      if (cells.length !== header.length) {
        report({
          field: `row ${row}`,
          expected: `${header.length} cells, as the header has`,
          actual: `${cells.length} cells`,
        });
        return;
      }
      const record: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) record[header[i] as string] = cells[i] as string;
      records++;
      if (headerOk) for (const issue of onRecord(row, record)) report(issue);
    });
    stream.on("error", (error: Error) => {
      report({
        field: `row ${row + 1}`,
        expected: "well-formed CSV (quotes closed, separators between cells)",
        // The parser's message quotes the row: keep it short.
        actual: error.message.length > 160 ? `${error.message.slice(0, 157)}...` : error.message,
      });
      finish();
    });
    stream.on("end", finish);
  });
