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
