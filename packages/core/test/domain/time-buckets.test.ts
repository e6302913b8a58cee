import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketEnd, bucketOf, bucketStart, timeBuckets } from "../../src/domain/TimeBuckets.ts";

const DAY = 86_400_000;

describe("time buckets", () => {
  it("cut [start, end) into at most the asked number of contiguous buckets, each instant in one", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 4e12 }),
        fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 200 * 365 * DAY })),
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (start, length, most, where) => {
          const end = start + length;
          const buckets = timeBuckets(start, end, most);
          expect(buckets.count).toBeGreaterThanOrEqual(1);
          expect(buckets.count).toBeLessThanOrEqual(most);
          expect(bucketStart(buckets, 0)).toBe(start);
          expect(bucketEnd(buckets, buckets.count - 1)).toBe(end);
          expect(bucketStart(buckets, buckets.count - 1)).toBeLessThan(end);
          for (let i = 1; i < buckets.count; i++) {
            expect(bucketStart(buckets, i)).toBe(bucketEnd(buckets, i - 1));
          }
          const instant = Math.min(end - 1, start + Math.floor(where * length));
          const index = bucketOf(buckets, instant);
          expect(bucketStart(buckets, index)).toBeLessThanOrEqual(instant);
          expect(instant).toBeLessThan(bucketEnd(buckets, index));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("take the shortest readable step that fits", () => {
    const year = timeBuckets(Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1), 400);
    expect(year).toMatchObject({ size: DAY, count: 366 });
    expect(timeBuckets(0, 31 * DAY, 400)).toMatchObject({ size: 2 * 3_600_000, count: 372 });
    expect(timeBuckets(0, DAY, 400)).toMatchObject({ size: 5 * 60_000, count: 288 });
    expect(timeBuckets(0, 15, 20)).toMatchObject({ size: 1, count: 15 });
    expect(timeBuckets(0, 15, 4)).toMatchObject({ size: 5, count: 3 });
    expect(timeBuckets(0, 15, 1)).toMatchObject({ size: 20, count: 1 });
    expect(timeBuckets(0, 60_000, 10)).toMatchObject({ size: 10_000, count: 6 });
    expect(timeBuckets(0, 300 * DAY, 100)).toMatchObject({ size: 7 * DAY, count: 43 });
    expect(timeBuckets(0, 300 * DAY, 12)).toMatchObject({ size: 25 * DAY, count: 12 });
    // Beyond 14-day steps: whole days.
    expect(timeBuckets(0, 100 * 365 * DAY, 400)).toMatchObject({ size: 92 * DAY, count: 397 });
  });

  it("have no bucket when the stretch is empty", () => {
    expect(timeBuckets(10, 10, 400)).toEqual({ start: 10, end: 10, size: 1, count: 0 });
    // A reversed stretch is empty: it ends where it starts.
    expect(timeBuckets(10, 5, 400)).toEqual({ start: 10, end: 10, size: 1, count: 0 });
  });

  it("count a maximum below 1 as 1 and a fractional one as its whole part", () => {
    expect(timeBuckets(0, 15, 0)).toEqual({ start: 0, end: 15, size: 20, count: 1 });
    expect(timeBuckets(0, 15, -3)).toEqual({ start: 0, end: 15, size: 20, count: 1 });
    expect(timeBuckets(0, 15, 0.5)).toEqual({ start: 0, end: 15, size: 20, count: 1 });
    expect(timeBuckets(0, 100 * 365 * DAY, 400.9)).toEqual(timeBuckets(0, 100 * 365 * DAY, 400));
    expect(timeBuckets(0, 100 * 365 * DAY, 1.5)).toMatchObject({ size: 36_500 * DAY, count: 1 });
  });
});
