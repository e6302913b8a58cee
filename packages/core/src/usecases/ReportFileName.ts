/**
 * The one rule for the file name a report is offered under (`Content-Disposition`, and the file
 * `tally report` writes unless told otherwise), for every kind, variant and format alike, e.g.
 * `tenant-protection-acme-20240101-20240131.csv`, `license-overview-all-20240101-20241231.pdf`:
 * what it is, whom it covers, and its first and last day in the report's zone. The last day is
 * inclusive — the day of the interval's last millisecond — so a report of 2024 ends in
 * `-20241231`, never in the exclusive end `-20250101`. Ids come from callers, so they are reduced
 * to characters that are safe in a file name and an HTTP header on every system.
 */
import { makeInstantFormatter } from "../domain/InstantFormatter.ts";
import type { ReportRequest } from "../domain/ReportRequest.ts";

/** The longest id kept in a file name, in characters. */
const maxIdLength = 64;

/** `<kind>[-summary]-<whom>-<yyyymmdd>-<yyyymmdd>.<extension>` for a request. */
export const reportFileName = (request: ReportRequest, extension: string): string => {
  const format = makeInstantFormatter(request.zone.resolved);
  const day = (instant: number) => format(instant).split("T")[0]?.replaceAll("-", "") ?? "";
  const { start, end } = request.interval;
  // The interval is half-open: its last day is the day of its last millisecond.
  const days = `${day(start)}-${day(Math.max(start, end - 1))}`;
  const summary = request.variant === "summary" ? "-summary" : "";
  if (request._tag === "TenantReport") {
    const whom = request.tenant._tag === "OneTenant" ? safeId(request.tenant.tenantId) : "all";
    return `tenant-protection${summary}-${whom}-${days}.${extension}`;
  }
  const organizations = request.organizations;
  const whom =
    organizations._tag === "OneOrganization"
      ? safeId(organizations.organizationId)
      : organizations._tag === "OrganizationsOfTenant"
        ? `tenant-${safeId(organizations.tenantId)}`
        : "all";
  return `license-overview${summary}-${whom}-${days}.${extension}`;
};

/** Letters, digits, `.`, `_` and `-` kept; anything else becomes `_`; at most 64 characters. */
const safeId = (id: string): string => {
  const safe = id.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, maxIdLength);
  return /^[._]*$/.test(safe) ? `id_${safe}` : safe;
};
