/**
 * A CSV reader for import files, fed text chunk by chunk: the records as arrays of cells, with
 * the line each starts on. It reads CSV as fast-csv does with `trim` and `ignoreEmpty` (the
 * reader `tally import` used before; the property test `csvRecords.test.ts` holds the two to
 * the same records and the same refusals):
 * - cells are separated by the delimiter, records by `\r\n`, `\n` or `\r`;
 * - a cell whose first character other than white space is `"` is quoted: it runs to the next
 *   lone `"` (`""` stands for one), may span lines, and may be followed by white space only;
 *   a `"` elsewhere is an ordinary character;
 * - every cell is trimmed of white space (quoted ones too), and a record whose cells are all
 *   empty is skipped.
 *
 * fast-csv costs ~4 µs a record on this machine (most of `tally import`'s time before); this
 * reader, ~0.3 µs: it scans with `charCodeAt`, slices cells out of the chunk, and allocates
 * one array per record.
 */

/** The file is not well-formed CSV: where (a line) and what is wrong. */
export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, detail: string) {
    super(detail);
    this.line = line;
  }
}

const cr = 13;
const lf = 10;
const quote = 34;

/** White space that may stand before a quoted cell: JavaScript's `\s`, but not line ends. */
const isSpace = (c: number): boolean =>
  c === 32 ||
  c === 9 ||
  c === 11 ||
  c === 12 ||
  (c >= 0x80 &&
    (c === 0xa0 ||
      c === 0x1680 ||
      (c >= 0x2000 && c <= 0x200a) ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0x202f ||
      c === 0x205f ||
      c === 0x3000 ||
      c === 0xfeff));

/** Called with each record's cells and the line it starts on (the first line is 1). */
export type OnRecord = (cells: Array<string>, line: number) => void;

/** Not enough text yet to finish the record being read. */
const incomplete = -1;

/**
 * The longest record read (characters): a quote that is never closed would otherwise make
 * every later chunk scan the rest of the file again.
 */
export const maxRecordLength = 1 << 20;

/** Reads records from text pushed in chunks. */
export class CsvRecords {
  private readonly delimiter: number;
  /** Text of a record not yet complete, carried over to the next chunk. */
  private rest = "";
  /** The line `rest` starts on. */
  private line = 1;
  /** Lines begun inside the record being read (quoted line breaks), not yet counted. */
  private linesInRecord = 0;

  constructor(delimiter: string) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /**
   * Reads the records the text completes (with what is left of earlier chunks); `final` says
   * no more text follows. Throws CsvSyntaxError for text that is no CSV.
   */
  push(text: string, final: boolean, onRecord: OnRecord): void {
    const s = this.rest === "" ? text : this.rest + text;
    const n = s.length;
    let pos = 0;
    while (pos < n) {
      this.linesInRecord = 0;
      const next = this.record(s, pos, final, onRecord);
      if (next === incomplete) break;
      pos = next;
    }
    this.rest = pos < n ? s.slice(pos) : "";
    if (this.rest.length > maxRecordLength) {
      throw new CsvSyntaxError(
        this.line,
        `a record longer than ${maxRecordLength} characters (is a quote not closed?)`,
      );
    }
    if (final && this.rest !== "") {
      throw new CsvSyntaxError(this.line, "the file ends inside a quoted cell");
    }
  }

  /** Reads one record from `start`; returns where the next begins, or `incomplete`. */
  private record(s: string, start: number, final: boolean, onRecord: OnRecord): number {
    const n = s.length;
    const cells: Array<string> = [];
    let pos = start;
    for (;;) {
      let p = pos;
      while (p < n && isSpace(s.charCodeAt(p))) p++;
      let end: number;
      if (p < n && s.charCodeAt(p) === quote) {
        const cell = this.quoted(s, p + 1, final);
        if (cell === undefined) return incomplete;
        end = cell.after;
        while (end < n && isSpace(s.charCodeAt(end))) end++;
        if (end < n) {
          const c = s.charCodeAt(end);
          if (c !== this.delimiter && c !== cr && c !== lf) {
            throw new CsvSyntaxError(
              this.line + this.linesInRecord,
              `a quoted cell must be followed by '${String.fromCharCode(this.delimiter)}' or a line end, not '${s[end]}'`,
            );
          }
        } else if (!final) {
          return incomplete;
        }
        cells.push(cell.value.trim());
      } else {
        end = pos;
        while (end < n) {
          const c = s.charCodeAt(end);
          if (c === this.delimiter || c === cr || c === lf) break;
          end++;
        }
        if (end === n && !final) return incomplete;
        cells.push(s.slice(pos, end).trim());
      }
      if (end < n && s.charCodeAt(end) === this.delimiter) {
        pos = end + 1;
        continue;
      }
      // The record ends at `end`: a line end, or the end of the text.
      let next = end;
      if (end < n) {
        if (s.charCodeAt(end) === cr) {
          // A CR ending the chunk may be the first half of a CRLF.
          if (end + 1 === n && !final) return incomplete;
          next = end + 1 < n && s.charCodeAt(end + 1) === lf ? end + 2 : end + 1;
        } else {
          next = end + 1;
        }
      }
      const line = this.line;
      this.line += this.linesInRecord + (end < n ? 1 : 0);
      if (!isEmpty(cells)) onRecord(cells, line);
      return next;
    }
  }

  /** The quoted cell whose text starts at `from`: its value and where it ends, or undefined. */
  private quoted(
    s: string,
    from: number,
    final: boolean,
  ): { readonly value: string; readonly after: number } | undefined {
    const n = s.length;
    let value = "";
    let segment = from;
    for (;;) {
      const close = s.indexOf('"', segment);
      if (close < 0) {
        if (final) {
          throw new CsvSyntaxError(this.line, "a quoted cell is not closed");
        }
        return undefined;
      }
      if (close + 1 < n && s.charCodeAt(close + 1) === quote) {
        value += s.slice(segment, close + 1);
        segment = close + 2;
        continue;
      }
      // A quote ending the chunk may be the first of `""`.
      if (close + 1 === n && !final) return undefined;
      value += s.slice(segment, close);
      this.linesInRecord += lineBreaks(s, from, close);
      return { value, after: close + 1 };
    }
  }
}

/** True when every cell is empty (cells are trimmed already). */
const isEmpty = (cells: ReadonlyArray<string>): boolean => {
  for (const cell of cells) if (cell !== "") return false;
  return true;
};

/** Line breaks (`\r\n`, `\n` or `\r`) in `s` between `from` and `to`. */
const lineBreaks = (s: string, from: number, to: number): number => {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === lf) count++;
    else if (c === cr && !(i + 1 < to && s.charCodeAt(i + 1) === lf)) count++;
  }
  return count;
};
