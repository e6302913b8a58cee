/**
 * The CSV renderer: the vendor's tenant report and Tally's native variants (extended columns,
 * `,` separator, one line per tenant), and the license overview's per-user list and
 * per-organization summary. Timestamps are ISO 8601 in the request's zone. See `CsvDialect` for
 * quoting, the formula guard and line ends, and `CsvEncoding` for streaming.
 */

import { makeInstantFormatter, type ReportRenderer } from "@tally/core";
import { Stream } from "effect";
import {
  extendedTenantColumns,
  extendedTenantSummaryColumns,
  licenseUserColumns,
  organizationSummaryColumns,
  tenantSummaryColumns,
  vendorTenantColumns,
} from "./CsvColumns.ts";
import { encodeCsv } from "./CsvEncoding.ts";
import { extendedTenantLine, licenseUserLine, vendorTenantLine } from "./CsvLines.ts";

/** Renders reports as UTF-8 CSV (no BOM, CRLF line ends, a header line). */
export const CsvRenderer: ReportRenderer = {
  format: "csv",
  contentType: "text/csv; charset=utf-8",
  fileExtension: "csv",
  renderTenantReport: (content) => {
    const { request } = content;
    const makeInstantText = () => makeInstantFormatter(request.zone.resolved);
    const extended = request.columns === "extended";
    return request.variant === "summary"
      ? Stream.fromArrayEffect(content.summaries).pipe(
          encodeCsv({
            columns: extended ? extendedTenantSummaryColumns : tenantSummaryColumns,
            separator: request.separator,
            makeInstantText,
          }),
        )
      : content.lines.pipe(
          encodeCsv({
            columns: extended ? extendedTenantColumns : vendorTenantColumns,
            line: extended ? extendedTenantLine : vendorTenantLine,
            separator: request.separator,
            makeInstantText,
          }),
        );
  },
  renderLicenseOverview: (content) => {
    const { request } = content;
    const makeInstantText = () => makeInstantFormatter(request.zone.resolved);
    return request.variant === "summary"
      ? Stream.fromArrayEffect(content.summaries).pipe(
          encodeCsv({
            columns: organizationSummaryColumns,
            separator: request.separator,
            makeInstantText,
          }),
        )
      : content.users.pipe(
          encodeCsv({
            columns: licenseUserColumns,
            line: licenseUserLine,
            separator: request.separator,
            makeInstantText,
          }),
        );
  },
};
