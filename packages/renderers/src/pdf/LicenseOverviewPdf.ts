/**
 * The license overview as a PDF: a cover with the parameters, the totals across organizations
 * and one line per organization, then a section per organization (on a new page) with its
 * figures and its users. The zone is in every page's footer.
 *
 * Users arrive as a stream grouped by organization; the summaries are all known up front. A
 * section opens when the organization of the users changes; organizations that have no user
 * lines still get their section, in summary order.
 */
import {
  type LicenseOverviewContent,
  type LicenseUserLine,
  makeInstantFormatter,
  type OrganizationSummary,
} from "@tally/core";
import { PdfCanvas } from "./PdfCanvas.ts";
import { type PdfColumn, PdfTable } from "./PdfTable.ts";
import { drawFacts, drawHeading, drawNote, drawTitle } from "./ReportBlocks.ts";
import { count, decimals, intervalLabel, zoneLabel } from "./ReportLabels.ts";
import type { RowPdf } from "./RowPdf.ts";
import { timestampColumnWidth } from "./TenantReportPdf.ts";

const TITLE = "License overview";
const TABLE_SIZE = 8;
const USER_SIZE = 7.5;

const percent = (value: number | null): string =>
  value === null ? "–" : `${decimals(value, 1)} %`;

const organizationColumns = (canvas: PdfCanvas): ReadonlyArray<PdfColumn> => [
  { title: "Organization ID", weight: 1 },
  { title: "Organization", weight: 2 },
  { title: "Capacity", width: 52, align: "right" },
  { title: "Licensed at end", width: 56, align: "right" },
  { title: "New", width: 40, align: "right" },
  { title: "Revoked", width: 48, align: "right" },
  { title: "Exceeded", width: 50, align: "right" },
  { title: "Peak licensed", width: 52, align: "right" },
  { title: "Peak at", width: timestampColumnWidth(canvas, TABLE_SIZE) },
  { title: "Usage", width: 52, align: "right" },
];

const figureColumns = (canvas: PdfCanvas): ReadonlyArray<PdfColumn> => [
  { title: "Capacity", weight: 1, align: "right" },
  { title: "Licensed at end of interval", weight: 1, align: "right" },
  { title: "New users", weight: 1, align: "right" },
  { title: "Revoked users", weight: 1, align: "right" },
  { title: "Exceeded users", weight: 1, align: "right" },
  { title: "Peak licensed users", weight: 1, align: "right" },
  { title: "Peak at", width: timestampColumnWidth(canvas, TABLE_SIZE) },
  { title: "Usage", weight: 1, align: "right" },
];

const userColumns = (canvas: PdfCanvas): ReadonlyArray<PdfColumn> => [
  { title: "User ID", weight: 1 },
  { title: "User", weight: 2 },
  { title: "Status", width: 60 },
  { title: "Licensed since", width: timestampColumnWidth(canvas, USER_SIZE) },
  { title: "Revoked at", width: timestampColumnWidth(canvas, USER_SIZE) },
];

const organizationFilterLabel = (
  content: LicenseOverviewContent,
  summaries: ReadonlyArray<OrganizationSummary>,
): string => {
  const filter = content.request.organizations;
  switch (filter._tag) {
    case "AllOrganizations":
      return "All organizations";
    case "OneOrganization": {
      const name = summaries.find(
        (s) => s.organizationId === filter.organizationId,
      )?.organizationName;
      return name === undefined ? filter.organizationId : `${name} (${filter.organizationId})`;
    }
    case "OrganizationsOfTenant":
      return `Organizations of tenant ${filter.tenantId}`;
  }
};

/** Opens the PDF of a license overview and draws its cover. */
export const openLicenseOverviewPdf = (
  content: LicenseOverviewContent,
  summaries: ReadonlyArray<OrganizationSummary>,
): RowPdf<LicenseUserLine> => {
  const { request } = content;
  const instant = makeInstantFormatter(request.zone.resolved);
  const zone = zoneLabel(request.zone);
  const canvas = new PdfCanvas({
    title: TITLE,
    taskId: content.taskId,
    generatedAt: content.generatedAt,
    footer: `${TITLE} · Time zone: ${zone}`,
  });
  const peakAt = (s: OrganizationSummary) => (s.peakAt === null ? "–" : instant(s.peakAt));

  drawTitle(canvas, TITLE);
  drawFacts(canvas, [
    ["Interval", intervalLabel(request.interval.start, request.interval.end, instant)],
    ["Time zone", zone],
    ["Organizations", organizationFilterLabel(content, summaries)],
    ["Generated", instant(content.generatedAt)],
    ["Report task", content.taskId],
  ]);
  const total = (pick: (s: OrganizationSummary) => number) =>
    summaries.reduce((sum, s) => sum + pick(s), 0);
  const capacity = total((s) => s.capacity);
  const licensed = total((s) => s.licensedAtEnd);
  drawHeading(canvas, "Totals across organizations");
  drawFacts(canvas, [
    ["Organizations", count(summaries.length)],
    ["Capacity", count(capacity)],
    ["Licensed at end of interval", count(licensed)],
    ["New users", count(total((s) => s.newUsers))],
    ["Revoked users", count(total((s) => s.revokedUsers))],
    ["Exceeded users", count(total((s) => s.exceededUsers))],
    ["Usage", percent(capacity === 0 ? null : (licensed / capacity) * 100)],
  ]);
  drawHeading(canvas, "Organizations");
  if (summaries.length === 0) drawNote(canvas, "No organization matches the filter.");
  else {
    const table = new PdfTable(canvas, organizationColumns(canvas), {
      size: TABLE_SIZE,
      maxLines: 3,
    });
    table.begin();
    for (const s of summaries) {
      table.row([
        s.organizationId,
        s.organizationName,
        count(s.capacity),
        count(s.licensedAtEnd),
        count(s.newUsers),
        count(s.revokedUsers),
        count(s.exceededUsers),
        count(s.peakLicensed),
        peakAt(s),
        percent(s.usagePercent),
      ]);
    }
  }

  const indexOf = new Map(summaries.map((s, i) => [s.organizationId, i] as const));
  const drawn = summaries.map(() => false);
  let current: string | null = null;
  let users: PdfTable | null = null;
  let usersInSection = 0;

  const openSection = (id: string, name: string, summary: OrganizationSummary | undefined) => {
    canvas.newPage();
    drawHeading(canvas, `${name} (${id})`);
    if (summary !== undefined) {
      const figures = new PdfTable(canvas, figureColumns(canvas), {
        size: TABLE_SIZE,
        maxLines: 2,
      });
      figures.begin();
      figures.row([
        count(summary.capacity),
        count(summary.licensedAtEnd),
        count(summary.newUsers),
        count(summary.revokedUsers),
        count(summary.exceededUsers),
        count(summary.peakLicensed),
        peakAt(summary),
        percent(summary.usagePercent),
      ]);
    }
    drawHeading(canvas, "Users");
    current = id;
    usersInSection = 0;
    users = null;
  };
  const closeSection = () => {
    if (current !== null && usersInSection === 0) {
      drawNote(canvas, "No user held a license in the interval.");
    }
    current = null;
  };
  const drawSummariesBefore = (end: number) => {
    for (let i = 0; i < end; i++) {
      const s = summaries[i] as OrganizationSummary;
      if (drawn[i]) continue;
      drawn[i] = true;
      openSection(s.organizationId, s.organizationName, s);
      closeSection();
    }
  };
  const cells: Array<string> = ["", "", "", "", ""];

  return {
    add: (rows) => {
      for (const u of rows) {
        if (u.organizationId !== current) {
          closeSection();
          const index = indexOf.get(u.organizationId);
          if (index === undefined) openSection(u.organizationId, u.organizationName, undefined);
          else {
            drawSummariesBefore(index);
            drawn[index] = true;
            openSection(u.organizationId, u.organizationName, summaries[index]);
          }
        }
        if (users === null) {
          users = new PdfTable(canvas, userColumns(canvas), { size: USER_SIZE, maxLines: 1 });
          users.begin();
        }
        cells[0] = u.userId;
        cells[1] = u.userName;
        cells[2] = u.status;
        cells[3] = instant(u.licensedSince);
        cells[4] = u.revokedAt === null ? "" : instant(u.revokedAt);
        users.row(cells);
        usersInSection++;
      }
    },
    finish: () => {
      closeSection();
      drawSummariesBefore(summaries.length);
      canvas.finish();
    },
    take: () => canvas.take(),
  };
};
