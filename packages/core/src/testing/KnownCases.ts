/**
 * Fixed inputs for bug classes that random generation reaches only now and then. The contract
 * suites run them on every run, beside their properties, so that a store with such a bug fails
 * every time; adapter authors can use them in their own tests too.
 */

/**
 * Ids in Unicode code point order — the order every store promises (SQLite's `BINARY`,
 * PostgreSQL's `COLLATE "C"`, `compareCodePoints`). By UTF-16 code unit (JavaScript's `<`,
 * `localeCompare`-free sorts, some collations) they sort differently: `z`, `\u{10000}`, `😀`,
 * `\uE000`, `\uFF5A` — characters above U+FFFF are surrogate pairs (0xD800–0xDFFF), which
 * code-unit order puts before U+E000–U+FFFF.
 */
export const codePointOrderedIds: ReadonlyArray<string> = [
  "z",
  "\uE000",
  "\uFF5A",
  "\u{10000}",
  "😀",
];
