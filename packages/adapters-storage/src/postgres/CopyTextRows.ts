/**
 * Parses PostgreSQL's COPY text format as it streams in: rows end with a newline, fields are
 * separated by tabs, `\N` is NULL, and a backslash escapes the characters a field may not hold
 * raw. Tabs and newlines inside values always arrive escaped, and UTF-8 never uses a byte
 * below 0x80 inside a multi-byte character, so the bytes can be scanned without decoding;
 * a field is decoded once, straight from the chunk (unescaped first only when it holds a
 * backslash). Chunks end anywhere, mid-row or mid-character: the unfinished row is carried to
 * the next chunk. One array of fields is reused for every row, so a row costs only what
 * `toRow` builds from it.
 */

/** How a column's text becomes a value: as it is, or as a (64-bit) integer read as a number. */
export type CopyColumn = "text" | "int8";

const TAB = 0x09;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const LETTER_N = 0x4e;
const ZERO = 0x30;
/** Digits a double holds exactly whatever they are (2^53 has 16). */
const exactDigits = 15;

/** The byte a backslash and `letter` stand for, or -1 when the pair is not one of these. */
const letterEscape = (letter: number): number => {
  switch (String.fromCharCode(letter)) {
    case "b":
      return 0x08;
    case "f":
      return 0x0c;
    case "n":
      return 0x0a;
    case "r":
      return 0x0d;
    case "t":
      return 0x09;
    case "v":
      return 0x0b;
    default:
      return -1;
  }
};

const isOctal = (byte: number | undefined): byte is number =>
  byte !== undefined && byte >= 0x30 && byte <= 0x37;

const hexValue = (byte: number | undefined): number => {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
};

/**
 * A field holding backslashes, unescaped as COPY FROM reads it: `\b \f \n \r \t \v`, one to
 * three octal digits, `\x` and one or two hex digits (bytes, so the result is decoded as
 * UTF-8 afterwards), and a backslash before any other character stands for that character.
 */
export const unescapeField = (chunk: Uint8Array, start: number, end: number): string => {
  const bytes = Buffer.allocUnsafe(end - start);
  let length = 0;
  for (let at = start; at < end; at++) {
    const byte = chunk[at] as number;
    if (byte !== BACKSLASH || at + 1 === end) {
      bytes[length++] = byte;
      continue;
    }
    const next = chunk[++at] as number;
    const letter = letterEscape(next);
    if (letter !== -1) {
      bytes[length++] = letter;
    } else if (isOctal(next)) {
      let value = next - ZERO;
      for (let digits = 1; digits < 3 && at + 1 < end && isOctal(chunk[at + 1]); digits++) {
        value = value * 8 + (chunk[++at] as number) - ZERO;
      }
      bytes[length++] = value & 0xff;
    } else if (next === 0x78 && at + 1 < end && hexValue(chunk[at + 1]) >= 0) {
      let value = hexValue(chunk[++at]);
      if (at + 1 < end && hexValue(chunk[at + 1]) >= 0) value = value * 16 + hexValue(chunk[++at]);
      bytes[length++] = value;
    } else {
      bytes[length++] = next;
    }
  }
  return bytes.toString("utf8", 0, length);
};

/** Parses the COPY text rows of one query, chunk by chunk, into values of `A`. */
export class CopyTextRows<A> {
  private readonly columns: ReadonlyArray<CopyColumn>;
  private readonly toRow: (raw: ReadonlyArray<unknown>) => A;
  private readonly fields: Array<unknown>;
  /** Per column, the bytes and text of its last unescaped text field (length -1: none). */
  private readonly lastBytes: Array<Buffer>;
  private readonly lastLength: Array<number>;
  private readonly lastText: Array<string>;
  /** The start of a row the previous chunks ended inside (a copy, not a view of them). */
  private unfinished: Buffer | undefined;

  constructor(columns: ReadonlyArray<CopyColumn>, toRow: (raw: ReadonlyArray<unknown>) => A) {
    this.columns = columns;
    this.toRow = toRow;
    this.fields = new Array<unknown>(columns.length).fill(null);
    this.lastBytes = columns.map(() => Buffer.alloc(64));
    this.lastLength = columns.map(() => -1);
    this.lastText = columns.map(() => "");
  }

  /** Appends to `rows` every row `chunk` completes; keeps the unfinished end for later. */
  push(chunk: Buffer, rows: Array<A>): void {
    let from = 0;
    if (this.unfinished !== undefined) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline === -1) {
        this.unfinished = Buffer.concat([this.unfinished, chunk]);
        return;
      }
      const row = Buffer.concat([this.unfinished, chunk.subarray(0, newline + 1)]);
      this.unfinished = undefined;
      this.parseRows(row, 0, row.length, rows);
      from = newline + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= from) this.parseRows(chunk, from, last + 1, rows);
    const rest = Math.max(from, last + 1);
    // Copied, so that the chunk itself is not kept alive by the few bytes of its last row.
    if (rest < chunk.length) this.unfinished = Buffer.from(chunk.subarray(rest));
  }

  /** Checks that the data ended at the end of a row. */
  finish(): void {
    if (this.unfinished !== undefined) {
      throw new Error(`COPY data ended inside a row (${this.unfinished.length} bytes left over)`);
    }
  }

  /**
   * A text field, decoded; the report queries' rows come ordered by their text columns, so a
   * field is mostly the same as the one above it, and then that one's string is handed out
   * again instead of decoding (and allocating) another.
   */
  private textField(chunk: Buffer, start: number, end: number, column: number): string {
    const length = end - start;
    let seen = this.lastBytes[column] as Buffer;
    if (this.lastLength[column] === length) {
      let at = length - 1;
      while (at >= 0 && seen[at] === chunk[start + at]) at--;
      if (at < 0) return this.lastText[column] as string;
    }
    const text = chunk.toString("utf8", start, end);
    if (seen.length < length) {
      seen = Buffer.alloc(length * 2);
      this.lastBytes[column] = seen;
    }
    chunk.copy(seen, 0, start, end);
    this.lastLength[column] = length;
    this.lastText[column] = text;
    return text;
  }

  /** Parses the whole rows in `chunk[from, to)`, which ends with a newline. */
  private parseRows(chunk: Buffer, from: number, to: number, rows: Array<A>): void {
    const columns = this.columns;
    const fields = this.fields;
    const last = columns.length - 1;
    let at = from;
    while (at < to) {
      for (let column = 0; column <= last; column++) {
        const start = at;
        let escaped = false;
        let byte = chunk[at] as number;
        while (byte !== TAB && byte !== NEWLINE) {
          if (byte === BACKSLASH) escaped = true;
          byte = chunk[++at] as number;
        }
        if ((byte === NEWLINE) !== (column === last)) {
          const expected = `${columns.length} field${columns.length === 1 ? "" : "s"}`;
          throw new Error(`COPY row: expected ${expected} per row, got a row of another length`);
        }
        const int8 = columns[column] === "int8";
        fields[column] = !escaped
          ? int8
            ? integerField(chunk, start, at)
            : this.textField(chunk, start, at, column)
          : at - start === 2 && chunk[start + 1] === LETTER_N
            ? null
            : int8
              ? integerField(chunk, start, at) // a backslash: not an integer, it throws
              : unescapeField(chunk, start, at);
        at++;
      }
      rows.push(this.toRow(fields));
    }
  }
}

/** An int8 field's digits as a number (beyond 15 digits through Number, as pg reads int8). */
const integerField = (chunk: Buffer, start: number, end: number): number => {
  let at = start;
  const negative = chunk[at] === MINUS;
  if (negative) at++;
  if (at === end) throw notAnInteger(chunk, start, end);
  let value = 0;
  for (let digits = at; digits < end; digits++) {
    const digit = (chunk[digits] as number) - ZERO;
    if (digit < 0 || digit > 9) throw notAnInteger(chunk, start, end);
    value = value * 10 + digit;
  }
  if (end - at > exactDigits) return Number(chunk.toString("latin1", start, end));
  return negative ? -value : value;
};

const notAnInteger = (chunk: Buffer, start: number, end: number): Error =>
  new Error(`COPY int8 field is not an integer: '${chunk.toString("utf8", start, end)}'`);
