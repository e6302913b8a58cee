/**
 * Date-times in a PDF, written for people: `2024-03-04 07:00` (seconds only when there are some:
 * `2024-03-04 07:00:30`), in the report's zone. The zone is named once, in the parameters and
 * the footer, with the offset in force at the start of the interval; a time at another offset —
 * after a daylight-saving change of a `Local` zone — carries its offset, `2024-07-01 08:00
 * +02:00`, so the two readings of a repeated hour stay apart and durations can be checked. The
 * parameters also say where the offset changes within the interval.
 *
 * Built on the core's ISO 8601 formatter (the CSV's), so both formats agree to the second.
 */
import {
  type Instant,
  makeInstantFormatter,
  offsetAt,
  type ReportingInterval,
  type ResolvedZone,
} from "@tally/core";

/** How a report writes its instants for people. */
export interface ReportTimes {
  /** `2024-03-04 07:00`, with `:ss` when the seconds are not zero and the offset when it is not the report's. */
  readonly at: (instant: Instant) => string;
  /** The widest text `at` can give, for sizing columns. */
  readonly widest: string;
  /** The offset in force at the interval's start, `UTC+01:00` (`UTC` for zero). */
  readonly baseOffset: string;
  /** Where the offset changes within the interval, as `at` writes those instants, in order. */
  readonly offsetChanges: ReadonlyArray<{ readonly at: string; readonly offset: string }>;
}

const DAY = 86_400_000;

/** `+01:00` as a zone name: `UTC+01:00`, and `UTC` for zero. */
const offsetName = (suffix: string): string =>
  suffix === "+00:00" || suffix === "-00:00" ? "UTC" : `UTC${suffix}`;

/** Instants within `[start, end)` at which the zone's offset changes (at most `limit`). */
const changesWithin = (zone: ResolvedZone, start: number, end: number, limit: number) => {
  const changes: Array<number> = [];
  if (zone._tag === "Fixed") return changes;
  let before = start;
  let offset = offsetAt(zone, start);
  while (before < end && changes.length < limit) {
    const next = Math.min(end - 1, before + DAY);
    const nextOffset = offsetAt(zone, next);
    if (nextOffset !== offset) {
      // The first millisecond of (before, next] with the new offset.
      let low = before;
      let high = next;
      while (high - low > 1) {
        const mid = low + Math.floor((high - low) / 2);
        if (offsetAt(zone, mid) === offset) low = mid;
        else high = mid;
      }
      changes.push(high);
      offset = offsetAt(zone, high);
      before = high;
    } else {
      before = next === before ? end : next;
    }
  }
  return changes;
};

/** The people's writing of instants for a report in `zone` over `interval`. */
export const makeReportTimes = (zone: ResolvedZone, interval: ReportingInterval): ReportTimes => {
  const iso = makeInstantFormatter(zone);
  const base = iso(interval.start);
  const baseSuffix = base.slice(base.lastIndexOf("T") + 9);
  const at = (instant: Instant): string => {
    const text = iso(instant);
    const t = text.indexOf("T");
    const seconds = text.slice(t + 7, t + 9);
    const suffix = text.slice(t + 9);
    return (
      text.slice(0, t) +
      " " +
      text.slice(t + 1, t + 6) +
      (seconds === "00" ? "" : `:${seconds}`) +
      (suffix === baseSuffix ? "" : ` ${suffix}`)
    );
  };
  const changes = changesWithin(zone, interval.start, interval.end, 12);
  return {
    at,
    widest: `2000-00-00 00:00:00${changes.length > 0 ? " +00:00" : ""}`,
    baseOffset: offsetName(baseSuffix),
    offsetChanges: changes.map((instant) => {
      const text = iso(instant);
      return { at: at(instant), offset: offsetName(text.slice(text.lastIndexOf("T") + 9)) };
    }),
  };
};

/**
 * The zone in words for the parameters: `UTC+01:00`; for a zone whose offset changes within the
 * interval, `Local (Europe/Berlin): UTC+01:00; UTC+02:00 from 2024-03-31 03:00 +02:00; UTC+01:00
 * from 2024-10-27 02:00. Times not at UTC+01:00 carry their offset, e.g. +02:00.`
 */
export const zoneDescription = (label: string, times: ReportTimes): string => {
  if (times.offsetChanges.length === 0) {
    return label === times.baseOffset ? label : `${label}, ${times.baseOffset}`;
  }
  const shown = times.offsetChanges.slice(0, 6);
  const more = times.offsetChanges.length - shown.length;
  const other = times.offsetChanges.find((c) => c.offset !== times.baseOffset)?.offset ?? "";
  return (
    `${label}: ${times.baseOffset}; ` +
    shown.map((c) => `${c.offset} from ${c.at}`).join("; ") +
    (more > 0 ? `; and ${more >= 6 ? "more" : more} later changes` : "") +
    `. Times not at ${times.baseOffset} carry their offset, e.g. ${other.replace("UTC", "")}.`
  );
};
