/**
 * Hand-unrolled line writers for the CSV reports that run to millions of lines (the tenant
 * report's detail, both column sets, and the license overview's users): the same cells as the
 * column lists in `CsvColumns`, written without a loop or a call per column. The tests check
 * them against fast-csv fed from the column lists, so the two cannot drift apart.
 */
import type { CsvSeparator, LicenseUserLine, TenantReportLine } from "@tally/core";
import type { InstantText } from "./CsvColumns.ts";
import { CSV_LINE_END, makeTextFieldWriter } from "./CsvDialect.ts";

/** Makes a line writer for a separator and a zone's instant formatter. */
export type CsvLineWriterFactory<A> = (
  separator: CsvSeparator,
  instant: InstantText,
) => (row: A) => string;

/** The vendor's six columns (`vendorTenantColumns`). */
export const vendorTenantLine: CsvLineWriterFactory<TenantReportLine> = (sep, instant) => {
  const text = makeTextFieldWriter(sep);
  return (l) =>
    text(l.tenantId ?? "") +
    sep +
    text(l.tenantName ?? "") +
    sep +
    text(l.vmId) +
    sep +
    text(l.vmName) +
    sep +
    instant(l.start) +
    sep +
    instant(l.end) +
    CSV_LINE_END;
};

/** The vendor's columns plus `protectedSeconds` and `ongoing` (`extendedTenantColumns`). */
export const extendedTenantLine: CsvLineWriterFactory<TenantReportLine> = (sep, instant) => {
  const text = makeTextFieldWriter(sep);
  return (l) =>
    text(l.tenantId ?? "") +
    sep +
    text(l.tenantName ?? "") +
    sep +
    text(l.vmId) +
    sep +
    text(l.vmName) +
    sep +
    instant(l.start) +
    sep +
    instant(l.end) +
    sep +
    (l.end - l.start) / 1000 +
    sep +
    (l.ongoing ? "true" : "false") +
    CSV_LINE_END;
};

/** The license overview's per-user list (`licenseUserColumns`). */
export const licenseUserLine: CsvLineWriterFactory<LicenseUserLine> = (sep, instant) => {
  const text = makeTextFieldWriter(sep);
  return (u) =>
    text(u.organizationId) +
    sep +
    text(u.organizationName) +
    sep +
    text(u.userId) +
    sep +
    text(u.userName) +
    sep +
    u.status +
    sep +
    instant(u.licensedSince) +
    sep +
    (u.revokedAt === null ? "" : instant(u.revokedAt)) +
    CSV_LINE_END;
};
