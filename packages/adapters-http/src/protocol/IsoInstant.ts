/**
 * How the APIs write instants: ISO 8601 in UTC with milliseconds (`2024-03-31T00:59:59.000Z`),
 * the form every JSON and XML client parses.
 */

/** An epoch-millisecond instant as ISO 8601 UTC. */
export const isoInstant = (instant: number): string => new Date(instant).toISOString();

/** `isoInstant`, passing null through. */
export const isoInstantOrNull = (instant: number | null): string | null =>
  instant === null ? null : isoInstant(instant);
