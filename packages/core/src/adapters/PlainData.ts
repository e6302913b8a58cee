/**
 * Deep copies of plain data (objects, arrays, primitives), so that in-memory stores never
 * share a mutable object with their callers — as a database would not.
 */

/** A deep copy of JSON-like data; typed arrays are copied too. */
export const copyPlainData = <A>(value: A): A => {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(copyPlainData) as A;
  if (value instanceof Uint8Array) return value.slice() as A;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    copy[key] = copyPlainData((value as Record<string, unknown>)[key]);
  }
  return copy as A;
};
