/**
 * COPY takes no bind parameters, so a compiled query streamed through COPY carries its values
 * as SQL literals. Only what the report queries bind is accepted, rendered so that it means
 * exactly what the bound value would: safe integers as digits, strings as `E'…'` literals
 * (backslashes and quotes doubled; an escape string reads the same whatever
 * `standard_conforming_strings` says), NULL, booleans. Anything else is refused rather than
 * guessed at, and so is a string holding U+0000, which PostgreSQL text cannot hold either way.
 */
import type { CompiledQuery } from "kysely";

/** `value` as a SQL literal that reads back as the value a bind parameter would give. */
export const sqlLiteral = (value: unknown): string => {
  switch (typeof value) {
    case "number":
      if (!Number.isSafeInteger(value)) {
        throw new TypeError(`SQL literal: expected a safe integer, got ${value}`);
      }
      // Parenthesised when negative, so that no operator before it can form `--`.
      return value < 0 ? `(${value})` : `${value}`;
    case "bigint":
      return value < 0n ? `(${value})` : `${value}`;
    case "boolean":
      return value ? "true" : "false";
    case "string":
      if (value.includes("\0")) {
        throw new TypeError("SQL literal: a string may not hold U+0000");
      }
      return `E'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
    default:
      if (value === null) return "null";
      throw new TypeError(`SQL literal: cannot render a ${typeof value} parameter`);
  }
};

const isIdentifierChar = (code: number): boolean =>
  (code >= 0x30 && code <= 0x39) ||
  (code >= 0x41 && code <= 0x5a) ||
  (code >= 0x61 && code <= 0x7a) ||
  code === 0x5f ||
  code === 0x24 ||
  code >= 0x80;

/**
 * The query's SQL with each `$n` placeholder replaced by its parameter as a literal. Quoted
 * strings and identifiers are copied as they are (a `$1` inside them is not a placeholder),
 * and so is a `$` that continues an identifier.
 */
export const withInlinedParameters = (query: CompiledQuery): string => {
  const text = query.sql;
  const parameters = query.parameters;
  let out = "";
  let copied = 0;
  let at = 0;
  while (at < text.length) {
    const char = text[at];
    if (char === "'" || char === '"') {
      const close = text.indexOf(char, at + 1);
      if (close === -1) throw new TypeError(`SQL: unterminated ${char} quote`);
      at = close + 1;
      continue;
    }
    if (char === "$" && (at === 0 || !isIdentifierChar(text.charCodeAt(at - 1)))) {
      let end = at + 1;
      while (end < text.length && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39) {
        end++;
      }
      if (end > at + 1) {
        const index = Number(text.slice(at + 1, end)) - 1;
        if (index < 0 || index >= parameters.length) {
          throw new TypeError(`SQL: placeholder $${index + 1} has no parameter`);
        }
        out += text.slice(copied, at) + sqlLiteral(parameters[index]);
        copied = end;
      }
      at = end;
      continue;
    }
    at++;
  }
  return out + text.slice(copied);
};
