/**
 * Time buckets: a stretch of time `[start, end)` cut into equal steps of a readable length
 * (1, 2, 5, 10… ms, 1, 2, 5, 10, 15, 30 s or min, 1, 2, 3, 6, 12 h, 1, 2, 7, 14 days, then whole
 * days), the shortest such step that needs no more than a chosen number of buckets. The last
 * bucket ends at `end`, so it may be shorter than the others.
 *
 * Charts are drawn from figures per bucket (the most licensed users within each step, the
 * average protected VMs within each step): the number of buckets, not the length of the report,
 * bounds what a chart holds in memory. Steps count from `start`, in plain milliseconds: a day step
 * is 24 hours, also across a change of the zone's offset.
 */
import type { Instant } from "./Instant.ts";

/** `[start, end)` in `count` steps of `size` ms (the last one ends at `end`). */
export interface TimeBuckets {
  readonly start: Instant;
  readonly end: Instant;
  /** The length of a bucket in ms (the last may be shorter). */
  readonly size: number;
  /** The number of buckets; 0 when `start >= end`. */
  readonly count: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The readable step lengths, shortest first. */
const steps: ReadonlyArray<number> = [
  ...[1, 2, 5, 10, 20, 50, 100, 200, 500],
  ...[1, 2, 5, 10, 15, 30].map((n) => n * SECOND),
  ...[1, 2, 5, 10, 15, 30].map((n) => n * MINUTE),
  ...[1, 2, 3, 6, 12].map((n) => n * HOUR),
  ...[1, 2, 7, 14].map((n) => n * DAY),
];

/**
 * `[start, end)` in the shortest readable step that needs at most `maxCount` buckets (at least
 * one bucket; `maxCount` below 1 counts as 1).
 */
export const timeBuckets = (start: Instant, end: Instant, maxCount: number): TimeBuckets => {
  const length = end - start;
  if (!(length > 0)) return { start, end: Math.max(start, end), size: 1, count: 0 };
  const most = Math.max(1, Math.floor(maxCount));
  let size = steps.find((step) => Math.ceil(length / step) <= most);
  if (size === undefined) size = Math.ceil(length / most / DAY) * DAY;
  return { start, end, size, count: Math.ceil(length / size) };
};

/** The bucket holding an instant of `[start, end)`. */
export const bucketOf = (buckets: TimeBuckets, instant: Instant): number =>
  Math.floor((instant - buckets.start) / buckets.size);

/** Where a bucket begins. */
export const bucketStart = (buckets: TimeBuckets, index: number): Instant =>
  buckets.start + index * buckets.size;

/** Where a bucket ends (`end` for the last one). */
export const bucketEnd = (buckets: TimeBuckets, index: number): Instant =>
  Math.min(buckets.end, buckets.start + (index + 1) * buckets.size);
