/**
 * The CSV dialect Tally writes, in one place: RFC 4180 fields and CRLF line ends, the separator
 * the request chose, UTF-8 without a byte-order mark (the vendor's clients are scripts, and a BOM
 * would end up in the first header name), a line end after the last row too.
 *
 * Text cells (ids and names, which come from tenants and must be treated as hostile) are
 * neutralised before they are quoted: NUL characters are dropped and a cell that a spreadsheet
 * would run as a formula (first character `=`, `+`, `-`, `@`, tab or carriage return) gets a
 * leading `'`. Numbers and timestamps never begin with one of those, so they are written as is.
 *
 * fast-csv is the reference: `fastCsvOptions` configures it to this dialect, and a property test
 * shows that `csvTextField`/`csvLine` give byte for byte what fast-csv gives for any cells. To
 * stay identical, a field is quoted when it holds the separator, `"`, CR, LF — or `|`, which
 * fast-csv also quotes (its escape pattern is a character class that contains `|`); quoting a
 * field is always allowed by RFC 4180, so this costs nothing but two bytes.
 */

import type { CsvSeparator } from "@tally/core";
import type { FormatterOptionsArgs } from "fast-csv";

/** Every line, the last one included, ends with CRLF (RFC 4180). */
export const CSV_LINE_END = "\r\n";

const quoteWhenPresent: Record<CsvSeparator, RegExp> = {
  ";": /[;"\r\n|]/,
  ",": /[,"\r\n|]/,
};

/** First characters that make a spreadsheet evaluate a cell: `=`, `+`, `-`, `@`, tab, CR. */
const isFormulaTrigger = (code: number): boolean =>
  code === 61 || code === 43 || code === 45 || code === 64 || code === 9 || code === 13;

/**
 * A text cell made safe to open in a spreadsheet: NUL characters dropped (fast-csv drops them
 * too, and the check for a formula must see the character that will really come first), and a
 * `'` put before a leading formula character.
 */
export const neutraliseText = (text: string): string => {
  const clean = text.includes("\0") ? text.replaceAll("\0", "") : text;
  return isFormulaTrigger(clean.charCodeAt(0)) ? `'${clean}` : clean;
};

/** Quotes a field if the dialect requires it, doubling the quotes inside. */
export const makeFieldQuoter = (separator: CsvSeparator): ((field: string) => string) => {
  const pattern = quoteWhenPresent[separator];
  return (field) => (pattern.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
};

/**
 * Writes a text cell: neutralised, then quoted if needed. The common cell (no NUL, nothing to
 * quote) is recognised with one scan and at most gets its apostrophe.
 */
export const makeTextFieldWriter = (separator: CsvSeparator): ((text: string) => string) => {
  const quote = makeFieldQuoter(separator);
  const special = separator === ";" ? /[\0;"\r\n|]/ : /[\0,"\r\n|]/;
  return (text) => {
    if (special.test(text)) return quote(neutraliseText(text));
    return isFormulaTrigger(text.charCodeAt(0)) ? `'${text}` : text;
  };
};

/**
 * fast-csv's options for the same dialect, given cells that were already neutralised: the
 * reference implementation the fast writer is tested and benchmarked against.
 */
export const fastCsvOptions = (
  separator: CsvSeparator,
  headers: ReadonlyArray<string>,
): FormatterOptionsArgs<string[], string[]> => ({
  delimiter: separator,
  rowDelimiter: CSV_LINE_END,
  quote: '"',
  escape: '"',
  headers: [...headers],
  alwaysWriteHeaders: true,
  includeEndRowDelimiter: true,
  writeBOM: false,
});
