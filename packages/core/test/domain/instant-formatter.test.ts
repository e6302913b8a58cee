import * as fc from "fast-check";
import { DateTime, FixedOffsetZone } from "luxon";
import { describe, expect, it } from "vitest";
import {
  describeInstant,
  formatInstantUtcIso,
  formatOffset,
  makeInstantFormatter,
} from "../../src/domain/InstantFormatter.ts";
import type { ResolvedZone } from "../../src/domain/TimeZoneSpec.ts";
import { luxonTransitions } from "./luxonTransitions.ts";

/** luxon's ISO text for the instant's second, with a zero offset written `+00:00`. */
const luxonIso = (zone: ResolvedZone, instant: number): string => {
  const luxonZone =
    zone._tag === "Fixed" ? FixedOffsetZone.instance(zone.offsetMinutes) : zone.name;
  const second = Math.floor(instant / 1000) * 1000;
  const text = DateTime.fromMillis(second, { zone: luxonZone }).toISO({
    suppressMilliseconds: true,
  });
  return (text ?? "invalid").replace(/Z$/, "+00:00");
};

const realZones = [
  "Europe/Berlin",
  "America/New_York",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
  "Africa/Casablanca",
  "Pacific/Chatham",
  "America/St_Johns",
  "Pacific/Apia",
];

/** One formatter per zone, reused across runs, so its caches see instants in any order. */
const formatters = new Map<string, (instant: number) => string>();
const formatterFor = (zone: ResolvedZone): ((instant: number) => string) => {
  const key = zone._tag === "Fixed" ? `${zone.offsetMinutes}` : zone.name;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = makeInstantFormatter(zone);
    formatters.set(key, formatter);
  }
  return formatter;
};

const year1970 = Date.UTC(1970, 0, 1);
const year2100 = Date.UTC(2100, 0, 1);
/** Instants luxon can still write (the Date range, less a day for the offset). */
const dateRange = 8.64e15 - 86_400_000;

describe("makeInstantFormatter", () => {
  it("writes the offset in force at each instant (SPEC examples)", () => {
    const berlin = makeInstantFormatter({ _tag: "Iana", name: "Europe/Berlin" });
    expect(berlin(Date.UTC(2024, 2, 31, 0, 59, 59))).toBe("2024-03-31T01:59:59+01:00");
    expect(berlin(Date.UTC(2024, 2, 31, 1, 0, 0))).toBe("2024-03-31T03:00:00+02:00");
    expect(berlin(Date.UTC(2024, 9, 27, 0, 30))).toBe("2024-10-27T02:30:00+02:00");
    expect(berlin(Date.UTC(2024, 9, 27, 1, 30))).toBe("2024-10-27T02:30:00+01:00");
  });

  it("writes a zero offset as +00:00 and fixed offsets as given", () => {
    expect(makeInstantFormatter({ _tag: "Fixed", offsetMinutes: 0 })(0)).toBe(
      "1970-01-01T00:00:00+00:00",
    );
    expect(makeInstantFormatter({ _tag: "Fixed", offsetMinutes: -690 })(0)).toBe(
      "1969-12-31T12:30:00-11:30",
    );
    expect(makeInstantFormatter({ _tag: "Iana", name: "Asia/Kathmandu" })(0)).toBe(
      "1970-01-01T05:30:00+05:30",
    );
    expect(
      makeInstantFormatter({ _tag: "Iana", name: "Asia/Kathmandu" })(Date.UTC(2024, 0, 1)),
    ).toBe("2024-01-01T05:45:00+05:45");
  });

  it("drops milliseconds toward the earlier second, also before 1970", () => {
    const utc = makeInstantFormatter({ _tag: "Fixed", offsetMinutes: 0 });
    expect(utc(1999)).toBe("1970-01-01T00:00:01+00:00");
    expect(utc(-1)).toBe("1969-12-31T23:59:59+00:00");
    expect(utc(-1000)).toBe("1969-12-31T23:59:59+00:00");
    expect(utc(-1001)).toBe("1969-12-31T23:59:58+00:00");
  });

  it("writes years outside 0000–9999 in ISO's expanded form", () => {
    const utc = makeInstantFormatter({ _tag: "Fixed", offsetMinutes: 0 });
    expect(utc(Date.UTC(10_000, 0, 1))).toBe("+010000-01-01T00:00:00+00:00");
    expect(utc(Date.UTC(10_000, 0, 1) - 1)).toBe("9999-12-31T23:59:59+00:00");
    expect(utc(Date.UTC(1000, 0, 1))).toBe("1000-01-01T00:00:00+00:00");
    expect(utc(Date.UTC(1000, 0, 1) - 1)).toBe("0999-12-31T23:59:59+00:00");
    expect(utc(Date.UTC(-1, 11, 31, 23, 59, 59))).toBe("-000001-12-31T23:59:59+00:00");
    expect(utc(-62_167_219_200_000)).toBe("0000-01-01T00:00:00+00:00");
    expect(utc(-62_135_596_800_001)).toBe("0000-12-31T23:59:59+00:00");
  });

  it("equals luxon for fixed offsets at any instant of the Date range", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -24 * 60 + 1, max: 24 * 60 - 1 }),
        fc.oneof(
          fc.integer({ min: -dateRange, max: dateRange }),
          fc.integer({ min: year1970, max: year2100 }),
        ),
        (offsetMinutes, instant) => {
          const zone: ResolvedZone = { _tag: "Fixed", offsetMinutes };
          expect(formatterFor(zone)(instant)).toBe(luxonIso(zone, instant));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("equals luxon in real zones with DST from 1970 to 2100", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...realZones),
        fc.integer({ min: year1970, max: year2100 }),
        (name, instant) => {
          const zone: ResolvedZone = { _tag: "Iana", name };
          expect(formatterFor(zone)(instant)).toBe(luxonIso(zone, instant));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("equals luxon in real zones far from today, local mean time included", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...realZones),
        fc.integer({ min: Date.UTC(1800, 0, 1), max: Date.UTC(2400, 0, 1) }),
        (name, instant) => {
          const zone: ResolvedZone = { _tag: "Iana", name };
          expect(formatterFor(zone)(instant)).toBe(luxonIso(zone, instant));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("equals luxon within seconds of every kind of DST transition", () => {
    const transitions = realZones.flatMap((zone) => luxonTransitions(zone, 1970, 2040));
    fc.assert(
      fc.property(
        fc.constantFrom(...transitions),
        fc.integer({ min: -5_000, max: 5_000 }),
        (transition, delta) => {
          const zone: ResolvedZone = { _tag: "Iana", name: transition.zone };
          const instant = transition.at + delta;
          expect(formatterFor(zone)(instant)).toBe(luxonIso(zone, instant));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("gives the same text whatever instants a formatter wrote before", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...realZones),
        fc.array(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2026, 0, 1) }), {
          maxLength: 50,
        }),
        (name, instants) => {
          const zone: ResolvedZone = { _tag: "Iana", name };
          const shared = makeInstantFormatter(zone);
          for (const instant of instants) {
            expect(shared(instant)).toBe(makeInstantFormatter(zone)(instant));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("formatOffset", () => {
  it("writes ±HH:MM", () => {
    expect(formatOffset(345)).toBe("+05:45");
    expect(formatOffset(-210)).toBe("-03:30");
    expect(formatOffset(0)).toBe("+00:00");
    expect(formatOffset(840)).toBe("+14:00");
    expect(formatOffset(-720)).toBe("-12:00");
  });
});

describe("formatInstantUtcIso", () => {
  it("writes UTC with seconds", () => {
    expect(formatInstantUtcIso(Date.UTC(2024, 2, 31, 0, 59, 59, 999))).toBe(
      "2024-03-31T00:59:59+00:00",
    );
  });
});

describe("describeInstant", () => {
  it("writes whole seconds as formatInstantUtcIso does", () => {
    expect(describeInstant(Date.UTC(2024, 2, 31, 0, 59, 59))).toBe("2024-03-31T00:59:59+00:00");
    expect(describeInstant(-1000)).toBe("1969-12-31T23:59:59+00:00");
  });

  it("adds the milliseconds when there are any, also before 1970", () => {
    expect(describeInstant(Date.UTC(2024, 2, 31, 0, 59, 59, 7))).toBe(
      "2024-03-31T00:59:59.007+00:00",
    );
    expect(describeInstant(1500)).toBe("1970-01-01T00:00:01.500+00:00");
    expect(describeInstant(-1)).toBe("1969-12-31T23:59:59.999+00:00");
    expect(describeInstant(-1999)).toBe("1969-12-31T23:59:58.001+00:00");
  });

  it("never writes two different instants alike", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -dateRange, max: dateRange }),
        fc.integer({ min: -dateRange, max: dateRange }),
        (a, b) => {
          fc.pre(a !== b);
          expect(describeInstant(a)).not.toBe(describeInstant(b));
        },
      ),
    );
  });

  it("reads back as the same instant (expanded years included)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -dateRange, max: dateRange }), (instant) => {
        expect(Date.parse(describeInstant(instant))).toBe(instant);
      }),
    );
  });
});
