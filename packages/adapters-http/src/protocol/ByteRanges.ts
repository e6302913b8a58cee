/**
 * `Range: bytes=…` requests (RFC 9110 §14): which part of a representation of known size to
 * send. One range is served as 206; a header Tally cannot or need not honour (another unit,
 * bad syntax, several ranges) is ignored and the whole content is sent, as the RFC allows.
 */
import type { ByteRange } from "@tally/core";

/** What to send for a `Range` header. */
export type RangeDecision =
  | { readonly _tag: "Whole" }
  | { readonly _tag: "Partial"; readonly range: ByteRange }
  | { readonly _tag: "Unsatisfiable" };

const whole: RangeDecision = { _tag: "Whole" };
const unsatisfiable: RangeDecision = { _tag: "Unsatisfiable" };
const spec = /^(\d*)-(\d*)$/;

/** Decides what part of `size` bytes a `Range` header asks for. */
export const decideRange = (header: string | undefined, size: number): RangeDecision => {
  if (header === undefined) return whole;
  const trimmed = header.trim();
  const equals = trimmed.indexOf("=");
  if (equals < 0 || trimmed.slice(0, equals).trim().toLowerCase() !== "bytes") return whole;
  const specs = trimmed
    .slice(equals + 1)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (specs.length !== 1) return whole;
  const match = spec.exec(specs[0] ?? "");
  if (match === null) return whole;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return whole;
  if (first === "") {
    const suffix = Number(last);
    if (!Number.isSafeInteger(suffix)) return whole;
    if (suffix === 0 || size === 0) return unsatisfiable;
    return { _tag: "Partial", range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  const end = last === "" ? Number.MAX_SAFE_INTEGER : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return whole;
  if (start >= size) return unsatisfiable;
  return { _tag: "Partial", range: { start, end: Math.min(end, size - 1) } };
};

/** The `Content-Range` value of a partial response. */
export const contentRange = (range: ByteRange, size: number): string =>
  `bytes ${range.start}-${range.end}/${size}`;

/** The `Content-Range` value of a 416 answer. */
export const unsatisfiedRange = (size: number): string => `bytes */${size}`;
