/**
 * Protected VMs over time, for the tenant report's chart: the average number of VMs protected
 * within each time bucket (VM-time in the bucket ÷ the bucket's length), for every VM and for a
 * few chosen series (the largest tenants), accumulated line by line as the report streams.
 *
 * The lines arrive ordered by tenant and VM, not by time, so a bucket's figure is built from
 * parts that add up in any order: a line `[start, end)` is a step up at `start` and a step down
 * at `end`; each step adds to its own bucket the part of that bucket it covers and, for the
 * buckets after it, one VM for their whole length (summed once, at the end). A line costs two
 * steps whatever its length, and memory is two numbers per bucket and series — bounded by the
 * number of buckets, not by the report.
 */
import { bucketEnd, bucketOf, bucketStart, type TimeBuckets } from "@tally/core";

/** Average protected VMs per bucket, for a total and `series` chosen series. */
export class VmsOverTime {
  readonly buckets: TimeBuckets;
  /** Per series: steps starting in each bucket (+1 / −1). */
  readonly #steps: Array<Float64Array>;
  /** Per series: VM-ms within each bucket contributed by the steps starting in it. */
  readonly #partial: Array<Float64Array>;

  /** Series 0 is every line; series 1…`series` are those `add` is told. */
  constructor(buckets: TimeBuckets, series: number) {
    this.buckets = buckets;
    this.#steps = Array.from({ length: series + 1 }, () => new Float64Array(buckets.count));
    this.#partial = Array.from({ length: series + 1 }, () => new Float64Array(buckets.count));
  }

  /** Counts a VM protected over `[start, end)` in the total and, if not 0, in `series`. */
  add(start: number, end: number, series: number): void {
    const from = Math.max(start, this.buckets.start);
    const to = Math.min(end, this.buckets.end);
    if (!(from < to)) return;
    this.#step(0, from, 1);
    this.#step(0, to, -1);
    if (series > 0) {
      this.#step(series, from, 1);
      this.#step(series, to, -1);
    }
  }

  #step(series: number, at: number, sign: number): void {
    if (at >= this.buckets.end) return;
    const b = bucketOf(this.buckets, at);
    const steps = this.#steps[series] as Float64Array;
    const partial = this.#partial[series] as Float64Array;
    steps[b] = (steps[b] as number) + sign;
    partial[b] = (partial[b] as number) + sign * (bucketEnd(this.buckets, b) - at);
  }

  /** The average VMs protected within each bucket, for a series (0: every VM). */
  averages(series: number): Float64Array {
    const steps = this.#steps[series] as Float64Array;
    const partial = this.#partial[series] as Float64Array;
    const out = new Float64Array(this.buckets.count);
    let running = 0;
    for (let b = 0; b < out.length; b++) {
      const width = bucketEnd(this.buckets, b) - bucketStart(this.buckets, b);
      out[b] = (running * width + (partial[b] as number)) / width;
      running += steps[b] as number;
    }
    return out;
  }
}
