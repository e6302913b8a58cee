/**
 * The PDF renderer, read back with poppler as a person would read it: the parameters, the
 * chart's legend and axes, the summaries with thousands separators and no non-zero figure shown
 * as zero, date-times written for people (never ISO 8601), long names wrapped, groups kept with
 * their rows and continued across pages, "Page N of M" on every page; the same content gives the
 * same bytes; page 1 of each report is left as a PNG under `artifacts/` for a person to look at.
 */
import { statSync } from "node:fs";
import {
  type LicenseUserLine,
  type OrganizationSummary,
  StorageError,
  type TenantReportLine,
  type TenantSummary,
} from "@tally/core";
import { Effect, Stream } from "effect";
import { describe, expect, it } from "vitest";
import { PdfRenderer } from "../src/index.ts";
import {
  isoTimestamp,
  pdfInfo,
  pdfPages,
  renderFirstPage,
  savePdf,
} from "./fixtures/PdfReading.ts";
import {
  APRIL_1,
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

const HOUR = 3_600_000;

/** `count` lines in report order: the sample lines' tenants in turn, each with many VMs. */
const manyLines = (count: number): ReadonlyArray<TenantReportLine> => {
  const perSample = Math.ceil(count / sampleLines.length);
  return sampleLines
    .flatMap((line, s) =>
      Array.from({ length: perSample }, (_, j) => ({
        ...line,
        vmId: `vm-${String(s * perSample + j).padStart(5, "0")}`,
      })),
    )
    .slice(0, count);
};

const pdfRequest = tenantRequest({ format: "pdf" });
const parisRequest = licenseRequest({
  format: "pdf",
  zone: { spec: "Local", resolved: { _tag: "Iana", name: "Europe/Paris" } },
});

/** Collapses runs of spaces so that table columns read as single-spaced text. */
const squeeze = (text: string): string => text.replace(/[ \t]+/g, " ");

const renderTenant = async (name: string, content: Parameters<typeof tenantContent>[0]) =>
  pdfPages(
    savePdf(name, await collectBytes(PdfRenderer.renderTenantReport(tenantContent(content)))),
  );

const renderLicense = async (name: string, content: Parameters<typeof licenseContent>[0]) =>
  pdfPages(
    savePdf(name, await collectBytes(PdfRenderer.renderLicenseOverview(licenseContent(content)))),
  );

describe("the PDF tenant report", () => {
  const content = tenantContent({
    lines: manyLines(240),
    summaries: sampleSummaries,
    request: pdfRequest,
    chunkSize: 17,
  });

  it("shows the parameters, the chart and the summary with its totals, times written for people", async () => {
    const path = savePdf(
      "tenant-report",
      await collectBytes(PdfRenderer.renderTenantReport(content)),
    );
    const pages = pdfPages(path);
    const first = squeeze(pages[0] as string);
    expect(first).toContain("Tenant protection report");
    expect(first).toContain("Interval 2024-03-01 01:00 – 2024-04-01 01:00 (end excluded)");
    expect(first).toContain("Time zone UTC+01:00");
    expect(first).toContain("Tenants All tenants (and VMs of no tenant)");
    expect(first).toContain("Generated 2024-03-20 13:00");
    // The chart, drawn after the last period into its place on page 1: title, legend, axis.
    expect(first).toContain("Protected VMs over time, average per 2 hours");
    expect(first).toMatch(/ACME Corp Αθηνά Α\.Ε\. ООО «Ромашка» VMs of no tenant\n/);
    expect(first).toMatch(/Mar 2 .*Mar 20\n/);
    expect(first).toContain("Counted up to the report's generation time, 2024-03-20 13:00.");
    expect(first).toContain("ООО «Ромашка» romashka 1 30.50 1 2024-03-10 01:00 0.07");
    expect(first).toContain("Αθηνά Α.Ε. athena 1 36.00 1 2024-03-30 13:00 0.08");
    expect(first).toContain("VMs of no tenant – 1 24.00 1 2024-03-15 01:00 0.05");
    expect(first).toContain("Total, 4 tenants 5 592.50 1.29");
    const all = pages.join("\n");
    expect(all).toContain('βάση-δεδομένων; "κύρια"');
    expect(all).toContain("сервер-1");
    expect(all).not.toMatch(isoTimestamp);
  });

  it("writes thousands separators and never shows a non-zero figure as zero", async () => {
    const summaries: ReadonlyArray<TenantSummary> = [
      { ...(sampleSummaries[0] as TenantSummary), protectedMs: 13_587.5 * HOUR, vmCount: 1_204 },
      {
        ...(sampleSummaries[1] as TenantSummary),
        protectedMs: 2.5 * HOUR,
        averageConcurrent: 0.000285,
      },
    ];
    const first = squeeze(
      (
        await renderTenant("tenant-report-figures", { lines: [], summaries, request: pdfRequest })
      )[0] as string,
    );
    expect(first).toContain("ACME Corp acme 1,204 13,587.50 2");
    expect(first).toContain("Αθηνά Α.Ε. athena 1 2.50 1 2024-03-30 13:00 0.00028");
    expect(first).toContain("Total, 2 tenants 1,205 13,590.00");
  });

  it("groups the periods by tenant under a heading kept with its rows and continued on later pages", async () => {
    const pages = (
      await renderTenant("tenant-report-groups", {
        lines: manyLines(240),
        summaries: sampleSummaries,
        request: pdfRequest,
      })
    ).map(squeeze);
    expect(pages.length).toBeGreaterThan(4);
    pages.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(page).toContain("Time zone: UTC+01:00");
      if (i > 0) expect(page).toMatch(/^\s*VM VM ID Protection start Protection end Hours\n/);
    });
    // Every page after the first opens with the heading of the group it continues, or a new one.
    for (const page of pages.slice(1)) {
      expect(page).toMatch(
        /Hours\n\s*(ACME Corp \(acme\)|Αθηνά Α\.Ε\. \(athena\)|ООО «Ромашка» \(romashka\)|VMs of no tenant)/,
      );
    }
    expect(pages).toContainEqual(expect.stringContaining("ACME Corp (acme) (continued)"));
    // A group heading is never the last thing on a page.
    for (const page of pages) {
      expect(page).not.toMatch(
        /(\(acme\)|\(athena\)|\(romashka\)|VMs of no tenant)\s*\n\s*Page \d+ of/,
      );
    }
    expect(
      pdfInfo(
        savePdf(
          "tenant-report-groups",
          await collectBytes(PdfRenderer.renderTenantReport(content)),
        ),
      ).Pages,
    ).toBe(`${pages.length}`);
  });

  it("never leaves a tenant's heading at the foot of a page without its periods", async () => {
    const lines = Array.from({ length: 60 }, (_, t) => t).flatMap((t) =>
      Array.from(
        { length: 1 + (t % 5) },
        (_, v): TenantReportLine => ({
          ...(sampleLines[0] as TenantReportLine),
          tenantId: `t-${String(t).padStart(2, "0")}`,
          tenantName: `Tenant ${t}`,
          vmId: `vm-${t}-${v}`,
        }),
      ),
    );
    const pages = await renderTenant("tenant-report-small-groups", {
      lines,
      request: pdfRequest,
    });
    expect(pages.length).toBeGreaterThan(2);
    for (const page of pages) {
      const rows = page.split("\n").filter((line) => line.trim() !== "");
      rows.forEach((line, i) => {
        if (/Tenant \d+ \(t-\d\d\)/.test(line)) {
          expect(rows[i + 1]).toMatch(line.includes("(continued)") ? /vm-\d+-\d/ : /vm-\d+-0/);
        }
      });
    }
    expect(pages.join("\n").match(/vm-\d+-\d/g)).toEqual(lines.map((l) => l.vmId));
  });

  it("holds every protection period exactly once, in order", async () => {
    const text = (
      await renderTenant("tenant-report", {
        lines: manyLines(240),
        summaries: sampleSummaries,
        request: pdfRequest,
        chunkSize: 17,
      })
    ).join("\n");
    expect(text.match(/vm-\d{5}/g) ?? []).toEqual(manyLines(240).map((line) => line.vmId));
  });

  it("names the tenant of a one-tenant report, in the parameters and the chart", async () => {
    const request = tenantRequest({
      format: "pdf",
      tenant: { _tag: "OneTenant", tenantId: "romashka" },
    });
    const pages = await renderTenant("tenant-report-one-tenant", {
      lines: sampleLines.filter((line) => line.tenantId === "romashka"),
      summaries: sampleSummaries.slice(2, 3),
      request,
      tenantName: "ООО «Ромашка»",
    });
    const first = squeeze(pages[0] as string);
    expect(first).toContain("Tenants ООО «Ромашка» (romashka)");
    expect(first).toMatch(/Protected VMs over time, average per 2 hours\n\s*ООО «Ромашка»\n/);
    expect(first).not.toContain("Total,");
  });

  it("wraps a long name onto more lines instead of cutting it", async () => {
    const long = `${"Очень длинное имя виртуальной машины ".repeat(4)}END`;
    const lines = [
      { ...(sampleLines[0] as TenantReportLine), vmName: long },
      sampleLines[1] as TenantReportLine,
    ];
    const text = squeeze(
      (await renderTenant("tenant-report-long-name", { lines, request: pdfRequest }))[0] as string,
    );
    expect(text).not.toContain("…");
    expect(text).toContain("END");
    // Every word is there (a line of the cell shares its text line with the row's other cells).
    expect(text.match(/Очень/g)).toHaveLength(4);
    expect(text.match(/машины/g)).toHaveLength(4);
    // The next row starts below the wrapped one, not on top of it.
    expect(text).toMatch(/END[^\n]*\n(?:[^\n]*\n)*?\s*=HYPERLINK\("http:\/\/evil"\) vm-002/);
  });

  it("shows the offset of a time when it is not the report's, and says where it changes", async () => {
    const request = tenantRequest({
      format: "pdf",
      zone: { spec: "Local", resolved: { _tag: "Iana", name: "Europe/Berlin" } },
    });
    const lines: ReadonlyArray<TenantReportLine> = [
      {
        ...(sampleLines[0] as TenantReportLine),
        start: Date.UTC(2024, 2, 31, 0, 30),
        end: Date.UTC(2024, 2, 31, 1, 30),
      },
    ];
    const first = squeeze(
      (
        await renderTenant("tenant-report-dst", {
          lines,
          request,
          generatedAt: APRIL_1,
        })
      )[0] as string,
    );
    expect(first).toContain(
      "Time zone Local (Europe/Berlin): UTC+01:00; UTC+02:00 from 2024-03-31 03:00 +02:00. Times not at UTC+01:00 carry their offset, e.g. +02:00.",
    );
    expect(first).toContain("Interval 2024-03-01 01:00 – 2024-04-01 02:00 +02:00 (end excluded)");
    expect(first).toContain("web-01 vm-001 2024-03-31 01:30 2024-03-31 03:30 +02:00 1.00");
  });

  it("says so when nothing was protected", async () => {
    const pages = (
      await renderTenant("tenant-report-empty", { lines: [], request: pdfRequest })
    ).map(squeeze);
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
    expect(Buffer.from(first)).toEqual(Buffer.from(second));
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
    expect(statSync(png).size).toBeGreaterThan(0);
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

  it("opens with the parameters and the organizations' figures, with totals and what they mean", async () => {
    const path = savePdf(
      "license-overview",
      await collectBytes(PdfRenderer.renderLicenseOverview(content)),
    );
    const first = squeeze(pdfPages(path)[0] as string);
    expect(first).toContain("License overview");
    expect(first).toContain("Interval 2024-03-01 01:00 – 2024-04-01 02:00 +02:00 (end excluded)");
    expect(first).toContain(
      "Time zone Local (Europe/Paris): UTC+01:00; UTC+02:00 from 2024-03-31 03:00 +02:00.",
    );
    expect(first).toContain("ООО «Ромашка» org-a 10 1 10.0 % 2 20.0 % 2024-03-05 10:30 none 1 1 0");
    expect(first).toContain("Αθηνά Α.Ε. org-b 0 1 – 1 – 2024-03-12 01:00 20 days 1 0 1");
    expect(first).toContain("Empty Org org-c 5 0 0.0 % 0 0.0 % – none 0 0 0");
    expect(first).toContain("Total, 3 organizations 15 2 13.3 % 2 1 1");
    expect(first).toContain("Status of a licence, at the end of the interval: Licensed");
  });

  it("flows the organizations' sections, each with its figures, chart and users", async () => {
    const pages = (
      await renderLicense("license-overview", {
        users: sampleUsers,
        summaries: sampleOrganizations,
        request: parisRequest,
        chunkSize: 1,
      })
    ).map(squeeze);
    expect(pages).toHaveLength(2);
    pages.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} of 2`);
      expect(page).toContain("Time zone: Local (Europe/Paris)");
    });
    const all = pages.join("\n");
    expect(all).not.toMatch(isoTimestamp);
    // Sections in order, the first one on page 1 under the organizations' table.
    expect(pages[0]).toMatch(/Total, 3 organizations[\s\S]*ООО «Ромашка» \(org-a\)\n/);
    expect(all.indexOf("ООО «Ромашка» (org-a)")).toBeLessThan(all.indexOf("Αθηνά Α.Ε. (org-b)"));
    expect(all.indexOf("Αθηνά Α.Ε. (org-b)")).toBeLessThan(all.indexOf("Empty Org (org-c)"));
    expect(all).toContain("Licensed at end 1 (10.0 %)");
    expect(all).toContain("Peak 2 (20.0 %) at 2024-03-05 10:30");
    expect(all).toContain("Licensed at end 1 (no capacity)");
    expect(all).toContain("Over capacity 20 days");
    // The chart's legend and its capacity line, per organization.
    expect(all).toContain("Capacity 10 Licensed users Beyond capacity");
    expect(all).toContain("Capacity 0 Licensed users Beyond capacity");
    expect(all).toContain("User User ID Status Licensed since Revoked at");
    expect(all).toContain("+7 Мария u-2 Revoked 2024-03-05 10:30 2024-03-25 18:00");
    // No revocation in org-b: no "Revoked at" column.
    expect(all).toMatch(
      /User User ID Status Licensed since\n\s*Νίκος Παπαδόπουλος u-3 Exceeded 2024-03-12 01:00/,
    );
    expect(all).toMatch(/Empty Org \(org-c\)[\s\S]*No user held a licence in the interval\./);
  });

  it("keeps each section's heading with its figures and first users, and continues long sections", async () => {
    const organizations = Array.from(
      { length: 9 },
      (_, o): OrganizationSummary => ({
        ...(sampleOrganizations[0] as OrganizationSummary),
        organizationId: `org-${o}`,
        organizationName: `Organization ${o}`,
      }),
    );
    const users = organizations.flatMap((org, o) =>
      Array.from(
        { length: o === 4 ? 60 : 3 },
        (_, u): LicenseUserLine => ({
          ...(sampleUsers[0] as LicenseUserLine),
          organizationId: org.organizationId,
          organizationName: org.organizationName,
          userId: `u-${o}-${String(u).padStart(2, "0")}`,
        }),
      ),
    );
    const pages = (
      await renderLicense("license-overview-many", {
        users,
        summaries: organizations,
        request: parisRequest,
      })
    ).map(squeeze);
    for (const [o, org] of organizations.entries()) {
      const page = pages.find((p) =>
        p.includes(`${org.organizationName} (${org.organizationId})\n`),
      );
      expect(page).toBeDefined();
      expect(page).toMatch(new RegExp(`\\(${org.organizationId}\\)\\nCapacity 10`));
      expect(page).toContain(`u-${o}-00`);
      expect(page).toContain(`u-${o}-01`);
    }
    expect(pages).toContainEqual(expect.stringMatching(/Organization 4 \(org-4\) \(continued\)\n/));
    const text = pages.join("\n");
    expect(text.match(/u-\d-\d\d/g)).toEqual(users.map((u) => u.userId));
  });

  it("gives the same bytes on two renders", async () => {
    const first = await collectBytes(PdfRenderer.renderLicenseOverview(content));
    const second = await collectBytes(PdfRenderer.renderLicenseOverview(content));
    expect(Buffer.from(first)).toEqual(Buffer.from(second));
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
    const pages = (
      await renderLicense("license-overview-no-figures", {
        users: sampleUsers.filter((u) => u.organizationId === "org-b"),
        summaries: [],
        request,
      })
    ).map(squeeze);
    expect(pages[0]).toContain("Organizations org-b");
    expect(pages[0]).toContain("No organization matches the filter.");
    expect(pages[0]).toContain("Αθηνά Α.Ε. (org-b)");
    expect(pages[0]).toContain("Νίκος Παπαδόπουλος u-3 Exceeded 2024-03-12 00:00");
  });

  it("declares its content type and file extension", () => {
    expect(PdfRenderer.format).toBe("pdf");
    expect(PdfRenderer.contentType).toBe("application/pdf");
    expect(PdfRenderer.fileExtension).toBe("pdf");
  });
});
