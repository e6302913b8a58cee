/**
 * How a validation error shows what the caller sent: quoted like JSON (so spaces, control
 * characters and empty strings are visible) and cut short when huge, so that an error message
 * stays readable and never echoes megabytes back.
 */

const maxShownCodePoints = 64;

/** The given text as an error's `actual`: JSON-quoted, cut after 64 code points with its length. */
export const quoteGiven = (text: string): string => {
  if (text.length <= maxShownCodePoints) return JSON.stringify(text);
  const codePoints = Array.from(text);
  if (codePoints.length <= maxShownCodePoints) return JSON.stringify(text);
  const shown = codePoints.slice(0, maxShownCodePoints).join("");
  return `${JSON.stringify(shown)}… (${codePoints.length} characters)`;
};

/** The longest text `describeGiven` shows of a value that is not a string. */
const maxShownJson = 80;

/**
 * Any given value as an error's `actual`: strings as `quoteGiven` shows them, `nothing` for
 * undefined, other values as JSON cut short — and a value too deeply nested to print (the fuzz
 * test sent one) described instead of overflowing the stack.
 */
export const describeGiven = (value: unknown): string => {
  if (typeof value === "string") return quoteGiven(value);
  if (value === undefined) return "nothing";
  if (typeof value === "bigint" || typeof value === "symbol") return String(value);
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof RangeError)) return `${typeof value} that JSON cannot hold`;
    return Array.isArray(value) ? "a deeply nested array" : `a deeply nested ${typeof value}`;
  }
  const text = json ?? typeof value;
  return text.length > maxShownJson ? `${text.slice(0, maxShownJson)}… (${typeof value})` : text;
};
