/**
 * Ordering strings by Unicode code point, the order of their UTF-8 bytes — what SQLite's
 * `BINARY` and PostgreSQL's `COLLATE "C"` use — so that every store and the in-memory adapters
 * sort alike. JavaScript's `<` compares UTF-16 code units instead, which puts a character above
 * U+FFFF (a surrogate pair, 0xD800–0xDFFF) before one in U+E000–U+FFFF.
 */

/**
 * Negative, zero or positive as `a` sorts before, with or after `b` by code point. The loop
 * compares UTF-16 units and corrects only the first differing pair, and only when both are
 * 0xD800 or above, so strings without surrogates cost no more than a plain unit comparison.
 */
export const compareCodePoints = (a: string, b: string): number => {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        // Surrogates (D800–DFFF) stand for code points above FFFF: lift them above E000–FFFF.
        x += x >= 0xe000 ? -0x800 : 0x2000;
        y += y >= 0xe000 ? -0x800 : 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
};

/** `compareCodePoints`, with null after every string (and equal to null). */
export const compareNullableLast = (a: string | null, b: string | null): number =>
  a === null ? (b === null ? 0 : 1) : b === null ? -1 : compareCodePoints(a, b);
