import { Result } from "effect";
import * as fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { ValidationError } from "../../src/domain/errors.ts";
import {
  formatTimeZoneSpec,
  maxOffsetMinutes,
  minOffsetMinutes,
  offsetAt,
  parseTimeZoneSpec,
  resolveTimeZone,
  type TimeZoneSpec,
  timeZoneSpecForms,
  zoneSelection,
} from "../../src/domain/TimeZoneSpec.ts";

const parsed = (text: string): TimeZoneSpec => Result.getOrThrow(parseTimeZoneSpec(text));

const rejection = (text: string, field?: string): ValidationError => {
  const result = parseTimeZoneSpec(text, field);
  if (Result.isSuccess(result)) throw new Error(`${JSON.stringify(text)} was accepted`);
  return result.failure;
};

const nonZeroOffset = fc
  .integer({ min: minOffsetMinutes, max: maxOffsetMinutes })
  .filter((minutes) => minutes !== 0);

const canonicalSpec: fc.Arbitrary<TimeZoneSpec> = fc.oneof(
  fc.constant<TimeZoneSpec>({ _tag: "Utc" }),
  fc.constant<TimeZoneSpec>({ _tag: "Local" }),
  nonZeroOffset.map((minutes): TimeZoneSpec => ({ _tag: "Offset", minutes })),
);

const two = (n: number): string => String(n).padStart(2, "0");

/** Texts one step away from an accepted spec. */
const nearMiss: fc.Arbitrary<string> = fc.oneof(
  // Wrong case or another prefix.
  fc.constantFrom("utc", "Utc", "uTC", "local", "LOCAL", "GMT", "Z", "UTC0", "Etc/UTC", "UT"),
  fc
    .tuple(
      fc.constantFrom("GMT", "utc", "Utc", "UT", "", "UTC ", " UTC", "Z"),
      fc.constantFrom("+", "-"),
      fc.integer({ min: 0, max: 12 }),
      fc.constantFrom(0, 30, 45),
    )
    .map(([prefix, sign, h, m]) => `${prefix}${sign}${two(h)}:${two(m)}`),
  // One-digit or three-digit hours, missing colon, missing minutes, unicode minus.
  fc
    .tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 9 }))
    .chain(([sign, h]) =>
      fc.constantFrom(
        `UTC${sign}${h}`,
        `UTC${sign}${h}:00`,
        `UTC${sign}0${h}`,
        `UTC${sign}0${h}00`,
        `UTC${sign}00${h}:00`,
        `UTC${sign}0${h}:0`,
        `UTC\u2212${two(h)}:00`,
        `UTC${sign}0${h}:00:00`,
      ),
    ),
  // Minutes 60–99.
  fc
    .tuple(
      fc.constantFrom("+", "-"),
      fc.integer({ min: 0, max: 11 }),
      fc.integer({ min: 60, max: 99 }),
    )
    .map(([sign, h, m]) => `UTC${sign}${two(h)}:${two(m)}`),
  // Offsets beyond −12:00…+14:00.
  fc
    .integer({ min: 12 * 60 + 1, max: 99 * 60 + 59 })
    .filter((minutes) => minutes % 60 <= 59)
    .map((minutes) => `UTC-${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`),
  fc
    .integer({ min: 14 * 60 + 1, max: 99 * 60 + 59 })
    .map((minutes) => `UTC+${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`),
  // An accepted spec with extra spaces or characters around it.
  fc
    .tuple(canonicalSpec, fc.constantFrom(" ", "\t", "\n", "x", "\u00a0", "Z"), fc.boolean())
    .map(([spec, extra, before]) =>
      before ? `${extra}${formatTimeZoneSpec(spec)}` : `${formatTimeZoneSpec(spec)}${extra}`,
    ),
);

describe("parseTimeZoneSpec", () => {
  it("accepts the documented forms", () => {
    expect(parsed("UTC")).toEqual({ _tag: "Utc" });
    expect(parsed("Local")).toEqual({ _tag: "Local" });
    expect(parsed("UTC+05:30")).toEqual({ _tag: "Offset", minutes: 330 });
    expect(parsed("UTC+05:00")).toEqual({ _tag: "Offset", minutes: 300 });
    expect(parsed("UTC-11:30")).toEqual({ _tag: "Offset", minutes: -690 });
    expect(parsed("UTC+14:00")).toEqual({ _tag: "Offset", minutes: 840 });
    expect(parsed("UTC-12:00")).toEqual({ _tag: "Offset", minutes: -720 });
    expect(parsed("UTC+05:45")).toEqual({ _tag: "Offset", minutes: 345 });
  });

  it("reads a zero offset as UTC, whatever its sign", () => {
    expect(parsed("UTC+00:00")).toEqual({ _tag: "Utc" });
    expect(parsed("UTC-00:00")).toEqual({ _tag: "Utc" });
  });

  it.each([
    "UTC+14:01",
    "UTC-12:01",
    "UTC+25:00",
    "GMT+1",
    "UTC+5",
    "Europe/Paris",
    "utc",
    " UTC",
    "UTC+05:60",
    "",
  ])("rejects %j with the list of accepted forms", (text) => {
    const error = rejection(text);
    expect(error.issues).toEqual([
      { field: "timezone", expected: timeZoneSpecForms, actual: JSON.stringify(text) },
    ]);
    expect(error.message).toContain("UTC, Local, UTC+HH:MM, UTC-HH:MM");
    expect(error.message).toContain("between UTC-12:00 and UTC+14:00");
  });

  it("names the field it was given", () => {
    expect(rejection("UTC+5", "zone").issues[0]?.field).toBe("zone");
  });

  it("shows a huge input cut short with its length", () => {
    const actual = rejection("UTC".repeat(10_000)).issues[0]?.actual ?? "";
    expect(actual.length).toBeLessThan(120);
    expect(actual).toContain("30000 characters");
  });

  it("gives back any canonical spec from its formatted text", () => {
    fc.assert(
      fc.property(canonicalSpec, (spec) => {
        expect(parsed(formatTimeZoneSpec(spec))).toEqual(spec);
      }),
      { numRuns: 300 },
    );
  });

  it("writes every offset as UTC±HH:MM within the bounds", () => {
    fc.assert(
      fc.property(nonZeroOffset, (minutes) => {
        const text = formatTimeZoneSpec({ _tag: "Offset", minutes });
        expect(text).toMatch(/^UTC[+-]\d{2}:[0-5]\d$/);
        const spec = parsed(text);
        expect(spec._tag === "Offset" && spec.minutes).toBe(minutes);
      }),
      { numRuns: 300 },
    );
  });

  it("rejects texts one step away from an accepted spec", () => {
    fc.assert(
      fc.property(nearMiss, (text) => {
        const error = rejection(text);
        expect(error.issues[0]?.expected).toBe(timeZoneSpecForms);
        expect(error.issues[0]?.actual).toBe(JSON.stringify(text));
      }),
      { numRuns: 300 },
    );
  });

  it("accepts only canonical texts or a signed zero offset, with offsets within bounds", () => {
    const specLike = fc.oneof(
      fc.string(),
      fc
        .tuple(
          fc.constantFrom("UTC+", "UTC-"),
          fc.stringMatching(/^\d{1,3}$/),
          fc.constantFrom(":", ""),
          fc.stringMatching(/^\d{1,3}$/),
        )
        .map((parts) => parts.join("")),
    );
    fc.assert(
      fc.property(specLike, (text) => {
        const result = parseTimeZoneSpec(text);
        if (Result.isFailure(result)) return;
        const spec = result.success;
        if (spec._tag === "Offset") {
          expect(spec.minutes).toBeGreaterThanOrEqual(minOffsetMinutes);
          expect(spec.minutes).toBeLessThanOrEqual(maxOffsetMinutes);
        }
        const canonical = formatTimeZoneSpec(spec);
        expect([canonical, "UTC+00:00", "UTC-00:00"]).toContain(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe("formatTimeZoneSpec", () => {
  it("writes canonical texts", () => {
    expect(formatTimeZoneSpec({ _tag: "Offset", minutes: 330 })).toBe("UTC+05:30");
    expect(formatTimeZoneSpec({ _tag: "Offset", minutes: -690 })).toBe("UTC-11:30");
    expect(formatTimeZoneSpec({ _tag: "Offset", minutes: 0 })).toBe("UTC");
    expect(formatTimeZoneSpec({ _tag: "Utc" })).toBe("UTC");
    expect(formatTimeZoneSpec({ _tag: "Local" })).toBe("Local");
  });
});

describe("resolveTimeZone", () => {
  it("resolves UTC and offsets to fixed zones", () => {
    expect(Result.getOrThrow(resolveTimeZone({ _tag: "Utc" }, "Europe/Berlin"))).toEqual({
      _tag: "Fixed",
      offsetMinutes: 0,
    });
    expect(
      Result.getOrThrow(resolveTimeZone({ _tag: "Offset", minutes: -690 }, "Europe/Berlin")),
    ).toEqual({ _tag: "Fixed", offsetMinutes: -690 });
  });

  it("resolves Local to the configured IANA zone", () => {
    expect(Result.getOrThrow(resolveTimeZone({ _tag: "Local" }, "Europe/Berlin"))).toEqual({
      _tag: "Iana",
      name: "Europe/Berlin",
    });
  });

  it("resolves Local to a fixed zero offset when the configured zone is UTC by any name", () => {
    // Every spelling of UTC in the tz database (backward links included), in any case.
    const utcNames = [
      "UTC",
      "Etc/UTC",
      "UCT",
      "Etc/UCT",
      "GMT",
      "Etc/GMT",
      "Etc/GMT0",
      "Etc/GMT+0",
      "Etc/GMT-0",
      "GMT0",
      "GMT+0",
      "GMT-0",
      "Etc/Greenwich",
      "Greenwich",
      "Etc/Universal",
      "Universal",
      "Etc/Zulu",
      "Zulu",
      "utc",
    ];
    for (const name of utcNames) {
      expect(Result.getOrThrow(resolveTimeZone({ _tag: "Local" }, name))).toEqual({
        _tag: "Fixed",
        offsetMinutes: 0,
      });
    }
  });

  it("reports an unknown configured zone on the field localZone", () => {
    const result = resolveTimeZone({ _tag: "Local" }, "Mars/Olympus_Mons");
    if (Result.isSuccess(result)) throw new Error("accepted an unknown zone");
    expect(result.failure.issues).toEqual([
      {
        field: "localZone",
        expected: "an IANA time-zone name for the server's Local zone, e.g. Europe/Berlin",
        actual: '"Mars/Olympus_Mons"',
      },
    ]);
  });

  it("selects a zone with the spec's canonical text", () => {
    expect(Result.getOrThrow(zoneSelection(parsed("UTC-00:00"), "Europe/Berlin"))).toEqual({
      spec: "UTC",
      resolved: { _tag: "Fixed", offsetMinutes: 0 },
    });
    expect(Result.getOrThrow(zoneSelection(parsed("Local"), "Asia/Kathmandu"))).toEqual({
      spec: "Local",
      resolved: { _tag: "Iana", name: "Asia/Kathmandu" },
    });
  });
});

describe("offsetAt", () => {
  it("gives the offset in force, DST included", () => {
    const berlin = { _tag: "Iana", name: "Europe/Berlin" } as const;
    expect(offsetAt(berlin, Date.UTC(2024, 0, 15))).toBe(60);
    expect(offsetAt(berlin, Date.UTC(2024, 6, 15))).toBe(120);
    expect(offsetAt(berlin, Date.UTC(2024, 2, 31, 0, 59, 59, 999))).toBe(60);
    expect(offsetAt(berlin, Date.UTC(2024, 2, 31, 1))).toBe(120);
    expect(offsetAt({ _tag: "Iana", name: "Asia/Kathmandu" }, Date.UTC(2024, 0, 1))).toBe(345);
    expect(offsetAt({ _tag: "Fixed", offsetMinutes: -690 }, 0)).toBe(-690);
  });

  it("follows zones that changed their offset and back within days", () => {
    // Found with luxon: each changed its offset twice within three weeks in these months.
    const windows = [
      ["America/Recife", Date.UTC(2000, 9, 1)],
      ["America/Noronha", Date.UTC(2000, 9, 1)],
      ["America/Argentina/Tucuman", Date.UTC(2004, 4, 25)],
      ["Africa/Tunis", Date.UTC(1943, 2, 25)],
      ["Europe/Vienna", Date.UTC(1945, 2, 28)],
    ] as const;
    for (const [name, from] of windows) {
      for (let instant = from; instant < from + 30 * 86_400_000; instant += 3_600_000) {
        const expected = DateTime.fromMillis(instant, { zone: name }).offset;
        const actual = offsetAt({ _tag: "Iana", name }, instant);
        if (actual !== expected)
          expect({ name, instant, actual }).toEqual({ name, instant, expected });
      }
    }
  });

  it("keeps the offset at the edge of the Date range for instants beyond it", () => {
    const berlin = { _tag: "Iana", name: "Europe/Berlin" } as const;
    const edge = 8.64e15 - 2 * 86_400_000;
    const late = DateTime.fromMillis(edge, { zone: "Europe/Berlin" }).offset;
    const early = DateTime.fromMillis(-edge, { zone: "Europe/Berlin" }).offset;
    expect(late).toBe(120);
    for (const instant of [8.64e15 - 1, 8.64e15, 8.64e15 + 86_400_000, 1e16]) {
      expect(offsetAt(berlin, instant)).toBe(late);
    }
    expect(early).toBeCloseTo(53.47, 2); // Berlin's local mean time
    for (const instant of [-8.64e15, -8.64e15 - 86_400_000, -1e16]) {
      expect(offsetAt(berlin, instant)).toBe(early);
    }
  });

  it("agrees with luxon for any instant in real zones", () => {
    const zones = [
      "Europe/Berlin",
      "America/New_York",
      "Australia/Lord_Howe",
      "Asia/Kathmandu",
      "Africa/Casablanca",
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }),
        (name, instant) => {
          expect(offsetAt({ _tag: "Iana", name }, instant)).toBe(
            DateTime.fromMillis(instant, { zone: name }).offset,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
