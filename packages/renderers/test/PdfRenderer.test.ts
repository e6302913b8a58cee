/**
 * The PDF renderer, read back with poppler: names in Latin, Cyrillic and Greek, the interval,
 * the zone and the totals are there as text; every page has "Page N of M"; the detail header
 * repeats; the same content gives the same bytes; page 1 of each report is left as a PNG under
 * `artifacts/` for a person to look at.
 */
import { existsSync, statSync } from "node:fs";
import { StorageError, type TenantReportLine } from "@tally/core";
import { Effect, Stream } from "effect";
import { describe, expect, it } from "vitest";
import { PdfRenderer } from "../src/index.ts";
import { pdfInfo, pdfPages, renderFirstPage, savePdf } from "./fixtures/PdfReading.ts";
import {
  collectBytes,
  licenseContent,
  licenseRequest,
  tenantContent,
  tenantRequest,
} from "./fixtures/ReportContents.ts";
import {
  sampleLines,
  sampleOrganizations,
  sampleSummaries,
  sampleUsers,
} from "./fixtures/SampleReports.ts";

/** The sample lines repeated with distinct VM ids, enough for several pages. */
const manyLines = (count: number): ReadonlyArray<TenantReportLine> =>
  Array.from({ length: count }, (_, i) => ({
    ...(sampleLines[i % sampleLines.length] as TenantReportLine),
    vmId: `vm-${String(i).padStart(5, "0")}`,
  }));

const pdfRequest = tenantRequest({ format: "pdf" });
const parisRequest = licenseRequest({
  format: "pdf",
  zone: { spec: "Local", resolved: { _tag: "Iana", name: "Europe/Paris" } },
});

/** Collapses runs of spaces so that table columns read as single-spaced text. */
const squeeze = (text: string): string => text.replace(/[ \t]+/g, " ");

describe("the PDF tenant report", () => {
  const content = tenantContent({
    lines: manyLines(240),
    summaries: sampleSummaries,
    request: pdfRequest,
    chunkSize: 17,
  });

  it("shows the parameters, the summary with its totals and names in Latin, Cyrillic and Greek", async () => {
    const path = savePdf(
      "tenant-report",
      await collectBytes(PdfRenderer.renderTenantReport(content)),
    );
    const first = squeeze(pdfPages(path)[0] as string);
    expect(first).toContain("Tenant protection report");
    expect(first).toContain("Interval 2024-03-01T01:00:00+01:00 – 2024-04-01T01:00:00+01:00");
    expect(first).toContain("Time zone UTC+01:00");
    expect(first).toContain("Tenants All tenants (and VMs of no tenant)");
    expect(first).toContain("Generated 2024-03-20T13:00:00+01:00");
    expect(first).toContain("romashka ООО «Ромашка» 1 30.50 1 2024-03-10T01:00:00+01:00 0.07");
    expect(first).toContain("athena Αθηνά Α.Ε. 1 36.00 1 2024-03-30T13:00:00+01:00 0.08");
    expect(first).toContain("Total 4 tenants 5 592.50 1.29");
    expect(first).toContain('βάση-δεδομένων; "κύρια"');
    expect(first).toContain("сервер-1");
  });

  it("numbers every page 'Page N of M', repeats the detail header and keeps the zone in the footer", async () => {
    const path = savePdf(
      "tenant-report",
      await collectBytes(PdfRenderer.renderTenantReport(content)),
    );
    const pages = pdfPages(path);
    expect(pages.length).toBeGreaterThan(4);
    pages.forEach((page, i) => {
      const text = squeeze(page);
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(text).toContain(
        "Tenant ID Tenant VM ID VM Protection start Protection end Hours Ongoing",
      );
      expect(text).toContain("Time zone: UTC+01:00");
    });
    expect(pdfInfo(path).Pages).toBe(`${pages.length}`);
  });

  it("holds every protection period exactly once", async () => {
    const path = savePdf(
      "tenant-report",
      await collectBytes(PdfRenderer.renderTenantReport(content)),
    );
    const text = pdfPages(path).join("\n");
    const ids = text.match(/vm-\d{5}/g) ?? [];
    expect(ids).toEqual(manyLines(240).map((line) => line.vmId));
  });

  it("names the tenant of a one-tenant report", async () => {
    const request = tenantRequest({
      format: "pdf",
      tenant: { _tag: "OneTenant", tenantId: "romashka" },
    });
    const lines = sampleLines.filter((line) => line.tenantId === "romashka");
    const bytes = await collectBytes(
      PdfRenderer.renderTenantReport(
        tenantContent({
          lines,
          summaries: sampleSummaries.slice(2, 3),
          request,
          tenantName: "ООО «Ромашка»",
        }),
      ),
    );
    const first = squeeze(pdfPages(savePdf("tenant-report-one-tenant", bytes))[0] as string);
    expect(first).toContain("Tenants ООО «Ромашка» (romashka)");
  });

  it("cuts a cell that does not fit with an ellipsis instead of overflowing its column", async () => {
    const long = `${"Очень длинное имя виртуальной машины ".repeat(6)}END`;
    const lines = [{ ...(sampleLines[0] as TenantReportLine), vmName: long }];
    const bytes = await collectBytes(
      PdfRenderer.renderTenantReport(tenantContent({ lines, request: pdfRequest })),
    );
    const text = squeeze(pdfPages(savePdf("tenant-report-long-name", bytes))[0] as string);
    expect(text).toMatch(/vm-001 Очень длинное имя[^\n]*… 2024-03-01T01:00:00\+01:00/);
    expect(text).not.toContain("END");
  });

  it("says so when nothing was protected", async () => {
    const bytes = await collectBytes(
      PdfRenderer.renderTenantReport(tenantContent({ lines: [], request: pdfRequest })),
    );
    const pages = pdfPages(savePdf("tenant-report-empty", bytes)).map(squeeze);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain("No VM was protected in the interval.");
    expect(pages[0]).toContain("No protection periods in the interval.");
    expect(pages[0]).toContain("Page 1 of 1");
  });

  it("gives the same bytes on two renders, whatever the chunking, with dates from the task", async () => {
    const first = await collectBytes(PdfRenderer.renderTenantReport(content));
    const second = await collectBytes(
      PdfRenderer.renderTenantReport({ ...content, lines: Stream.fromArray(manyLines(240)) }),
    );
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    const info = pdfInfo(savePdf("tenant-report", first));
    expect(info.CreationDate).toBe("Wed Mar 20 12:00:00 2024 UTC");
    expect(info.ModDate).toBe("Wed Mar 20 12:00:00 2024 UTC");
    expect(info.Subject).toBe("Tally report task task-0001");
  });

  it("leaves page 1 as a PNG for a person to look at", async () => {
    const path = savePdf(
      "tenant-report",
      await collectBytes(PdfRenderer.renderTenantReport(content)),
    );
    const png = renderFirstPage(path, "tenant-report");
    expect(existsSync(png)).toBe(true);
    expect(statSync(png).size).toBeGreaterThan(10_000);
  });

  it("streams: pages come out before an endless report ends", async () => {
    const endless = Stream.iterate(0, (i) => i + 1).pipe(
      Stream.map((i) => ({ ...(sampleLines[0] as TenantReportLine), vmId: `vm-${i}` })),
      Stream.rechunk(500),
    );
    const chunks = await Effect.runPromise(
      PdfRenderer.renderTenantReport({ ...content, lines: endless }).pipe(
        Stream.take(3),
        Stream.runCollect,
      ),
    );
    expect(chunks).toHaveLength(3);
    expect(
      Buffer.from(chunks[0] as Uint8Array)
        .subarray(0, 8)
        .toString(),
    ).toBe("%PDF-1.3");
  });
});

describe("the PDF license overview", () => {
  const content = licenseContent({
    users: sampleUsers,
    summaries: sampleOrganizations,
    request: parisRequest,
    chunkSize: 1,
  });

  it("has a cover with the parameters and the totals across organizations", async () => {
    const path = savePdf(
      "license-overview",
      await collectBytes(PdfRenderer.renderLicenseOverview(content)),
    );
    const cover = squeeze(pdfPages(path)[0] as string);
    expect(cover).toContain("License overview");
    expect(cover).toContain("Interval 2024-03-01T01:00:00+01:00 – 2024-04-01T02:00:00+02:00");
    expect(cover).toContain("Time zone Local (Europe/Paris)");
    expect(cover).toContain("Organizations 3");
    expect(cover).toContain("Capacity 15");
    expect(cover).toContain("Licensed at end of interval 2");
    expect(cover).toContain("Usage 13.3 %");
    expect(cover).toContain("org-a ООО «Ромашка» 10 1 1 1 0 2 2024-03-05T10:30:00+01:00 10.0 %");
    expect(cover).toContain("org-b Αθηνά Α.Ε. 0 1 1 0 1 1 2024-03-12T01:00:00+01:00 –");
  });

  it("has a section per organization with its users, and the zone in every page's footer", async () => {
    const path = savePdf(
      "license-overview",
      await collectBytes(PdfRenderer.renderLicenseOverview(content)),
    );
    const pages = pdfPages(path).map(squeeze);
    expect(pages).toHaveLength(4);
    pages.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} of 4`);
      expect(page).toContain("Time zone: Local (Europe/Paris)");
    });
    expect(pages[1]).toContain("ООО «Ромашка» (org-a)");
    expect(pages[1]).toContain(
      "u-2 +7 Мария New 2024-03-05T10:30:00+01:00 2024-03-25T18:00:00+01:00",
    );
    expect(pages[2]).toContain("Αθηνά Α.Ε. (org-b)");
    expect(pages[2]).toContain("u-3 Νίκος Παπαδόπουλος Exceeded 2024-03-12T01:00:00+01:00");
    expect(pages[3]).toContain("Empty Org (org-c)");
    expect(pages[3]).toContain("No user held a license in the interval.");
  });

  it("gives the same bytes on two renders", async () => {
    const first = await collectBytes(PdfRenderer.renderLicenseOverview(content));
    const second = await collectBytes(PdfRenderer.renderLicenseOverview(content));
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });

  it("leaves page 1 as a PNG for a person to look at", async () => {
    const path = savePdf(
      "license-overview",
      await collectBytes(PdfRenderer.renderLicenseOverview(content)),
    );
    expect(statSync(renderFirstPage(path, "license-overview")).size).toBeGreaterThan(10_000);
  });
});

describe("the PDF renderer", () => {
  it("fails with the store's error when the rows cannot be read", async () => {
    const failing = Stream.fail(
      new StorageError({ reason: "ConnectionError", operation: "streamPeriods", detail: "gone" }),
    );
    const exit = await Effect.runPromise(
      Effect.exit(
        Stream.runDrain(
          PdfRenderer.renderTenantReport({ ...tenantContent({ lines: [] }), lines: failing }),
        ),
      ),
    );
    expect(exit._tag === "Failure" && String(exit.cause)).toContain("ConnectionError");
  });

  it("fails with a RenderError naming the cause when a row cannot be drawn", async () => {
    const broken = {
      ...(sampleLines[0] as TenantReportLine),
      vmId: undefined as unknown as string,
    };
    const error = await Effect.runPromise(
      Stream.runDrain(
        PdfRenderer.renderTenantReport(tenantContent({ lines: [broken], request: pdfRequest })),
      ).pipe(Effect.flip),
    );
    expect(error._tag).toBe("RenderError");
    expect(error.message).toMatch(/^rendering pdf failed: /);
  });

  it("gives users of an organization without figures a section of their own", async () => {
    const request = licenseRequest({
      format: "pdf",
      organizations: { _tag: "OneOrganization", organizationId: "org-b" },
    });
    const users = sampleUsers.filter((u) => u.organizationId === "org-b");
    const bytes = await collectBytes(
      PdfRenderer.renderLicenseOverview(licenseContent({ users, summaries: [], request })),
    );
    const pages = pdfPages(savePdf("license-overview-no-figures", bytes)).map(squeeze);
    expect(pages[0]).toContain("Organizations org-b");
    expect(pages[0]).toContain("No organization matches the filter.");
    expect(pages[1]).toContain("Αθηνά Α.Ε. (org-b)");
    expect(pages[1]).toContain("u-3 Νίκος Παπαδόπουλος Exceeded");
  });

  it("declares its content type and file extension", () => {
    expect(PdfRenderer.format).toBe("pdf");
    expect(PdfRenderer.contentType).toBe("application/pdf");
    expect(PdfRenderer.fileExtension).toBe("pdf");
  });
});
