/**
 * How the APIs write instants: ISO 8601 in UTC with milliseconds (`2024-03-31T00:59:59.000Z`),
 * the form every JSON and XML client parses.
 *
 * Every task a client polls carries up to seven instants, and V8's `Date.prototype.toISOString`
 * formats through a printf-style formatter (~1 µs a call, measured with `perf` on `tally
 * serve`): instants of years 0000–9999 are therefore written here from the civil date
 * (the core's `civilFromDays`), the very text `toISOString` gives, in a fifth of the
 * time; any other instant still goes through `toISOString` (extended years, and its
 * RangeError for an invalid one).
 */
import { civilFromDays } from "../domain/CivilDate.ts";

/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z, in epoch ms. */
const firstFourDigitYear = -62_167_219_200_000;
const lastFourDigitYear = 253_402_300_799_999;
const msPerDay = 86_400_000;

const twoDigits = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** An epoch-millisecond instant as ISO 8601 UTC. */
export const isoInstant = (instant: number): string => {
  if (
    !(instant >= firstFourDigitYear && instant <= lastFourDigitYear) ||
    !Number.isInteger(instant)
  ) {
    return new Date(instant).toISOString();
  }
  const days = Math.floor(instant / msPerDay);
  let ms = instant - days * msPerDay;
  const { year, month, day } = civilFromDays(days);
  const hours = Math.floor(ms / 3_600_000);
  ms -= hours * 3_600_000;
  const minutes = Math.floor(ms / 60_000);
  ms -= minutes * 60_000;
  const seconds = Math.floor(ms / 1000);
  ms -= seconds * 1000;
  const yyyy =
    year < 10 ? `000${year}` : year < 100 ? `00${year}` : year < 1000 ? `0${year}` : `${year}`;
  const sss = ms < 10 ? `00${ms}` : ms < 100 ? `0${ms}` : `${ms}`;
  return `${yyyy}-${twoDigits(month)}-${twoDigits(day)}T${twoDigits(hours)}:${twoDigits(minutes)}:${twoDigits(seconds)}.${sss}Z`;
};

/** `isoInstant`, passing null through. */
export const isoInstantOrNull = (instant: number | null): string | null =>
  instant === null ? null : isoInstant(instant);
