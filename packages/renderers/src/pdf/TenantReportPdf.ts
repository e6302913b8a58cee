/**
 * The tenant protection report as a PDF: the title and parameters (interval and generation time
 * in the report's zone, the zone, the tenant filter), the summary per tenant with a totals row,
 * then one line per protection period, the table header repeated on every page.
 */
import {
  makeInstantFormatter,
  type TenantReportContent,
  type TenantReportLine,
  type TenantSummary,
} from "@tally/core";
import { PdfCanvas } from "./PdfCanvas.ts";
import { type PdfColumn, PdfTable } from "./PdfTable.ts";
import { drawFacts, drawHeading, drawNote, drawTitle } from "./ReportBlocks.ts";
import { count, decimals, intervalLabel, zoneLabel } from "./ReportLabels.ts";
import type { RowPdf } from "./RowPdf.ts";

const TITLE = "Tenant protection report";
const DETAIL_SIZE = 7;
const SUMMARY_SIZE = 8;
const HOUR_MS = 3_600_000;

/** The width a timestamp column needs at a type size (all digits of DejaVu are equally wide). */
export const timestampColumnWidth = (canvas: PdfCanvas, size: number): number =>
  (canvas.regular.measure("2000-00-00T00:00:00+00:00") * size) / 1000 + 10;

const summaryColumns = (canvas: PdfCanvas): ReadonlyArray<PdfColumn> => [
  { title: "Tenant ID", weight: 1 },
  { title: "Tenant", weight: 2 },
  { title: "VMs", width: 48, align: "right" },
  { title: "VM-hours", width: 72, align: "right" },
  { title: "Peak concurrent VMs", width: 84, align: "right" },
  { title: "Peak at", width: timestampColumnWidth(canvas, SUMMARY_SIZE) },
  { title: "Average concurrent VMs", width: 84, align: "right" },
];

const detailColumns = (canvas: PdfCanvas): ReadonlyArray<PdfColumn> => [
  { title: "Tenant ID", weight: 1 },
  { title: "Tenant", weight: 1.4 },
  { title: "VM ID", weight: 1 },
  { title: "VM", weight: 1.4 },
  { title: "Protection start", width: timestampColumnWidth(canvas, DETAIL_SIZE) },
  { title: "Protection end", width: timestampColumnWidth(canvas, DETAIL_SIZE) },
  { title: "Hours", width: 52, align: "right" },
  { title: "Ongoing", width: 40 },
];

const tenantFilterLabel = (content: TenantReportContent): string =>
  content.request.tenant._tag === "AllTenants"
    ? "All tenants (and VMs of no tenant)"
    : `${content.tenantName ?? ""} (${content.request.tenant.tenantId})`;

/** Opens the PDF of a tenant report and draws everything before the first period. */
export const openTenantReportPdf = (
  content: TenantReportContent,
  summaries: ReadonlyArray<TenantSummary>,
): RowPdf<TenantReportLine> => {
  const { request } = content;
  const instant = makeInstantFormatter(request.zone.resolved);
  const zone = zoneLabel(request.zone);
  const canvas = new PdfCanvas({
    title: TITLE,
    taskId: content.taskId,
    generatedAt: content.generatedAt,
    footer: `${TITLE} · Time zone: ${zone}`,
  });
  drawTitle(canvas, TITLE);
  drawFacts(canvas, [
    ["Interval", intervalLabel(request.interval.start, request.interval.end, instant)],
    ["Time zone", zone],
    ["Tenants", tenantFilterLabel(content)],
    ["Generated", instant(content.generatedAt)],
    ["Report task", content.taskId],
  ]);

  drawHeading(canvas, "Summary per tenant");
  if (summaries.length === 0) drawNote(canvas, "No VM was protected in the interval.");
  else {
    const table = new PdfTable(canvas, summaryColumns(canvas), { size: SUMMARY_SIZE, maxLines: 3 });
    table.begin();
    let vms = 0;
    let protectedMs = 0;
    let average = 0;
    for (const s of summaries) {
      vms += s.vmCount;
      protectedMs += s.protectedMs;
      average += s.averageConcurrent;
      table.row([
        s.tenantId ?? "–",
        s.tenantName ?? "(VMs of no tenant)",
        count(s.vmCount),
        decimals(s.protectedMs / HOUR_MS, 2),
        count(s.peakConcurrent),
        s.peakAt === null ? "–" : instant(s.peakAt),
        decimals(s.averageConcurrent, 2),
      ]);
    }
    table.row(
      [
        "Total",
        `${summaries.length} ${summaries.length === 1 ? "tenant" : "tenants"}`,
        count(vms),
        decimals(protectedMs / HOUR_MS, 2),
        "",
        "",
        decimals(average, 2),
      ],
      true,
    );
  }

  drawHeading(canvas, "Protection periods");
  const detail = new PdfTable(canvas, detailColumns(canvas), { size: DETAIL_SIZE, maxLines: 1 });
  detail.begin();
  let lines = 0;
  const cells: Array<string> = ["", "", "", "", "", "", "", ""];
  return {
    add: (rows) => {
      for (const line of rows) {
        cells[0] = line.tenantId ?? "";
        cells[1] = line.tenantName ?? "";
        cells[2] = line.vmId;
        cells[3] = line.vmName;
        cells[4] = instant(line.start);
        cells[5] = instant(line.end);
        cells[6] = ((line.end - line.start) / HOUR_MS).toFixed(2);
        cells[7] = line.ongoing ? "yes" : "";
        detail.row(cells);
      }
      lines += rows.length;
    },
    finish: () => {
      if (lines === 0) drawNote(canvas, "No protection periods in the interval.");
      canvas.finish();
    },
    take: () => canvas.take(),
  };
};
