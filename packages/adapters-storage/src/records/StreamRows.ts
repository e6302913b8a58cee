/**
 * The rows the report streams yield, built from the arrays of fields both backends hand out
 * — better-sqlite3's raw mode, and on PostgreSQL the COPY parser's one reused array, so the
 * fields are copied out here (one allocation per row: the domain object itself). Column order
 * is the select order of `overlappingPeriodsQuery` and `licenseEventsQuery`.
 */
import type { LicenseEventKind, LicenseEventRow, PeriodRow } from "@tally/core";

/** A raw row of `overlappingPeriodsQuery` as the port's PeriodRow. */
export const periodRowFromArray = (raw: ReadonlyArray<unknown>): PeriodRow => ({
  tenantId: raw[0] as string | null,
  tenantName: raw[1] as string | null,
  vmId: raw[2] as string,
  vmName: raw[3] as string,
  start: raw[4] as number,
  end: raw[5] as number | null,
});

/** A raw row of `licenseEventsQuery` as the port's LicenseEventRow. */
export const licenseEventRowFromArray = (raw: ReadonlyArray<unknown>): LicenseEventRow => ({
  organizationId: raw[0] as string,
  userId: raw[1] as string,
  userName: raw[2] as string,
  eventId: raw[3] as string,
  kind: raw[4] as LicenseEventKind,
  at: raw[5] as number,
});
