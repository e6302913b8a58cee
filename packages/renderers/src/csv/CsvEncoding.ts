/**
 * Rows in, CSV bytes out, as a stream: the hand-written fast path. Each pulled chunk of rows is
 * turned into lines that are appended to a pending string; every time it reaches about 16 KiB it
 * is encoded to UTF-8 and emitted. Nothing is drawn before the consumer pulls, so back-pressure
 * reaches the store, and memory holds one row chunk and one pending block, whatever the report's
 * size. fast-csv's stream transform does the same job two to three times slower (see the
 * benchmark); it is kept as the reference the tests compare this writer with.
 */

import type { CsvSeparator } from "@tally/core";
import { Stream } from "effect";
import type { CsvColumn, InstantText } from "./CsvColumns.ts";
import { CSV_LINE_END, makeFieldQuoter, makeTextFieldWriter } from "./CsvDialect.ts";
import type { CsvLineWriterFactory } from "./CsvLines.ts";

/**
 * Pending text is emitted once it holds this many UTF-16 code units: 16 KiB of bytes for ASCII,
 * more for other scripts (at most three bytes per code unit).
 *
 * Encoding first flattens the pending text (a rope of appended lines) into one string. A single
 * character beyond Latin-1 in a block (a Cyrillic tenant name, say) makes that string two bytes
 * per code unit, and a flat string over 128 KiB — 64 Ki two-byte units — goes to V8's large
 * object space: fresh pages mapped for every block and unmapped after the next collection. With
 * blocks of 64 Ki units, a 1M-period report of 104 MB took ~62,000 page faults and ~0.9 s of
 * system time; with 16 Ki units, ~12,700 and ~0.35 s, and the whole `tally report` went from
 * 2.75–3.08 s to 1.94–2.2 s (README, Performance). Smaller blocks than this gained nothing more.
 */
export const CSV_CHUNK_CODE_UNITS = 16_384;

const utf8 = new TextEncoder();

/** The header line of a column set. */
export const csvHeaderLine = <A>(
  columns: ReadonlyArray<CsvColumn<A>>,
  separator: CsvSeparator,
): string => {
  const quote = makeFieldQuoter(separator);
  return columns.map((column) => quote(column.header)).join(separator) + CSV_LINE_END;
};

/** A function that writes one row as a CSV line, line end included. */
export const makeCsvLineWriter = <A>(
  columns: ReadonlyArray<CsvColumn<A>>,
  separator: CsvSeparator,
  instant: InstantText,
): ((row: A) => string) => {
  const textField = makeTextFieldWriter(separator);
  const cells = columns.map((column) => column.cell);
  const isText = columns.map((column) => column.text);
  const count = columns.length;
  return (row) => {
    let line = "";
    for (let i = 0; i < count; i++) {
      const value = (cells[i] as CsvColumn<A>["cell"])(row, instant);
      line += (i === 0 ? "" : separator) + (isText[i] ? textField(value) : value);
    }
    return line + CSV_LINE_END;
  };
};

/**
 * How to write one CSV report. `makeInstantText` is called once per run of the stream; `line`,
 * when given, is a hand-unrolled writer of the same columns (see `CsvLines`).
 */
export interface CsvReportOptions<A> {
  readonly columns: ReadonlyArray<CsvColumn<A>>;
  readonly separator: CsvSeparator;
  readonly makeInstantText: () => InstantText;
  readonly line?: CsvLineWriterFactory<A>;
}

interface PendingCsv<A> {
  readonly line: (row: A) => string;
  text: string;
}

/**
 * The CSV bytes of a stream of rows: the header, one line per row, chunks of about 16 KiB.
 * An empty stream gives the header line alone.
 */
export const encodeCsv =
  <A>(options: CsvReportOptions<A>) =>
  <E, R>(rows: Stream.Stream<A, E, R>): Stream.Stream<Uint8Array, E, R> =>
    rows.pipe(
      Stream.mapAccumArray(
        (): PendingCsv<A> => ({
          line: (
            options.line ??
            ((separator, instant) => makeCsvLineWriter(options.columns, separator, instant))
          )(options.separator, options.makeInstantText()),
          text: csvHeaderLine(options.columns, options.separator),
        }),
        (pending, chunk) => {
          const out: Array<Uint8Array> = [];
          const line = pending.line;
          let text = pending.text;
          for (let i = 0; i < chunk.length; i++) {
            text += line(chunk[i] as A);
            if (text.length >= CSV_CHUNK_CODE_UNITS) {
              out.push(utf8.encode(text));
              text = "";
            }
          }
          pending.text = text;
          return [pending, out];
        },
        { onHalt: (pending) => (pending.text.length === 0 ? [] : [utf8.encode(pending.text)]) },
      ),
    );
