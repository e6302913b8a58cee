import { Result } from "effect";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  clip,
  coveredEnd,
  isEmpty,
  lengthMs,
  makeReportingInterval,
  overlaps,
  type ReportingInterval,
} from "../../src/domain/ReportingInterval.ts";

const at = (iso: string): number => Date.parse(iso);
const interval = (start: number, end: number): ReportingInterval =>
  Result.getOrThrow(makeReportingInterval(start, end));

const instant = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) });
const validInterval = fc
  .tuple(instant, instant)
  .filter(([a, b]) => a !== b)
  .map(([a, b]): ReportingInterval => ({ start: Math.min(a, b), end: Math.max(a, b) }));
const period = fc.tuple(instant, fc.option(instant, { nil: null }));

describe("makeReportingInterval", () => {
  it("accepts a start before the end", () => {
    expect(interval(0, 1)).toEqual({ start: 0, end: 1 });
  });

  it("rejects equal bounds, naming both fields with both bounds in UTC", () => {
    const result = makeReportingInterval(at("2024-03-31T01:30:00Z"), at("2024-03-31T01:30:00Z"), {
      start: "from",
      end: "to",
    });
    if (Result.isSuccess(result)) throw new Error("accepted an empty interval");
    expect(result.failure.issues).toEqual([
      {
        field: "from",
        expected: "an instant before to (2024-03-31T01:30:00+00:00)",
        actual: "2024-03-31T01:30:00+00:00",
      },
      {
        field: "to",
        expected: "an instant after from (2024-03-31T01:30:00+00:00)",
        actual: "2024-03-31T01:30:00+00:00",
      },
    ]);
  });

  it("rejects reversed bounds, naming both fields", () => {
    const result = makeReportingInterval(at("2024-02-01T00:00:00Z"), at("2024-01-01T00:00:00Z"));
    if (Result.isSuccess(result)) throw new Error("accepted a reversed interval");
    expect(result.failure.issues.map((issue) => issue.field)).toEqual(["start", "end"]);
    expect(result.failure.message).toContain("start: expected an instant before end");
  });

  it("rejects bounds that are no whole milliseconds", () => {
    const result = makeReportingInterval(0.5, Number.NaN, { start: "startTime", end: "endTime" });
    if (Result.isSuccess(result)) throw new Error("accepted a fractional instant");
    const expected = "an instant in whole milliseconds since 1970-01-01T00:00:00Z";
    expect(result.failure.issues).toEqual([
      { field: "startTime", expected, actual: "0.5" },
      { field: "endTime", expected, actual: "NaN" },
    ]);
  });

  it("names only the bound that is no whole milliseconds", () => {
    const expected = "an instant in whole milliseconds since 1970-01-01T00:00:00Z";
    const badEnd = makeReportingInterval(0, 1.5);
    if (Result.isSuccess(badEnd)) throw new Error("accepted a fractional end");
    expect(badEnd.failure.issues).toEqual([{ field: "end", expected, actual: "1.5" }]);
    const badStart = makeReportingInterval(2 ** 53, 2 ** 54);
    if (Result.isSuccess(badStart)) throw new Error("accepted an unsafe start");
    expect(badStart.failure.issues.map((issue) => issue.field)).toEqual(["start", "end"]);
  });

  it("is valid exactly when start is before end", () => {
    fc.assert(
      fc.property(instant, instant, (start, end) => {
        expect(Result.isSuccess(makeReportingInterval(start, end))).toBe(start < end);
      }),
      { numRuns: 300 },
    );
  });
});

describe("overlaps and clip", () => {
  const january = interval(at("2024-01-01T00:00:00Z"), at("2024-02-01T00:00:00Z"));

  it("treat intervals as half-open", () => {
    expect(overlaps(january, at("2023-12-01T00:00:00Z"), january.start)).toBe(false);
    expect(overlaps(january, january.end, null)).toBe(false);
    expect(overlaps(january, january.end - 1, null)).toBe(true);
    expect(overlaps(january, at("2023-12-01T00:00:00Z"), january.start + 1)).toBe(true);
    expect(clip(january, january.end, null)).toBeUndefined();
  });

  it("clip an open period to the end of the interval", () => {
    expect(clip(january, at("2023-12-01T00:00:00Z"), null)).toEqual(january);
    expect(clip(january, at("2024-01-10T00:00:00Z"), null)).toEqual({
      start: at("2024-01-10T00:00:00Z"),
      end: january.end,
    });
  });

  it("do not count an empty period", () => {
    const middle = at("2024-01-15T00:00:00Z");
    expect(overlaps(january, middle, middle)).toBe(false);
    expect(clip(january, middle, middle)).toBeUndefined();
  });

  it("clip to a non-empty part of the interval exactly when they overlap", () => {
    fc.assert(
      fc.property(validInterval, period, (bounds, [start, end]) => {
        const clipped = clip(bounds, start, end);
        expect(clipped !== undefined).toBe(overlaps(bounds, start, end));
        if (clipped === undefined) return;
        expect(clipped.start).toBeGreaterThanOrEqual(bounds.start);
        expect(clipped.end).toBeLessThanOrEqual(bounds.end);
        expect(clipped.start).toBeGreaterThanOrEqual(start);
        if (end !== null) expect(clipped.end).toBeLessThanOrEqual(end);
        expect(lengthMs(clipped)).toBeGreaterThan(0);
        expect(lengthMs(clipped)).toBeLessThanOrEqual(lengthMs(bounds));
        if (end !== null) expect(lengthMs(clipped)).toBeLessThanOrEqual(end - start);
      }),
      { numRuns: 300 },
    );
  });

  it("split a period into clipped parts that add up to the clipped whole", () => {
    fc.assert(
      fc.property(validInterval, instant, instant, (bounds, a, b) => {
        const start = Math.min(a, b);
        const end = Math.max(a, b);
        const middle = Math.floor((start + end) / 2);
        const whole = clip(bounds, start, end);
        const parts = [clip(bounds, start, middle), clip(bounds, middle, end)];
        const total = parts.reduce((sum, part) => sum + (part ? lengthMs(part) : 0), 0);
        expect(total).toBe(whole ? lengthMs(whole) : 0);
      }),
      { numRuns: 300 },
    );
  });
});

describe("lengthMs, isEmpty and coveredEnd", () => {
  it("measure an interval", () => {
    expect(lengthMs({ start: 1000, end: 4000 })).toBe(3000);
    expect(lengthMs({ start: 4000, end: 4000 })).toBe(0);
    expect(isEmpty({ start: 4000, end: 4000 })).toBe(true);
    expect(isEmpty({ start: 4000, end: 4001 })).toBe(false);
    // A reversed interval is as empty as an empty one.
    expect(lengthMs({ start: 4001, end: 4000 })).toBe(0);
    expect(isEmpty({ start: 4001, end: 4000 })).toBe(true);
  });

  it("count ongoing activity up to now when the end is in the future", () => {
    const bounds = { start: 0, end: 10_000 };
    expect(coveredEnd(bounds, 4_000)).toBe(4_000);
    expect(coveredEnd(bounds, 20_000)).toBe(10_000);
  });

  it("never cover past the end or past now", () => {
    fc.assert(
      fc.property(validInterval, instant, (bounds, now) => {
        const end = coveredEnd(bounds, now);
        expect(end).toBeLessThanOrEqual(bounds.end);
        expect(end).toBeLessThanOrEqual(now);
        expect([bounds.end, now]).toContain(end);
      }),
      { numRuns: 200 },
    );
  });
});
