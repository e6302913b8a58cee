/**
 * Wall-clock times (`YYYY-MM-DDThh:mm:ss`, no offset) and how they become instants in a zone.
 * A wall-clock time in an IANA zone may not exist (the DST gap) or exist twice (the repeated
 * hour); it is read like JavaScript Temporal's `disambiguation: "compatible"`: in a gap the
 * time moves forward by the gap's length, in a repeated hour the earlier instant is taken.
 */
import { Result } from "effect";
import { ValidationError } from "./errors.ts";
import { quoteGiven } from "./GivenText.ts";
import type { Instant } from "./Instant.ts";
import type { ResolvedZone } from "./TimeZoneSpec.ts";
import { type ZoneOffsetTable, zoneOffsetTable } from "./ZoneOffsetTable.ts";

/** A calendar date and time of day as a clock on the wall shows it, in no particular zone. */
export interface WallClockTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** How errors describe the wall-clock form. */
export const wallClockForm =
  "a date and time in the form YYYY-MM-DDThh:mm:ss, e.g. 2024-03-31T02:30:00";

/** How errors describe what `parseInstantInZone` accepts. */
export const instantForms =
  "a date and time YYYY-MM-DDThh:mm:ss (read in the report's time zone) or a timestamp with Z or " +
  "an offset, e.g. 2024-03-31T02:30:00, 2024-03-31T00:30:00Z, 2024-03-31T01:30:00.250+01:00";

const wallClockPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
const timestampPattern =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

const monthNames = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const msPerDay = 86_400_000;

/** True for leap years of the proleptic Gregorian calendar. */
const isLeapYear = (year: number): boolean =>
  year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/** Days in a month (1–12) of a year. */
export const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? isLeapYear(year)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`). */
export const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
};

/** Why fields that match the form are still no real date and time, or undefined if they are. */
const calendarProblem = (wall: WallClockTime): string | undefined => {
  if (wall.month < 1 || wall.month > 12) return `month ${wall.month} does not exist`;
  const days = daysInMonth(wall.year, wall.month);
  if (wall.day < 1 || wall.day > days) {
    return `${monthNames[wall.month - 1]} ${wall.year} has ${days} days`;
  }
  if (wall.hour > 23) return "hours run from 00 to 23";
  if (wall.minute > 59) return "minutes run from 00 to 59";
  if (wall.second > 59) return "seconds run from 00 to 59";
  return undefined;
};

const wallFromMatch = (match: RegExpExecArray): WallClockTime => ({
  year: Number(match[1]),
  month: Number(match[2]),
  day: Number(match[3]),
  hour: Number(match[4]),
  minute: Number(match[5]),
  second: Number(match[6]),
});

/** Reads `YYYY-MM-DDThh:mm:ss` strictly: a real calendar date, hours 00–23, no offset. */
export const parseWallClock = (
  text: string,
  field: string,
): Result.Result<WallClockTime, ValidationError> => {
  const match = wallClockPattern.exec(text);
  if (match === null)
    return Result.fail(ValidationError.single(field, wallClockForm, quoteGiven(text)));
  const wall = wallFromMatch(match);
  const problem = calendarProblem(wall);
  return problem === undefined
    ? Result.succeed(wall)
    : Result.fail(ValidationError.single(field, wallClockForm, `${quoteGiven(text)} (${problem})`));
};

/** The wall-clock time read as if it were UTC, in epoch ms. */
const wallAsUtc = (wall: WallClockTime): number =>
  daysFromCivil(wall.year, wall.month, wall.day) * msPerDay +
  ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1000;

/**
 * The instant a wall-clock time denotes in a zone, disambiguated like Temporal's
 * `"compatible"`: in a DST gap the time moves forward by the gap (`02:30` in a gap from 02:00
 * to 03:00 becomes `03:30` in the new offset); in a repeated hour the earlier instant wins.
 */
export const wallClockToInstant = (wall: WallClockTime, zone: ResolvedZone): Instant => {
  const local = wallAsUtc(wall);
  if (zone._tag === "Fixed") return local - zone.offsetMinutes * 60_000;
  const table = zoneOffsetTable(zone.name);
  const earliest = earliestInstant(table, local);
  if (earliest !== undefined) return earliest;
  // A gap: as Temporal, read the wall time with the offset in force before the gap, which moves
  // it forward by the gap's length (no zone changes its offset twice within a day).
  return local - table.segmentAt(local - msPerDay).offsetSeconds * 1000;
};

/**
 * The earliest instant whose local time in the zone is `local` (a wall time as UTC ms), or
 * undefined when that local time falls in a gap. No offset reaches a day, so every candidate
 * lies within a day of `local`: trying each offset in force in that window is exact, and as the
 * segments come in time order, so do their candidates: the first one found is the earliest.
 */
const earliestInstant = (table: ZoneOffsetTable, local: number): number | undefined => {
  for (let at = local - msPerDay; at <= local + msPerDay; ) {
    const segment = table.segmentAt(at);
    const candidate = local - segment.offsetSeconds * 1000;
    if (candidate >= segment.start && candidate < segment.end) return candidate;
    at = segment.end;
  }
  return undefined;
};

/**
 * Reads a request's date and time: a wall-clock `YYYY-MM-DDThh:mm:ss` is read in the zone
 * (see `wallClockToInstant`); a timestamp with `Z` or an offset `±HH:MM` (seconds may carry a
 * fraction, truncated to the millisecond) is taken as given, whatever the zone.
 */
export const parseInstantInZone = (
  text: string,
  field: string,
  zone: ResolvedZone,
): Result.Result<Instant, ValidationError> => {
  const wallMatch = wallClockPattern.exec(text);
  const match = wallMatch ?? timestampPattern.exec(text);
  if (match === null)
    return Result.fail(ValidationError.single(field, instantForms, quoteGiven(text)));
  const wall = wallFromMatch(match);
  const problem =
    calendarProblem(wall) ??
    (match[10] !== undefined && (Number(match[10]) > 23 || Number(match[11]) > 59)
      ? "an offset's hours run from 00 to 23 and its minutes from 00 to 59"
      : undefined);
  if (problem !== undefined) {
    return Result.fail(
      ValidationError.single(field, instantForms, `${quoteGiven(text)} (${problem})`),
    );
  }
  if (wallMatch !== null) return Result.succeed(wallClockToInstant(wall, zone));
  const fraction = match[7] === undefined ? 0 : Number(match[7].padEnd(3, "0").slice(0, 3));
  const offsetMinutes =
    match[8] === "Z"
      ? 0
      : (match[9] === "-" ? -1 : 1) * (Number(match[10]) * 60 + Number(match[11]));
  return Result.succeed(wallAsUtc(wall) + fraction - offsetMinutes * 60_000);
};
