/**
 * Writing instants as ISO 8601 in a zone, with seconds and the offset in force at that instant:
 * `2024-03-31T01:59:59+01:00`, `2024-03-31T03:00:00+02:00`. A zero offset is written `+00:00`
 * (not `Z`), so every timestamp of a report has the same shape, as the vendor's CSV has.
 * Milliseconds are dropped toward the earlier second (floor, also before 1970). Years outside
 * 0000–9999 use ISO's expanded form (`+010000`, `-000001`), as luxon writes them.
 *
 * A report formats millions of timestamps, so this is arithmetic only: a fixed offset is added,
 * an IANA zone's offset comes from a cached segment (see `ZoneOffsetTable`), the date part from
 * a memo by day, and the time of day from precomputed texts.
 */

import { civilFromDays } from "./CivilDate.ts";
import type { Instant } from "./Instant.ts";
import type { ResolvedZone } from "./TimeZoneSpec.ts";
import { formatOffsetSeconds, zoneOffsetTable } from "./ZoneOffsetTable.ts";

const twoDigits: ReadonlyArray<string> = Array.from({ length: 100 }, (_, i) =>
  i < 10 ? `0${i}` : `${i}`,
);

/** `hh:mm:` of each minute of the day, built once (1440 short strings). */
const minuteTexts: ReadonlyArray<string> = Array.from(
  { length: 1440 },
  (_, minute) => `${twoDigits[Math.floor(minute / 60)]}:${twoDigits[minute % 60]}:`,
);

/** An offset in minutes as ISO 8601 `±HH:MM`, e.g. `+05:45`, `-03:30`, `+00:00`. */
export const formatOffset = (minutes: number): string =>
  formatOffsetSeconds(Math.round(minutes * 60));

/** Whole seconds since the epoch, rounding down (also for instants before 1970). */
const epochSecond = (instant: number): number => {
  const remainder = instant % 1000;
  return (instant - remainder) / 1000 - (remainder < 0 ? 1 : 0);
};

/** Runs only when the memo of dates (`datePrefixOf`) misses, so it needs no fast path. */
const formatYear = (year: number): string => {
  if (year >= 0 && year <= 9999) return `${year}`.padStart(4, "0");
  return year < 0 ? `-${`${-year}`.padStart(6, "0")}` : `+${`${year}`.padStart(6, "0")}`;
};

/** `YYYY-MM-DDT` of a day counted from 1970-01-01. */
const formatDatePrefix = (days: number): string => {
  const { year, month, day } = civilFromDays(days);
  return `${formatYear(year)}-${twoDigits[month]}-${twoDigits[day]}T`;
};

/**
 * `YYYY-MM-DDT` by day number, through a direct-mapped memo shared by all formatters (a date's
 * text does not depend on the zone): 8192 slots hold any 22 consecutive years, so a report's
 * rows, in whatever order, rarely rebuild a date.
 */
const dateSlots = 8192;
const cachedDays = new Float64Array(dateSlots).fill(Number.NaN);
const cachedDatePrefixes: Array<string> = new Array<string>(dateSlots).fill("");

const datePrefixOf = (day: number): string => {
  const slot = day & (dateSlots - 1);
  if (cachedDays[slot] === day) return cachedDatePrefixes[slot] as string;
  const prefix = formatDatePrefix(day);
  cachedDays[slot] = day;
  cachedDatePrefixes[slot] = prefix;
  return prefix;
};

/** `YYYY-MM-DDThh:mm:ss` of a local time in whole seconds since 1970-01-01T00:00:00. */
const formatLocalSeconds = (local: number): string => {
  const day = Math.floor(local / 86_400);
  const secondOfDay = local - day * 86_400;
  const minuteOfDay = Math.floor(secondOfDay / 60);
  return (
    datePrefixOf(day) +
    (minuteTexts[minuteOfDay] as string) +
    (twoDigits[secondOfDay - minuteOfDay * 60] as string)
  );
};

/**
 * A formatter for one zone. It keeps the last offset segment it used, so keep one formatter per
 * report rather than one per row.
 */
export const makeInstantFormatter = (zone: ResolvedZone): ((instant: Instant) => string) =>
  zone._tag === "Fixed" ? fixedFormatter(zone.offsetMinutes * 60) : ianaFormatter(zone.name);

const fixedFormatter = (offsetSeconds: number): ((instant: Instant) => string) => {
  const suffix = formatOffsetSeconds(offsetSeconds);
  return (instant) => formatLocalSeconds(epochSecond(instant) + offsetSeconds) + suffix;
};

const ianaFormatter = (name: string): ((instant: Instant) => string) => {
  const table = zoneOffsetTable(name);
  let segmentStart = 0;
  let segmentEnd = 0;
  let offsetSeconds = 0;
  let suffix = "";
  return (instant) => {
    if (!(instant >= segmentStart && instant < segmentEnd)) {
      const segment = table.segmentAt(instant);
      segmentStart = segment.start;
      segmentEnd = segment.end;
      offsetSeconds = segment.offsetSeconds;
      suffix = segment.suffix;
    }
    return formatLocalSeconds(epochSecond(instant) + offsetSeconds) + suffix;
  };
};

const utcFormatter = fixedFormatter(0);

/** An instant as ISO 8601 in UTC with seconds, e.g. `2024-03-31T00:59:59+00:00`. */
export const formatInstantUtcIso = (instant: Instant): string => utcFormatter(instant);

/**
 * An instant as error messages quote it: `formatInstantUtcIso`, with the milliseconds when
 * there are any, so that two instants a message compares never read alike.
 */
export const describeInstant = (instant: Instant): string => {
  const text = formatInstantUtcIso(instant);
  const ms = ((instant % 1000) + 1000) % 1000;
  return ms === 0 ? text : `${text.slice(0, -6)}.${String(ms).padStart(3, "0")}${text.slice(-6)}`;
};
