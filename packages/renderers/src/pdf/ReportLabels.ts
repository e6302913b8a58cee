/**
 * How a PDF report words its parameters and figures: the zone, the interval, numbers. Numbers
 * are formatted without locale (the same bytes on every machine).
 */
import type { ZoneSelection } from "@tally/core";

/** The zone as asked and, for `Local`, the IANA zone it resolved to: `Local (Europe/Paris)`. */
export const zoneLabel = (zone: ZoneSelection): string =>
  zone.resolved._tag === "Iana" ? `${zone.spec} (${zone.resolved.name})` : zone.spec;

/** A half-open interval in the report's zone. */
export const intervalLabel = (
  start: number,
  end: number,
  instant: (ms: number) => string,
): string => `${instant(start)} – ${instant(end)} (start included, end excluded)`;

/** A figure with fixed decimals, `–` when it is not a finite number. */
export const decimals = (value: number, digits: number): string =>
  Number.isFinite(value) ? value.toFixed(digits) : "–";

/** An integer count. */
export const count = (value: number): string => `${value}`;
