/**
 * The license overview as a PDF: the parameters; the organizations in one table with a totals
 * row and what its words mean; then a section per organization — its figures beside a chart of
 * licensed users over the interval against its capacity, then its users — flowing one after the
 * other, each section's heading kept on one page with its figures, chart and first users. The
 * zone is in every page's footer.
 *
 * Users arrive as a stream grouped by organization; the summaries, with the charts' figures
 * (`licensedOverTime`, one per time bucket), are all known up front. A section opens when the
 * organization of the users changes; organizations that have no user lines still get theirs, in
 * summary order.
 */
import type { LicenseOverviewContent, LicenseUserLine, OrganizationSummary } from "@tally/core";
import { PdfCanvas } from "./PdfCanvas.ts";
import { drawTimeChart, palette, type Rgb } from "./PdfChart.ts";
import { type PdfColumn, PdfTable } from "./PdfTable.ts";
import { drawFacts, drawHeading, drawNote, drawParagraph, drawTitle } from "./ReportBlocks.ts";
import { count, duration, percent, zoneLabel } from "./ReportLabels.ts";
import { makeReportTimes, type ReportTimes, zoneDescription } from "./ReportTimes.ts";
import type { RowPdf } from "./RowPdf.ts";
import { timeColumnWidth } from "./TenantReportPdf.ts";

const TITLE = "License overview";
const TABLE_SIZE = 7.5;
const USER_SIZE = 7.5;
const FIGURE_SIZE = 8;
const FIGURES_WIDTH = 250;
const CHART_HEIGHT = 112;
const GAP = 10;
const red = palette.beyond;

const legend =
  "Status of a licence, at the end of the interval: Licensed — held since before the interval; " +
  "New — assigned within the interval; Exceeded — held beyond the capacity (when more users hold " +
  "a licence than the capacity allows, the latest licences are beyond it); Revoked — revoked " +
  "within the interval. New users: users assigned a licence within the interval. Usage: " +
  "licensed users ÷ capacity, at the end of the interval and at the peak. Over capacity: how " +
  "long within the interval more users held a licence than the capacity allows.";

/** A count and its share of the capacity: `4 (133.3 %)`; `1 (no capacity)` when there is none. */
const withShare = (value: number, share: number | null): string =>
  `${count(value)} (${share === null ? "no capacity" : percent(share)})`;

const organizationColumns = (canvas: PdfCanvas, times: ReportTimes): ReadonlyArray<PdfColumn> => [
  { title: "Organization", weight: 2 },
  { title: "Organization ID", weight: 1.2 },
  { title: "Capacity", width: 42, align: "right" },
  { title: "Licensed at end", width: 48, align: "right" },
  { title: "Usage at end", width: 46, align: "right" },
  { title: "Peak licensed", width: 44, align: "right" },
  { title: "Peak usage", width: 46, align: "right" },
  { title: "Peak at", width: timeColumnWidth(canvas, times, TABLE_SIZE), sized: true },
  { title: "Over capacity", width: 66, align: "right" },
  { title: "New users", width: 38, align: "right" },
  { title: "Revoked users", width: 44, align: "right" },
  { title: "Exceeded at end", width: 50, align: "right" },
];

const userColumns = (
  canvas: PdfCanvas,
  times: ReportTimes,
  withRevoked: boolean,
): ReadonlyArray<PdfColumn> => [
  { title: "User", weight: 2 },
  { title: "User ID", weight: 1.4 },
  { title: "Status", width: 52 },
  { title: "Licensed since", width: timeColumnWidth(canvas, times, USER_SIZE), sized: true },
  ...(withRevoked
    ? [{ title: "Revoked at", width: timeColumnWidth(canvas, times, USER_SIZE), sized: true }]
    : []),
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

/** Opens the PDF of a license overview and draws its first page's parameters and table. */
export const openLicenseOverviewPdf = (
  content: LicenseOverviewContent,
  summaries: ReadonlyArray<OrganizationSummary>,
): RowPdf<LicenseUserLine> => {
  const { request } = content;
  const { interval } = request;
  const times = makeReportTimes(request.zone.resolved, interval);
  const zone = zoneLabel(request.zone);
  const canvas = new PdfCanvas({
    title: TITLE,
    taskId: content.taskId,
    generatedAt: content.generatedAt,
    footer: `${TITLE} · Time zone: ${zone}`,
  });
  const peakAt = (s: OrganizationSummary) => (s.peakAt === null ? "–" : times.at(s.peakAt));

  drawTitle(canvas, TITLE);
  drawFacts(canvas, [
    ["Interval", `${times.at(interval.start)} – ${times.at(interval.end)} (end excluded)`],
    ["Time zone", zoneDescription(zone, times)],
    ["Organizations", organizationFilterLabel(content, summaries)],
    ["Generated", times.at(content.generatedAt)],
    ["Report task", content.taskId],
  ]);

  drawHeading(canvas, "Organizations");
  if (summaries.length === 0) drawNote(canvas, "No organization matches the filter.");
  else {
    const table = new PdfTable(canvas, organizationColumns(canvas, times), {
      size: TABLE_SIZE,
      maxLines: 3,
    });
    table.begin();
    for (const s of summaries) {
      const over = (value: number | null) => (value !== null && value > 100 ? red : undefined);
      const colors = [
        ...[undefined, undefined, undefined, undefined],
        over(s.usagePercent),
        undefined,
        over(s.peakUsagePercent),
        undefined,
        s.overCapacityMs > 0 ? red : undefined,
        ...[undefined, undefined],
        s.exceededUsers > 0 ? red : undefined,
      ];
      table.row(
        [
          s.organizationName,
          s.organizationId,
          count(s.capacity),
          count(s.licensedAtEnd),
          percent(s.usagePercent),
          count(s.peakLicensed),
          percent(s.peakUsagePercent),
          peakAt(s),
          duration(s.overCapacityMs),
          count(s.newUsers),
          count(s.revokedUsers),
          count(s.exceededUsers),
        ],
        { colors },
      );
    }
    const total = (pick: (s: OrganizationSummary) => number) =>
      summaries.reduce((sum, s) => sum + pick(s), 0);
    const capacity = total((s) => s.capacity);
    const licensed = total((s) => s.licensedAtEnd);
    if (summaries.length > 1) {
      table.row(
        [
          `Total, ${count(summaries.length)} ${summaries.length === 1 ? "organization" : "organizations"}`,
          "",
          count(capacity),
          count(licensed),
          percent(capacity === 0 ? null : Math.round((licensed * 10_000) / capacity) / 100),
          "",
          "",
          "",
          "",
          count(total((s) => s.newUsers)),
          count(total((s) => s.revokedUsers)),
          count(total((s) => s.exceededUsers)),
        ],
        { bold: true },
      );
    }
  }
  drawParagraph(canvas, legend);

  const indexOf = new Map(summaries.map((s, i) => [s.organizationId, i] as const));
  const drawn = summaries.map(() => false);
  let current: string | null = null;
  let users: PdfTable | null = null;
  let usersInSection = 0;
  let withRevoked = true;
  let heading = "";

  /** The figures of an organization, left, and its chart, right, side by side. */
  const drawFiguresAndChart = (summary: OrganizationSummary) => {
    const top = canvas.y;
    drawFacts(
      canvas,
      [
        ["Capacity", count(summary.capacity)],
        ["Licensed at end", withShare(summary.licensedAtEnd, summary.usagePercent)],
        [
          "Peak",
          summary.peakAt === null
            ? "none"
            : `${withShare(summary.peakLicensed, summary.peakUsagePercent)} at ${times.at(summary.peakAt)}`,
        ],
        ["Over capacity", duration(summary.overCapacityMs)],
        ["New users", count(summary.newUsers)],
        ["Revoked users", count(summary.revokedUsers)],
        ["Exceeded at end", count(summary.exceededUsers)],
      ],
      {
        right: canvas.left + FIGURES_WIDTH - GAP,
        labelWidth: 92,
        size: FIGURE_SIZE,
      },
    );
    const factsBottom = canvas.y;
    const timeline = summary.licensedOverTime;
    if (timeline.buckets.count > 0) {
      const left = canvas.left + FIGURES_WIDTH;
      const width = canvas.right - left;
      canvas.drawBox(left, top, CHART_HEIGHT, (out) =>
        drawTimeChart(out, canvas, {
          width,
          height: CHART_HEIGHT,
          buckets: timeline.buckets,
          zone: request.zone.resolved,
          series: [
            {
              label: "Licensed users",
              color: palette.area,
              values: timeline.mostLicensed,
              kind: "area",
            },
          ],
          capacity: summary.capacity,
          integers: true,
          unit: "users",
          emptyNote: "No user held a licence in the interval.",
        }),
      );
    }
    canvas.y = Math.max(factsBottom, top + CHART_HEIGHT) + GAP / 2;
  };

  const openSection = (id: string, name: string, summary: OrganizationSummary | undefined) => {
    heading = `${name} (${id})`;
    const block = summary === undefined ? 0 : CHART_HEIGHT + GAP;
    // The heading stays with the figures, the chart, and the users table's header and first rows.
    drawHeading(canvas, heading, block + 40);
    if (summary !== undefined) drawFiguresAndChart(summary);
    current = id;
    usersInSection = 0;
    users = null;
    withRevoked = summary === undefined || summary.revokedUsers > 0;
  };
  const closeSection = () => {
    if (current !== null && usersInSection === 0) {
      drawNote(canvas, "No user held a licence in the interval.");
    }
    if (current !== null) canvas.y += GAP / 2;
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
  const statusColors: Array<Rgb | undefined> = [undefined, undefined, undefined];

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
          users = new PdfTable(canvas, userColumns(canvas, times, withRevoked), {
            size: USER_SIZE,
            maxLines: 4,
          });
          users.begin(2);
          users.continues(heading);
          cells.length = withRevoked ? 5 : 4;
        }
        cells[0] = u.userName;
        cells[1] = u.userId;
        cells[2] = u.status;
        cells[3] = times.at(u.licensedSince);
        if (withRevoked) cells[4] = u.revokedAt === null ? "" : times.at(u.revokedAt);
        statusColors[2] =
          u.status === "Exceeded" ? red : u.status === "Revoked" ? palette.muted : undefined;
        users.row(cells, { colors: statusColors });
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
