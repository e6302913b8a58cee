/**
 * The charts' time axis: ticks at calendar boundaries of the report's zone, within the stretch,
 * in order, not too many, labelled briefly.
 */
import { makeInstantFormatter, type ResolvedZone } from "@tally/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { timeTicks } from "../src/pdf/TimeAxis.ts";

const berlin: ResolvedZone = { _tag: "Iana", name: "Europe/Berlin" };
const utc: ResolvedZone = { _tag: "Fixed", offsetMinutes: 0 };

describe("the time axis of a chart", () => {
  it("puts month ticks on local month starts, with the year under the first and under January", () => {
    const ticks = timeTicks(berlin, Date.UTC(2023, 11, 31, 23), Date.UTC(2024, 11, 31, 23), 13);
    expect(ticks.map((t) => t.label)).toEqual([
      ...["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
      "Jan",
    ]);
    expect(ticks[0]?.secondLine).toBe("2024");
    expect(ticks[12]?.secondLine).toBe("2025");
    const local = makeInstantFormatter(berlin);
    expect(ticks.map((t) => local(t.at).slice(8, 19))).toEqual(
      Array.from({ length: 13 }, () => "01T00:00:00"),
    );
  });

  it("puts hour ticks on local hours across a daylight-saving change, dated where the day changes", () => {
    const ticks = timeTicks(berlin, Date.UTC(2024, 2, 30, 23), Date.UTC(2024, 2, 31, 23), 8);
    expect(ticks.map((t) => `${t.label}${t.secondLine === "" ? "" : ` ${t.secondLine}`}`)).toEqual([
      "00:00 Mar 31",
      "03:00",
      "06:00",
      "09:00",
      "12:00",
      "15:00",
      "18:00",
      "21:00",
      "00:00 Apr 1",
    ]);
  });

  it("keeps ticks within the stretch, in order, and few enough", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(berlin, utc, { _tag: "Fixed", offsetMinutes: -570 } as const),
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.integer({ min: 60_000, max: 30 * 365 * 86_400_000 }),
        fc.integer({ min: 2, max: 14 }),
        (zone, start, length, most) => {
          const ticks = timeTicks(zone, start, start + length, most);
          for (const [i, tick] of ticks.entries()) {
            expect(tick.at).toBeGreaterThanOrEqual(start);
            expect(tick.at).toBeLessThanOrEqual(start + length);
            if (i > 0) expect(tick.at).toBeGreaterThan((ticks[i - 1] as (typeof ticks)[number]).at);
            expect(tick.label.length).toBeGreaterThan(0);
          }
          expect(ticks.length).toBeLessThanOrEqual(most + 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
