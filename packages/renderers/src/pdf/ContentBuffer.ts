/**
 * The bytes of one page's content stream, written in place: ASCII operators, numbers and hex
 * glyph ids go straight into a reused, growing byte array instead of into strings that would be
 * concatenated, flattened and converted per page. On a 100k-row table that is most of the
 * garbage a page would otherwise make, and it keeps the heap (and so the RSS) flat.
 */

const HEX_DIGITS = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const DIGIT_0 = 48;

/** A growing byte array that content operators are written into. */
export class ContentBuffer {
  #bytes = new Uint8Array(64 * 1024);
  #length = 0;

  /** Bytes written since the last `take`. */
  get length(): number {
    return this.#length;
  }

  #reserve(count: number): Uint8Array {
    if (this.#length + count > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.#length + count));
      grown.set(this.#bytes.subarray(0, this.#length));
      this.#bytes = grown;
    }
    return this.#bytes;
  }

  /** Writes ASCII text (operators, names); every character must be below U+0080. */
  ascii(text: string): void {
    const bytes = this.#reserve(text.length);
    let at = this.#length;
    for (let i = 0; i < text.length; i++) bytes[at++] = text.charCodeAt(i);
    this.#length = at;
  }

  /** Writes a number with at most two decimals (`12.5`, `-3`, `0.25`), as PDF wants it. */
  number(value: number): void {
    let hundredths = Math.round(value * 100);
    const bytes = this.#reserve(24);
    let at = this.#length;
    if (hundredths < 0) {
      bytes[at++] = 45;
      hundredths = -hundredths;
    }
    const whole = Math.floor(hundredths / 100);
    const fraction = hundredths - whole * 100;
    const digits = `${whole}`;
    for (let i = 0; i < digits.length; i++) bytes[at++] = digits.charCodeAt(i);
    if (fraction !== 0) {
      bytes[at++] = 46;
      bytes[at++] = DIGIT_0 + Math.floor(fraction / 10);
      if (fraction % 10 !== 0) bytes[at++] = DIGIT_0 + (fraction % 10);
    }
    this.#length = at;
  }

  /** Writes a glyph id as four hex digits. */
  glyph(id: number): void {
    const bytes = this.#reserve(4);
    const at = this.#length;
    bytes[at] = HEX_DIGITS[(id >> 12) & 15] as number;
    bytes[at + 1] = HEX_DIGITS[(id >> 8) & 15] as number;
    bytes[at + 2] = HEX_DIGITS[(id >> 4) & 15] as number;
    bytes[at + 3] = HEX_DIGITS[id & 15] as number;
    this.#length = at + 4;
  }

  /** Moves the end back to `length` (to undo a partly written run of glyphs). */
  truncate(length: number): void {
    this.#length = length;
  }

  /** A copy of what was written, and an empty buffer for the next page. */
  take(): Uint8Array {
    const out = this.#bytes.slice(0, this.#length);
    this.#length = 0;
    return out;
  }
}
