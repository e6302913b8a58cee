/**
 * Rows in PostgreSQL's COPY text format, the input `COPY … FROM STDIN` reads fastest, written
 * straight into bytes: fields separated by tabs, rows ended by newlines, `\N` for NULL, and a
 * backslash before a backslash, tab, newline or carriage return inside a text field (written as
 * `\\`, `\t`, `\n`, `\r`). Everything else goes as it is, in UTF-8.
 *
 * Numbers are written digit by digit and text with `Buffer.write`, so a row makes no string:
 * building each row as text made three number strings per fact, which V8's number-to-string
 * cache kept alive long enough to be promoted, and the old generation of a 1M-row import grew
 * by ~60 MiB of them between full collections (packages/server/bench/import-path.bench.ts).
 */

/** The characters a text field must escape, and only those. */
const needsEscape = /[\\\t\n\r]/;
const escapes: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
};

const tab = 0x09;
const newline = 0x0a;
const backslash = 0x5c;
const letterN = 0x4e;
const minus = 0x2d;
const zero = 0x30;

/** Writes COPY text rows into a buffer that grows as needed; `take` hands the bytes over. */
export class CopyRowWriter {
  private buffer: Buffer;
  private length = 0;
  /** Whether the next field is the row's first (no tab before it). */
  private rowStart = true;

  constructor(initialBytes = 1 << 16) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** Room for `bytes` more. */
  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  private separate(): void {
    this.reserve(1);
    if (this.rowStart) this.rowStart = false;
    else this.buffer[this.length++] = tab;
  }

  private nullField(): this {
    this.reserve(2);
    this.buffer[this.length++] = backslash;
    this.buffer[this.length++] = letterN;
    return this;
  }

  /** A text field (null: `\N`). */
  text(value: string | null): this {
    this.separate();
    if (value === null) return this.nullField();
    const escaped = needsEscape.test(value)
      ? value.replace(/[\\\t\n\r]/g, (c) => escapes[c] as string)
      : value;
    this.reserve(escaped.length * 3);
    this.length += this.buffer.write(escaped, this.length, "utf8");
    return this;
  }

  /** An integer field (a safe integer; null: `\N`). */
  integer(value: number | null): this {
    this.separate();
    if (value === null) return this.nullField();
    this.reserve(17);
    let n = value;
    if (n < 0) {
      this.buffer[this.length++] = minus;
      n = -n;
    }
    let digits = 1;
    for (let rest = Math.floor(n / 10); rest > 0; rest = Math.floor(rest / 10)) digits++;
    for (let at = this.length + digits - 1; at >= this.length; at--) {
      this.buffer[at] = zero + (n % 10);
      n = Math.floor(n / 10);
    }
    this.length += digits;
    return this;
  }

  /** Ends the row. */
  endRow(): this {
    this.reserve(1);
    this.buffer[this.length++] = newline;
    this.rowStart = true;
    return this;
  }

  /** The rows written so far, handed over (the writer starts a new buffer). */
  take(): Buffer {
    const rows = this.buffer.subarray(0, this.length);
    this.buffer = Buffer.allocUnsafe(this.buffer.length);
    this.length = 0;
    this.rowStart = true;
    return rows;
  }
}
