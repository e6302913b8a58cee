/**
 * Rows in PostgreSQL's COPY text format, the input `COPY … FROM STDIN` reads fastest: fields
 * separated by tabs, rows ended by newlines, `\N` for NULL, and a backslash before a
 * backslash, tab, newline or carriage return inside a text field (written as `\\`, `\t`, `\n`,
 * `\r`). Everything else goes as it is, in UTF-8.
 */

/** The characters a text field must escape, and only those. */
const needsEscape = /[\\\t\n\r]/;
const escapes: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
};

/** A text field (null: `\N`). */
export const copyText = (value: string | null): string =>
  value === null
    ? "\\N"
    : needsEscape.test(value)
      ? value.replace(/[\\\t\n\r]/g, (c) => escapes[c] as string)
      : value;

/** An integer field (null: `\N`). */
export const copyInteger = (value: number | null): string =>
  value === null ? "\\N" : String(value);
