/**
 * The time axis of a chart: ticks at calendar boundaries in the report's zone — whole years,
 * months, days or hours, whichever gives a readable number of them — with short labels (`2024`,
 * `Jan 2024`, `Mar`, `Mar 4`, `07:00`), the date under an hour tick where the day changes.
 * Local midnights and month starts are found with the core's wall-clock reading, so a tick falls
 * on the local boundary also across a daylight-saving change.
 */
import {
  civilFromDays,
  type Instant,
  makeInstantFormatter,
  type ResolvedZone,
  wallClockToInstant,
} from "@tally/core";

/** A tick of the time axis: where, and its label (one or two lines). */
export interface TimeTick {
  readonly at: Instant;
  readonly label: string;
  readonly secondLine: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

type Unit =
  | { readonly kind: "minutes"; readonly n: number }
  | { readonly kind: "days"; readonly n: number }
  | { readonly kind: "months"; readonly n: number }
  | { readonly kind: "years"; readonly n: number };

/** Tick spacings, finest first, with their approximate length. */
const units: ReadonlyArray<readonly [Unit, number]> = [
  ...[1, 5, 15, 30, 60, 180, 360, 720].map(
    (n) => [{ kind: "minutes", n }, n * MINUTE] as [Unit, number],
  ),
  ...[1, 2, 7, 14].map((n) => [{ kind: "days", n }, n * DAY] as [Unit, number]),
  ...[1, 3, 6].map((n) => [{ kind: "months", n }, n * 30.4 * DAY] as [Unit, number]),
  ...[1, 2, 5, 10, 20, 50, 100].map(
    (n) => [{ kind: "years", n }, n * 365.2 * DAY] as [Unit, number],
  ),
];

/** A wall-clock time of the zone, as fields. */
interface Wall {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** The wall-clock time of an instant, read from the core's ISO 8601 text of it in the zone. */
const wallAt = (iso: (instant: Instant) => string, instant: Instant): Wall => {
  const [, year, month, day, hour, minute] = /^([+-]?\d+)-(\d\d)-(\d\d)T(\d\d):(\d\d)/.exec(
    iso(instant),
  ) as RegExpExecArray;
  return {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
  };
};

const fieldsOf = (ms: number): Wall => {
  const days = Math.floor(ms / DAY);
  const { year, month, day } = civilFromDays(days);
  const minuteOfDay = Math.floor((ms - days * DAY) / MINUTE);
  return { year, month, day, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 };
};

/** The instant of a wall-clock time in the zone (`minute` may exceed 59, `month` 12: they carry). */
const instantOf = (zone: ResolvedZone, wall: Wall): Instant => {
  const normalised = fieldsOf(
    Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute),
  );
  return wallClockToInstant({ ...normalised, second: 0 }, zone);
};

const dayLabel = (wall: Wall, withYear: boolean): string =>
  `${MONTHS[wall.month - 1]} ${wall.day}${withYear ? `, ${wall.year}` : ""}`;

/**
 * Ticks within `[start, end]` at the coarsest-but-readable calendar spacing: at most `maxTicks`
 * of them (and at least two, when the stretch allows).
 */
export const timeTicks = (
  zone: ResolvedZone,
  start: Instant,
  end: Instant,
  maxTicks: number,
): ReadonlyArray<TimeTick> => {
  const length = end - start;
  if (!(length > 0)) return [];
  const choice = units.find(([, approx]) => length / approx <= maxTicks);
  const unit: Unit = choice?.[0] ?? {
    kind: "years",
    n: Math.ceil(length / (365.2 * DAY) / maxTicks),
  };
  const iso = makeInstantFormatter(zone);
  const first = wallAt(iso, start);
  const spansYears = wallAt(iso, end - 1).year !== first.year;
  const ticks: Array<TimeTick> = [];
  let previous: Wall | undefined;
  const push = (wall: Wall) => {
    const at = instantOf(zone, wall);
    if (at < start || at > end) return;
    if (ticks.length > 0 && at <= (ticks[ticks.length - 1] as TimeTick).at) return;
    const shown = fieldsOf(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute));
    const newDay =
      previous === undefined ||
      previous.day !== shown.day ||
      previous.month !== shown.month ||
      previous.year !== shown.year;
    let label: string;
    let secondLine = "";
    switch (unit.kind) {
      case "minutes":
        label = `${String(shown.hour).padStart(2, "0")}:${String(shown.minute).padStart(2, "0")}`;
        if (newDay)
          secondLine = dayLabel(
            shown,
            spansYears && (previous === undefined || previous.year !== shown.year),
          );
        break;
      case "days":
        label = dayLabel(shown, false);
        if (previous === undefined || previous.year !== shown.year) secondLine = `${shown.year}`;
        break;
      case "months":
        label = MONTHS[shown.month - 1] as string;
        if (previous === undefined || previous.year !== shown.year) secondLine = `${shown.year}`;
        break;
      case "years":
        label = `${shown.year}`;
        break;
    }
    ticks.push({ at, label, secondLine });
    previous = shown;
  };
  const limit = maxTicks * 3 + 4;
  switch (unit.kind) {
    case "minutes": {
      const startMinute = first.hour * 60 + first.minute;
      let minute = Math.ceil(startMinute / unit.n) * unit.n;
      // Ticks count from the local midnight, so 6-hour ticks are 00:00, 06:00, 12:00, 18:00.
      for (let i = 0; i < limit; i++, minute += unit.n) {
        const wall = { ...first, hour: 0, minute };
        if (instantOf(zone, wall) > end) break;
        push(wall);
      }
      break;
    }
    case "days": {
      let day = first.hour === 0 && first.minute === 0 ? first.day : first.day + 1;
      for (let i = 0; i < limit; i++, day += unit.n) {
        const wall = { ...first, day, hour: 0, minute: 0 };
        if (instantOf(zone, wall) > end) break;
        push(wall);
      }
      break;
    }
    case "months": {
      let month =
        first.day === 1 && first.hour === 0 && first.minute === 0 ? first.month : first.month + 1;
      month = Math.ceil((month - 1) / unit.n) * unit.n + 1;
      for (let i = 0; i < limit; i++, month += unit.n) {
        const wall = { year: first.year, month, day: 1, hour: 0, minute: 0 };
        if (instantOf(zone, wall) > end) break;
        push(wall);
      }
      break;
    }
    case "years": {
      let year =
        first.month === 1 && first.day === 1 && first.hour === 0 && first.minute === 0
          ? first.year
          : first.year + 1;
      year = Math.ceil(year / unit.n) * unit.n;
      for (let i = 0; i < limit; i++, year += unit.n) {
        const wall = { year, month: 1, day: 1, hour: 0, minute: 0 };
        if (instantOf(zone, wall) > end) break;
        push(wall);
      }
      break;
    }
  }
  return ticks;
};
