/**
 * Reporting intervals: half-open `[start, end)` in epoch milliseconds. Reports include what
 * overlaps the interval and clip it to the bounds; ongoing activity counts up to `min(end, now)`.
 */
import { Result, Schema } from "effect";
import { ValidationError } from "./errors.ts";
import { Instant } from "./Instant.ts";
import { describeInstant } from "./InstantFormatter.ts";

/**
 * A half-open interval `[start, end)`. Intervals built from user input have `start < end`
 * (see `makeReportingInterval`); an interval defaulted from an empty store may be empty
 * (`start === end`) and then reports nothing.
 */
export const ReportingInterval = Schema.Struct({ start: Instant, end: Instant });
/** A half-open interval `[start, end)`. */
export type ReportingInterval = typeof ReportingInterval.Type;

/** The request fields an interval's bounds came from, for error messages. */
export interface IntervalFields {
  readonly start: string;
  readonly end: string;
}

const defaultFields: IntervalFields = { start: "start", end: "end" };

/**
 * An interval from user input: both bounds integer epoch ms and `start < end`. Equal or
 * reversed bounds give one issue per field, each showing both bounds in UTC.
 */
export const makeReportingInterval = (
  start: number,
  end: number,
  fields: IntervalFields = defaultFields,
): Result.Result<ReportingInterval, ValidationError> => {
  const notInstants = [
    ...(Number.isSafeInteger(start) ? [] : [{ field: fields.start, value: start }]),
    ...(Number.isSafeInteger(end) ? [] : [{ field: fields.end, value: end }]),
  ];
  if (notInstants.length > 0) {
    return Result.fail(
      new ValidationError({
        issues: notInstants.map(({ field, value }) => ({
          field,
          expected: "an instant in whole milliseconds since 1970-01-01T00:00:00Z",
          actual: String(value),
        })),
      }),
    );
  }
  if (start < end) return Result.succeed({ start, end });
  const startText = describeInstant(start);
  const endText = describeInstant(end);
  return Result.fail(
    new ValidationError({
      issues: [
        {
          field: fields.start,
          expected: `an instant before ${fields.end} (${endText})`,
          actual: startText,
        },
        {
          field: fields.end,
          expected: `an instant after ${fields.start} (${startText})`,
          actual: endText,
        },
      ],
    }),
  );
};

/** True when `[start, end)` shares at least one instant with the interval (`end` null: open). */
export const overlaps = (
  interval: ReportingInterval,
  start: Instant,
  end: Instant | null,
): boolean =>
  Math.max(start, interval.start) < Math.min(end ?? Number.POSITIVE_INFINITY, interval.end);

/**
 * The part of `[start, end)` inside the interval (`end` null: open, so it ends with the
 * interval), or undefined when they do not overlap. The result is never longer than either.
 */
export const clip = (
  interval: ReportingInterval,
  start: Instant,
  end: Instant | null,
): ReportingInterval | undefined => {
  const clippedStart = Math.max(start, interval.start);
  const clippedEnd = end === null ? interval.end : Math.min(end, interval.end);
  return clippedStart < clippedEnd ? { start: clippedStart, end: clippedEnd } : undefined;
};

/** The interval's length in milliseconds (0 when empty). */
export const lengthMs = (interval: ReportingInterval): number =>
  Math.max(0, interval.end - interval.start);

/** True when the interval contains no instant (`start >= end`, e.g. defaulted from an empty store). */
export const isEmpty = (interval: ReportingInterval): boolean => interval.start >= interval.end;

/**
 * Where activity stops being counted: `min(end, now)`. An `end` in the future is allowed, but
 * ongoing activity is counted only up to now.
 */
export const coveredEnd = (interval: ReportingInterval, now: Instant): Instant =>
  Math.min(interval.end, now);
