/**
 * Date-times in the PDF, written for people in the report's zone: minutes (seconds only when
 * there are some), the offset only where it differs from the one the report starts in, and the
 * offset changes of the interval named. They agree with the CSV's ISO 8601 to the second.
 */
import { makeInstantFormatter, type ResolvedZone } from "@tally/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeReportTimes, zoneDescription } from "../src/pdf/ReportTimes.ts";

const berlin: ResolvedZone = { _tag: "Iana", name: "Europe/Berlin" };
const kolkata: ResolvedZone = { _tag: "Fixed", offsetMinutes: 330 };
const year2024 = { start: Date.UTC(2023, 11, 31, 23), end: Date.UTC(2024, 11, 31, 23) };

describe("date-times for people", () => {
  it("write minutes, seconds only when not zero, and no offset in a fixed zone", () => {
    const times = makeReportTimes(kolkata, year2024);
    expect(times.at(Date.UTC(2024, 2, 4, 1, 30))).toBe("2024-03-04 07:00");
    expect(times.at(Date.UTC(2024, 2, 4, 1, 30, 30))).toBe("2024-03-04 07:00:30");
    expect(times.at(Date.UTC(2024, 2, 4, 1, 30, 0, 999))).toBe("2024-03-04 07:00");
    expect(times.offsetChanges).toEqual([]);
    expect(zoneDescription("UTC+05:30", times)).toBe("UTC+05:30");
  });

  it("show the offset where it differs from the report's, keeping a repeated hour apart", () => {
    const times = makeReportTimes(berlin, year2024);
    expect(times.baseOffset).toBe("UTC+01:00");
    expect(times.at(Date.UTC(2024, 2, 31, 0, 59))).toBe("2024-03-31 01:59");
    expect(times.at(Date.UTC(2024, 2, 31, 1, 0))).toBe("2024-03-31 03:00 +02:00");
    // 02:30 happens twice on 2024-10-27: first at +02:00, then at +01:00.
    expect(times.at(Date.UTC(2024, 9, 27, 0, 30))).toBe("2024-10-27 02:30 +02:00");
    expect(times.at(Date.UTC(2024, 9, 27, 1, 30))).toBe("2024-10-27 02:30");
    expect(times.offsetChanges).toEqual([
      { at: "2024-03-31 03:00 +02:00", offset: "UTC+02:00" },
      { at: "2024-10-27 02:00", offset: "UTC+01:00" },
    ]);
    expect(zoneDescription("Local (Europe/Berlin)", times)).toBe(
      "Local (Europe/Berlin): UTC+01:00; UTC+02:00 from 2024-03-31 03:00 +02:00; " +
        "UTC+01:00 from 2024-10-27 02:00. Times not at UTC+01:00 carry their offset, e.g. +02:00.",
    );
    expect(times.widest).toBe("2000-00-00 00:00:00 +00:00");
  });

  it("name the offset of a zone that does not change within the interval", () => {
    const summer = { start: Date.UTC(2024, 5, 1), end: Date.UTC(2024, 6, 1) };
    const times = makeReportTimes(berlin, summer);
    expect(times.at(Date.UTC(2024, 5, 10, 6))).toBe("2024-06-10 08:00");
    expect(zoneDescription("Local (Europe/Berlin)", times)).toBe(
      "Local (Europe/Berlin), UTC+02:00",
    );
  });

  it("agree with the CSV's ISO 8601 text to the second, in any zone", () => {
    const zones: ReadonlyArray<ResolvedZone> = [
      berlin,
      kolkata,
      { _tag: "Iana", name: "America/Santiago" },
      { _tag: "Fixed", offsetMinutes: 0 },
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.integer({ min: 0, max: 400 * 86_400_000 }),
        (zone, instant, offset) => {
          const times = makeReportTimes(zone, { start: instant - offset, end: instant + 1 });
          const iso = makeInstantFormatter(zone)(instant);
          const [date, rest] = iso.split("T") as [string, string];
          const suffix = rest.slice(8);
          const expected =
            `${date} ${rest.slice(0, 5)}${rest.slice(6, 8) === "00" ? "" : `:${rest.slice(6, 8)}`}` +
            (`UTC${suffix}` === times.baseOffset ||
            (suffix === "+00:00" && times.baseOffset === "UTC")
              ? ""
              : ` ${suffix}`);
          expect(times.at(instant)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
