import { Result } from "effect";
import * as fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { formatOffset, makeInstantFormatter } from "../../src/domain/InstantFormatter.ts";
import type { ResolvedZone } from "../../src/domain/TimeZoneSpec.ts";
import {
  daysInMonth,
  instantForms,
  parseInstantInZone,
  parseWallClock,
  type WallClockTime,
  wallClockForm,
  wallClockToInstant,
} from "../../src/domain/WallClock.ts";
import { luxonOffset, luxonTransitions } from "./luxonTransitions.ts";

const dayMs = 86_400_000;
const berlin: ResolvedZone = { _tag: "Iana", name: "Europe/Berlin" };
const newYork: ResolvedZone = { _tag: "Iana", name: "America/New_York" };
const lordHowe: ResolvedZone = { _tag: "Iana", name: "Australia/Lord_Howe" };
const utc: ResolvedZone = { _tag: "Fixed", offsetMinutes: 0 };

const wall = (text: string): WallClockTime => Result.getOrThrow(parseWallClock(text, "from"));
const instantIn = (text: string, zone: ResolvedZone): number =>
  wallClockToInstant(wall(text), zone);
const iso = (instant: number, zone: ResolvedZone): string => makeInstantFormatter(zone)(instant);

const two = (n: number): string => String(n).padStart(2, "0");
const wallText = (w: WallClockTime): string =>
  `${String(w.year).padStart(4, "0")}-${two(w.month)}-${two(w.day)}T${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;

/** Any real wall-clock time of years `min`..`max`. */
const wallClockTime = (min: number, max: number): fc.Arbitrary<WallClockTime> =>
  fc.tuple(fc.integer({ min, max }), fc.integer({ min: 1, max: 12 })).chain(([year, month]) =>
    fc.record({
      year: fc.constant(year),
      month: fc.constant(month),
      day: fc.integer({ min: 1, max: daysInMonth(year, month) }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
    }),
  );

/** A local time (wall clock read as UTC ms) as `YYYY-MM-DDThh:mm:ss`. */
const localText = (local: number): string => new Date(local).toISOString().slice(0, 19);

const failure = <A>(result: Result.Result<A, { issues: ReadonlyArray<unknown> }>) => {
  if (Result.isSuccess(result)) throw new Error("accepted");
  return result.failure.issues;
};

/**
 * The rule written out with luxon as the zone database (luxon's own `fromISO` is not the
 * oracle: in a repeated hour it takes the later instant). Candidates are the instants whose
 * local time in the zone is the wall time, for each offset in force a day before or after;
 * the earliest wins; none means a gap, and the wall time is read with the offset before the
 * gap, which moves it forward by the gap's length.
 */
const compatibleInstant = (text: string, zone: string): number => {
  const local = Date.parse(`${text}Z`);
  const before = luxonOffset(zone, local - dayMs);
  const after = luxonOffset(zone, local + dayMs);
  const candidates = [before, after]
    .map((offset) => local - offset * 60_000)
    .filter(
      (instant) =>
        DateTime.fromMillis(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss") === text,
    )
    .sort((a, b) => a - b);
  return candidates[0] ?? local - before * 60_000;
};

const dstZones = [
  "Europe/Berlin",
  "America/New_York",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
  "Africa/Casablanca",
  "Pacific/Chatham",
  "Pacific/Apia",
];

describe("parseWallClock", () => {
  it("reads YYYY-MM-DDThh:mm:ss", () => {
    expect(wall("2024-03-31T02:30:00")).toEqual({
      year: 2024,
      month: 3,
      day: 31,
      hour: 2,
      minute: 30,
      second: 0,
    });
    expect(wall("2024-02-29T23:59:59").day).toBe(29);
    expect(wall("2000-02-29T00:00:00").day).toBe(29);
    expect(wall("2024-12-31T00:00:00").day).toBe(31);
  });

  it.each([
    "2024-03-31 02:30:00",
    "2024-03-31t02:30:00",
    "2024-03-31T02:30",
    "2024-03-31T02:30:00Z",
    "2024-03-31T02:30:00+01:00",
    "2024-03-31T02:30:00.000",
    "24-03-31T02:30:00",
    "2024-3-31T02:30:00",
    " 2024-03-31T02:30:00",
    "",
  ])("rejects %j, naming the field, the form and the text", (text) => {
    expect(failure(parseWallClock(text, "from"))).toEqual([
      { field: "from", expected: wallClockForm, actual: JSON.stringify(text) },
    ]);
  });

  it.each([
    ["2024-02-30T00:00:00", "February 2024 has 29 days"],
    ["2023-02-29T00:00:00", "February 2023 has 28 days"],
    ["2024-04-31T00:00:00", "April 2024 has 30 days"],
    ["2024-06-31T00:00:00", "June 2024 has 30 days"],
    ["2024-09-31T00:00:00", "September 2024 has 30 days"],
    ["2024-11-31T00:00:00", "November 2024 has 30 days"],
    ["1900-02-29T00:00:00", "February 1900 has 28 days"],
    ["2100-02-29T00:00:00", "February 2100 has 28 days"],
    ["2024-00-10T00:00:00", "month 0 does not exist"],
    ["2024-13-10T00:00:00", "month 13 does not exist"],
    ["2024-03-00T00:00:00", "March 2024 has 31 days"],
    ["2024-03-31T24:00:00", "hours run from 00 to 23"],
    ["2024-03-31T23:60:00", "minutes run from 00 to 59"],
    ["2024-03-31T23:59:60", "seconds run from 00 to 59"],
  ])("rejects %j, which is no real date and time (%s)", (text, why) => {
    expect(failure(parseWallClock(text, "to"))).toEqual([
      { field: "to", expected: wallClockForm, actual: `${JSON.stringify(text)} (${why})` },
    ]);
  });

  it("names the month and its length when the day is past its end", () => {
    const months = [
      ["January", 31],
      ["February", 28],
      ["March", 31],
      ["April", 30],
      ["May", 31],
      ["June", 30],
      ["July", 31],
      ["August", 31],
      ["September", 30],
      ["October", 31],
      ["November", 30],
      ["December", 31],
    ] as const;
    months.forEach(([name, days], i) => {
      const text = `2023-${two(i + 1)}-32T00:00:00`;
      expect(failure(parseWallClock(text, "from"))[0]).toEqual({
        field: "from",
        expected: wallClockForm,
        actual: `${JSON.stringify(text)} (${name} 2023 has ${days} days)`,
      });
    });
  });

  it("says in its message which form it expects, with an example", () => {
    const result = parseWallClock("soon", "from");
    expect(Result.isFailure(result) && result.failure.message).toBe(
      'from: expected a date and time in the form YYYY-MM-DDThh:mm:ss, e.g. 2024-03-31T02:30:00, got "soon"',
    );
    const instant = parseInstantInZone("soon", "to", utc);
    expect(Result.isFailure(instant) && instant.failure.message).toBe(
      "to: expected a date and time YYYY-MM-DDThh:mm:ss (read in the report's time zone) or a " +
        "timestamp with Z or an offset, e.g. 2024-03-31T02:30:00, 2024-03-31T00:30:00Z, " +
        '2024-03-31T01:30:00.250+01:00, got "soon"',
    );
  });

  it("reads back every real wall-clock time it is written as", () => {
    fc.assert(
      fc.property(wallClockTime(0, 9999), (w) => {
        expect(wall(wallText(w))).toEqual(w);
      }),
      { numRuns: 300 },
    );
  });

  it("rejects days past the end of the month", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 3 }),
        (year, month, past) => {
          const day = daysInMonth(year, month) + 1 + past;
          if (day > 99) return;
          const text = `${String(year).padStart(4, "0")}-${two(month)}-${two(day)}T00:00:00`;
          expect(parseWallClock(text, "from")).toMatchObject({ _tag: "Failure" });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("wallClockToInstant", () => {
  it("moves a time in the spring gap forward by the gap", () => {
    expect(iso(instantIn("2024-03-31T02:30:00", berlin), berlin)).toBe("2024-03-31T03:30:00+02:00");
    expect(instantIn("2024-03-31T02:30:00", berlin)).toBe(Date.UTC(2024, 2, 31, 1, 30));
    expect(iso(instantIn("2024-03-31T02:00:00", berlin), berlin)).toBe("2024-03-31T03:00:00+02:00");
    expect(iso(instantIn("2024-03-10T02:30:00", newYork), newYork)).toBe(
      "2024-03-10T03:30:00-04:00",
    );
    // Lord Howe's gap is 30 minutes (02:00 → 02:30).
    expect(iso(instantIn("2024-10-06T02:15:00", lordHowe), lordHowe)).toBe(
      "2024-10-06T02:45:00+11:00",
    );
  });

  it("takes the earlier instant in the repeated autumn hour", () => {
    expect(iso(instantIn("2024-10-27T02:30:00", berlin), berlin)).toBe("2024-10-27T02:30:00+02:00");
    expect(instantIn("2024-10-27T02:30:00", berlin)).toBe(Date.UTC(2024, 9, 27, 0, 30));
    expect(iso(instantIn("2024-11-03T01:30:00", newYork), newYork)).toBe(
      "2024-11-03T01:30:00-04:00",
    );
    expect(iso(instantIn("2024-04-07T01:45:00", lordHowe), lordHowe)).toBe(
      "2024-04-07T01:45:00+11:00",
    );
  });

  it("reads times on either side of a transition with the offset then in force", () => {
    expect(iso(instantIn("2024-03-31T01:59:59", berlin), berlin)).toBe("2024-03-31T01:59:59+01:00");
    expect(iso(instantIn("2024-03-31T03:00:00", berlin), berlin)).toBe("2024-03-31T03:00:00+02:00");
    expect(iso(instantIn("2024-10-27T03:00:00", berlin), berlin)).toBe("2024-10-27T03:00:00+01:00");
  });

  it("reads a wall time in a fixed offset as that offset, for any year 0000–9999", () => {
    fc.assert(
      fc.property(
        wallClockTime(0, 9999),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (w, offsetMinutes) => {
          const zone: ResolvedZone = { _tag: "Fixed", offsetMinutes };
          expect(iso(wallClockToInstant(w, zone), zone)).toBe(
            `${wallText(w)}${formatOffset(offsetMinutes)}`,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("follows the compatible rule for any wall time in real zones", () => {
    fc.assert(
      fc.property(fc.constantFrom(...dstZones), wallClockTime(1970, 2100), (name, w) => {
        const text = wallText(w);
        expect(wallClockToInstant(w, { _tag: "Iana", name })).toBe(compatibleInstant(text, name));
      }),
      { numRuns: 300 },
    );
  });

  it("follows the compatible rule for wall times in and around DST gaps and overlaps", () => {
    const transitions = dstZones.flatMap((zone) => luxonTransitions(zone, 1970, 2040));
    fc.assert(
      fc.property(
        fc.constantFrom(...transitions),
        fc.boolean(),
        fc.integer({ min: -7200, max: 7200 }),
        (transition, useAfter, deltaSeconds) => {
          const offset = useAfter ? transition.after : transition.before;
          const text = localText(transition.at + offset * 60_000 + deltaSeconds * 1000);
          const zone: ResolvedZone = { _tag: "Iana", name: transition.zone };
          const instant = wallClockToInstant(wall(text), zone);
          expect(instant).toBe(compatibleInstant(text, transition.zone));
          // Outside a gap the instant shows the very wall time it was read from.
          const shown = iso(instant, zone).slice(0, 19);
          const mayBeInGap = transition.after > transition.before;
          if (!mayBeInGap) expect(shown).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("parseInstantInZone", () => {
  it("reads a wall-clock time in the zone", () => {
    expect(Result.getOrThrow(parseInstantInZone("2024-03-31T02:30:00", "from", berlin))).toBe(
      Date.UTC(2024, 2, 31, 1, 30),
    );
    expect(Result.getOrThrow(parseInstantInZone("2024-03-31T02:30:00", "from", utc))).toBe(
      Date.UTC(2024, 2, 31, 2, 30),
    );
  });

  it("takes a timestamp with Z or an offset as given, whatever the zone", () => {
    for (const zone of [berlin, newYork, utc]) {
      expect(Result.getOrThrow(parseInstantInZone("2024-03-31T01:30:00+01:00", "from", zone))).toBe(
        Date.UTC(2024, 2, 31, 0, 30),
      );
      expect(Result.getOrThrow(parseInstantInZone("2022-02-03T19:21:24.912Z", "to", zone))).toBe(
        Date.UTC(2022, 1, 3, 19, 21, 24, 912),
      );
      expect(Result.getOrThrow(parseInstantInZone("2024-01-01T00:00:00-11:30", "to", zone))).toBe(
        Date.UTC(2024, 0, 1, 11, 30),
      );
    }
  });

  it("accepts offsets up to ±23:59", () => {
    expect(Result.getOrThrow(parseInstantInZone("2024-01-02T00:00:00+23:59", "from", utc))).toBe(
      Date.UTC(2024, 0, 1, 0, 1),
    );
    expect(Result.getOrThrow(parseInstantInZone("2024-01-01T00:00:00-23:59", "from", utc))).toBe(
      Date.UTC(2024, 0, 1, 23, 59),
    );
  });

  it("truncates fractions of seconds to the millisecond", () => {
    expect(Result.getOrThrow(parseInstantInZone("1970-01-01T00:00:00.9999999Z", "from", utc))).toBe(
      999,
    );
    expect(Result.getOrThrow(parseInstantInZone("1970-01-01T00:00:00.5Z", "from", utc))).toBe(500);
    expect(Result.getOrThrow(parseInstantInZone("1970-01-01T00:00:00.05Z", "from", utc))).toBe(50);
  });

  it.each([
    "2024-03-31",
    "2024-03-31T02:30:00.123",
    "2024-03-31T02:30:00z",
    "2024-03-31T02:30:00+0100",
    "2024-03-31T02:30:00+01",
    "2024-03-31T02:30:00 Europe/Berlin",
    "2024-03-31T02:30:00.Z",
    "x2024-03-31T00:30:00Z",
    "2024-03-31T00:30:00Zx",
    "2024-03-31T00:30:00+01:00x",
    "1711848600000",
    "",
  ])("rejects %j, naming the field, the forms and the text", (text) => {
    expect(failure(parseInstantInZone(text, "from", berlin))).toEqual([
      { field: "from", expected: instantForms, actual: JSON.stringify(text) },
    ]);
  });

  it("rejects impossible dates and offsets, saying why", () => {
    expect(failure(parseInstantInZone("2024-02-30T00:00:00Z", "to", utc))).toEqual([
      {
        field: "to",
        expected: instantForms,
        actual: '"2024-02-30T00:00:00Z" (February 2024 has 29 days)',
      },
    ]);
    expect(failure(parseInstantInZone("2024-02-10T00:00:00+24:00", "to", utc))).toEqual([
      {
        field: "to",
        expected: instantForms,
        actual:
          '"2024-02-10T00:00:00+24:00" (an offset\'s hours run from 00 to 23 and its minutes from 00 to 59)',
      },
    ]);
    expect(failure(parseInstantInZone("2024-02-10T00:00:00-01:60", "to", utc))).toEqual([
      {
        field: "to",
        expected: instantForms,
        actual:
          '"2024-02-10T00:00:00-01:60" (an offset\'s hours run from 00 to 23 and its minutes from 00 to 59)',
      },
    ]);
  });

  it("reads back any instant written by the formatter, to the second", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...dstZones).map((name): ResolvedZone => ({ _tag: "Iana", name })),
          fc
            .integer({ min: -12 * 60, max: 14 * 60 })
            .map((offsetMinutes): ResolvedZone => ({ _tag: "Fixed", offsetMinutes })),
        ),
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }),
        (zone, instant) => {
          const text = makeInstantFormatter(zone)(instant);
          expect(Result.getOrThrow(parseInstantInZone(text, "from", berlin))).toBe(
            Math.floor(instant / 1000) * 1000,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
