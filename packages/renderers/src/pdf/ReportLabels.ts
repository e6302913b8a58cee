/**
 * How a PDF report writes figures for people: thousands separated by commas (`24,819.50`), a
 * fixed number of decimals — but never a non-zero value written as zero: a figure too small for
 * its decimals keeps two significant digits (`0.00028`) —, percentages, durations, and the zone
 * as asked. Written by hand rather than through `Intl`, so the bytes are the same on every machine.
 */
import type { ZoneSelection } from "@tally/core";

/** The zone as asked and, for `Local`, the IANA zone it resolved to: `Local (Europe/Paris)`. */
export const zoneLabel = (zone: ZoneSelection): string =>
  zone.resolved._tag === "Iana" ? `${zone.spec} (${zone.resolved.name})` : zone.spec;

/** Digits of a whole number in groups of three: `1234567` → `1,234,567`. */
const grouped = (digits: string): string => {
  if (digits.length <= 3) return digits;
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let at = out.length; at < digits.length; at += 3) out += `,${digits.slice(at, at + 3)}`;
  return out;
};

/**
 * A figure with `digits` decimals and thousands separators (`24,819.50`); a non-zero figure that
 * would round to zero keeps two significant digits instead (`0.00028`, `-0.0031`); `–` when it
 * is not a finite number.
 */
export const figure = (value: number, digits: number): string => {
  if (!Number.isFinite(value)) return "–";
  const magnitude = Math.abs(value);
  let text = magnitude.toFixed(digits);
  if (value !== 0 && magnitude < 10 ** -digits && Number(text) === 0) {
    const order = Math.floor(Math.log10(magnitude));
    text = magnitude.toFixed(Math.min(20, 1 - order)).replace(/0+$/, "");
  }
  const sign = value < 0 ? "-" : "";
  const point = text.indexOf(".");
  const whole = point === -1 ? text.length : point;
  if (whole <= 3) return sign + text;
  return point === -1
    ? sign + grouped(text)
    : sign + grouped(text.slice(0, point)) + text.slice(point);
};

/** A count with thousands separators: `1,234`. */
export const count = (value: number): string => figure(value, 0);

/** A percentage with one decimal (`133.3 %`); `–` when there is none (no capacity). */
export const percent = (value: number | null): string =>
  value === null ? "–" : `${figure(value, 1)} %`;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration for people, to the minute at most two units (`152 days 9 h`, `5 h 30 min`,
 * `45 min`); under a minute in seconds (`40 s`, `0.5 s`); `none` for zero.
 */
export const duration = (ms: number): string => {
  if (ms <= 0) return "none";
  if (ms < MINUTE) return `${figure(ms / 1000, ms < 10_000 ? 1 : 0)} s`;
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  if (days > 0) {
    const dayText = `${count(days)} ${days === 1 ? "day" : "days"}`;
    return hours > 0 ? `${dayText} ${hours} h` : dayText;
  }
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
};

/** The length of a time bucket in words, for a chart's caption: `day`, `2 hours`, `15 minutes`. */
export const stepLabel = (ms: number): string => {
  const units: ReadonlyArray<readonly [number, string]> = [
    [DAY, "day"],
    [HOUR, "hour"],
    [MINUTE, "minute"],
    [1000, "second"],
    [1, "millisecond"],
  ];
  for (const [size, name] of units) {
    if (ms % size === 0) {
      const n = ms / size;
      return n === 1 ? name : `${count(n)} ${name}s`;
    }
  }
  return `${ms} milliseconds`;
};
