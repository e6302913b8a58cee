/**
 * The rows the license event streams yield, built from the arrays of fields both backends hand
 * out — better-sqlite3's raw mode, and on PostgreSQL the COPY parser's one reused array, so the
 * fields are copied out here (one allocation per row: the domain object itself). Column order
 * is the select order of `licenseEventsQuery`. (The period streams build their rows as they
 * merge the periods with their VMs: `SqlitePeriodStream`, `PostgresPeriodStream`.)
 */
import type { LicenseEventKind, LicenseEventRow } from "@tally/core";

/** A raw row of `licenseEventsQuery` as the port's LicenseEventRow. */
export const licenseEventRowFromArray = (raw: ReadonlyArray<unknown>): LicenseEventRow => ({
  organizationId: raw[0] as string,
  userId: raw[1] as string,
  userName: raw[2] as string,
  eventId: raw[3] as string,
  kind: raw[4] as LicenseEventKind,
  at: raw[5] as number,
});
