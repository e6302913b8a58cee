/**
 * The tenant protection report as a PDF: the title and parameters (interval and generation time
 * in the report's zone, the zone and where its offset changes, the tenant filter); a chart of
 * the protected VMs over the interval (all VMs, and the largest tenants); the summary per tenant
 * with a totals row; then the protection periods grouped by tenant, each tenant's heading kept
 * with its first periods and repeated on the pages it continues on.
 *
 * The chart needs every period, but the periods stream after it: its place on page 1 is taken
 * when the page is drawn and its content — one figure per time bucket, accumulated while the
 * periods stream (`VmsOverTime`) — is written when the last period has been drawn (a form
 * XObject, `PdfCanvas.deferBox`). Memory stays bounded by the number of buckets, and pages still
 * leave as soon as they are full. The largest tenants are known before the first period: the
 * summaries are computed first.
 */
import {
  coveredEnd,
  type TenantReportContent,
  type TenantReportLine,
  type TenantSummary,
  timeBuckets,
} from "@tally/core";
import { PdfCanvas } from "./PdfCanvas.ts";
import { type ChartSeries, drawTimeChart, palette, type Rgb } from "./PdfChart.ts";
import { type PdfColumn, PdfTable } from "./PdfTable.ts";
import { drawFacts, drawHeading, drawNote, drawTitle } from "./ReportBlocks.ts";
import { count, figure, stepLabel, zoneLabel } from "./ReportLabels.ts";
import { makeReportTimes, type ReportTimes, zoneDescription } from "./ReportTimes.ts";
import type { RowPdf } from "./RowPdf.ts";
import { VmsOverTime } from "./VmsOverTime.ts";

const TITLE = "Tenant protection report";
const DETAIL_SIZE = 7;
const SUMMARY_SIZE = 8;
const HOUR_MS = 3_600_000;
const CHART_HEIGHT = 150;
/** Buckets of the chart: one a day for a year. */
const CHART_BUCKETS = 400;
/** Tenants drawn as lines of their own. */
const LARGEST_TENANTS = 4;
const ONGOING = " (ongoing)";
/** What stands for the tenant of VMs that belong to none, in the summary and the periods. */
const NO_TENANT = "VMs of no tenant";

/** The width a column of `times.at` texts (and `suffix`) needs at a type size. */
export const timeColumnWidth = (
  canvas: PdfCanvas,
  times: ReportTimes,
  size: number,
  suffix = "",
): number => (canvas.regular.measure(times.widest + suffix) * size) / 1000 + 8;

const summaryColumns = (canvas: PdfCanvas, times: ReportTimes): ReadonlyArray<PdfColumn> => [
  { title: "Tenant", weight: 2 },
  { title: "Tenant ID", weight: 1 },
  { title: "VMs", width: 44, align: "right" },
  { title: "VM-hours", width: 72, align: "right" },
  { title: "Peak concurrent VMs", width: 80, align: "right" },
  { title: "Peak at", width: timeColumnWidth(canvas, times, SUMMARY_SIZE), sized: true },
  { title: "Average concurrent VMs", width: 78, align: "right" },
];

const detailColumns = (canvas: PdfCanvas, times: ReportTimes): ReadonlyArray<PdfColumn> => [
  { title: "VM", weight: 2 },
  { title: "VM ID", weight: 1.3 },
  { title: "Protection start", width: timeColumnWidth(canvas, times, DETAIL_SIZE), sized: true },
  {
    title: "Protection end",
    width: timeColumnWidth(canvas, times, DETAIL_SIZE, ONGOING),
    sized: true,
  },
  { title: "Hours", width: 56, align: "right" },
];

const tenantFilterLabel = (content: TenantReportContent): string =>
  content.request.tenant._tag === "AllTenants"
    ? "All tenants (and VMs of no tenant)"
    : `${content.tenantName ?? ""} (${content.request.tenant.tenantId})`;

const groupHeading = (line: TenantReportLine): string =>
  line.tenantId === null ? NO_TENANT : `${line.tenantName ?? ""} (${line.tenantId})`;

/** The tenants with the most VM-hours, largest first (none when there is only one). */
const largestTenants = (summaries: ReadonlyArray<TenantSummary>): ReadonlyArray<TenantSummary> =>
  summaries.length < 2
    ? []
    : summaries
        .filter((s) => s.protectedMs > 0)
        .map((s, i) => [s, i] as const)
        .sort(([a, i], [b, j]) => b.protectedMs - a.protectedMs || i - j)
        .slice(0, LARGEST_TENANTS)
        .map(([s]) => s);

/**
 * The chart's stacked series: the largest tenants, largest at the bottom, then the other VMs —
 * so the top of the stack is every protected VM. A one-tenant report has one series.
 */
const chartSeries = (
  content: TenantReportContent,
  largest: ReadonlyArray<TenantSummary>,
  vms: VmsOverTime,
): ReadonlyArray<ChartSeries> => {
  const all = vms.averages(0);
  if (largest.length === 0) {
    return [
      { label: content.tenantName ?? "All VMs", color: palette.area, values: all, kind: "stack" },
    ];
  }
  const series = largest.map(
    (s, i): ChartSeries => ({
      label: s.tenantId === null ? NO_TENANT : (s.tenantName ?? ""),
      color: palette.stack[i % palette.stack.length] as Rgb,
      values: vms.averages(i + 1),
      kind: "stack",
    }),
  );
  // What the largest tenants leave of every VM (never below zero through rounding).
  const rest = all.map((total, b) =>
    Math.max(
      0,
      series.reduce((left, s) => left - (s.values[b] as number), total),
    ),
  );
  return rest.some((v) => v > 1e-9)
    ? [...series, { label: "Other tenants", color: palette.rest, values: rest, kind: "stack" }]
    : series;
};

/** Opens the PDF of a tenant report and draws everything before the first period. */
export const openTenantReportPdf = (
  content: TenantReportContent,
  summaries: ReadonlyArray<TenantSummary>,
): RowPdf<TenantReportLine> => {
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
  drawTitle(canvas, TITLE);
  drawFacts(canvas, [
    ["Interval", `${times.at(interval.start)} – ${times.at(interval.end)} (end excluded)`],
    ["Time zone", zoneDescription(zone, times)],
    ["Tenants", tenantFilterLabel(content)],
    ["Generated", times.at(content.generatedAt)],
    ["Report task", content.taskId],
  ]);

  const covered = coveredEnd(interval, content.generatedAt);
  const buckets = timeBuckets(interval.start, covered, CHART_BUCKETS);
  const largest = largestTenants(summaries);
  const seriesOf = new Map(largest.map((s, i) => [s.tenantId, i + 1] as const));
  const vms = new VmsOverTime(buckets, largest.length);
  let drawChart: ReturnType<PdfCanvas["deferBox"]> | null = null;
  if (buckets.count > 0) {
    drawHeading(
      canvas,
      `Protected VMs over time, average per ${stepLabel(buckets.size)}`,
      CHART_HEIGHT,
    );
    drawChart = canvas.deferBox(canvas.left, canvas.y, canvas.right - canvas.left, CHART_HEIGHT);
    canvas.y += CHART_HEIGHT;
    if (covered < interval.end) {
      drawNote(canvas, `Counted up to the report's generation time, ${times.at(covered)}.`);
    }
  }

  drawHeading(canvas, "Summary per tenant");
  if (summaries.length === 0) drawNote(canvas, "No VM was protected in the interval.");
  else {
    const table = new PdfTable(canvas, summaryColumns(canvas, times), {
      size: SUMMARY_SIZE,
      maxLines: 3,
    });
    table.begin();
    let vmCount = 0;
    let protectedMs = 0;
    let average = 0;
    for (const s of summaries) {
      vmCount += s.vmCount;
      protectedMs += s.protectedMs;
      average += s.averageConcurrent;
      table.row([
        s.tenantId === null ? NO_TENANT : (s.tenantName ?? ""),
        s.tenantId ?? "–",
        count(s.vmCount),
        figure(s.protectedMs / HOUR_MS, 2),
        count(s.peakConcurrent),
        s.peakAt === null ? "–" : times.at(s.peakAt),
        figure(s.averageConcurrent, 2),
      ]);
    }
    if (summaries.length > 1) {
      table.row(
        [
          `Total, ${count(summaries.length)} ${summaries.length === 1 ? "tenant" : "tenants"}`,
          "",
          count(vmCount),
          figure(protectedMs / HOUR_MS, 2),
          "",
          "",
          figure(average, 2),
        ],
        { bold: true },
      );
    }
  }

  drawHeading(canvas, "Protection periods");
  const detail = new PdfTable(canvas, detailColumns(canvas, times), {
    size: DETAIL_SIZE,
    maxLines: 4,
  });
  detail.begin(2, detail.groupHeight);
  let lines = 0;
  let tenantId: string | null | undefined;
  let series = 0;
  const cells: Array<string> = ["", "", "", "", ""];
  return {
    add: (rows) => {
      for (const line of rows) {
        if (lines === 0 || line.tenantId !== tenantId) {
          tenantId = line.tenantId;
          series = seriesOf.get(tenantId) ?? 0;
          detail.group(groupHeading(line));
        }
        vms.add(line.start, line.end, series);
        cells[0] = line.vmName;
        cells[1] = line.vmId;
        cells[2] = times.at(line.start);
        cells[3] = line.ongoing ? times.at(line.end) + ONGOING : times.at(line.end);
        cells[4] = figure((line.end - line.start) / HOUR_MS, 2);
        detail.row(cells);
        lines++;
      }
    },
    finish: () => {
      if (lines === 0) drawNote(canvas, "No protection periods in the interval.");
      drawChart?.((out) =>
        drawTimeChart(out, canvas, {
          width: canvas.right - canvas.left,
          height: CHART_HEIGHT,
          buckets,
          zone: request.zone.resolved,
          series: chartSeries(content, largest, vms),
          capacity: null,
          integers: false,
          unit: "VMs",
          emptyNote: "No VM was protected in the interval.",
        }),
      );
      canvas.finish();
    },
    take: () => canvas.take(),
  };
};
