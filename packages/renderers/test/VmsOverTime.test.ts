/**
 * The tenant chart's figures: the average VMs protected within each time bucket, accumulated
 * from lines in any order, equal the same average counted millisecond by millisecond.
 */
import { timeBuckets } from "@tally/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VmsOverTime } from "../src/pdf/VmsOverTime.ts";

describe("protected VMs over time", () => {
  it("averages the VMs protected within each bucket, for the total and for a chosen series", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(
          fc.record({
            start: fc.integer({ min: -10, max: 120 }),
            length: fc.integer({ min: 0, max: 70 }),
            series: fc.integer({ min: 0, max: 2 }),
          }),
          { maxLength: 30 },
        ),
        (start, length, most, lines) => {
          const buckets = timeBuckets(start, start + length, most);
          const vms = new VmsOverTime(buckets, 2);
          for (const l of lines) vms.add(l.start, l.start + l.length, l.series);
          for (const series of [0, 1, 2]) {
            const averages = vms.averages(series);
            expect(averages).toHaveLength(buckets.count);
            for (let b = 0; b < buckets.count; b++) {
              const from = start + b * buckets.size;
              const to = Math.min(start + length, from + buckets.size);
              let vmMs = 0;
              for (let t = from; t < to; t++) {
                vmMs += lines.filter(
                  (l) =>
                    (series === 0 || l.series === series) && l.start <= t && t < l.start + l.length,
                ).length;
              }
              expect(averages[b]).toBeCloseTo(vmMs / (to - from), 9);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
