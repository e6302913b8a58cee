/**
 * The demo's PDFs as a billing person sees them: `tally demo-report` is run in a temporary
 * directory, page 1 of each PDF is rendered to a PNG under the repository's git-ignored
 * `artifacts/demo/` (for a person to look at), and the text layer is read back with `pdftotext`:
 * date-times written for people (never ISO 8601), figures with thousands separators and no
 * non-zero figure shown as zero, the license rules' statuses, and the license overview of the
 * three demo organizations on at most two pages. The same demo data in the Europe/Berlin zone
 * shows the offsets where they differ from the report's. Needs poppler-utils (CI installs it).
 */
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ARTIFACTS,
  isoTimestamp,
  pdfPages,
  renderFirstPage,
} from "../../renderers/test/fixtures/PdfReading.ts";
import { processTestTimeoutMs } from "./support/LoadedMachine.ts";
import { runTally } from "./support/TallyProcess.ts";

const pictures = join(ARTIFACTS, "demo");

/** The demo's PDF of a kind (`tenant-protection`, `license-overview`), whatever its dates. */
const demoPdf = (reports: string, kind: string): string => {
  const name = readdirSync(reports).find((f) => f.startsWith(kind) && f.endsWith(".pdf"));
  if (name === undefined) throw new Error(`no ${kind} PDF in ${reports}`);
  return join(reports, name);
};

/** Collapses runs of spaces so that table columns read as single-spaced text. */
const squeeze = (text: string): string => text.replace(/[ \t]+/g, " ");

describe("the demo's PDFs", { timeout: processTestTimeoutMs }, () => {
  const cwd = mkdtempSync(join(tmpdir(), "tally-demo-pictures-"));
  const reports = join(cwd, ".tally", "reports");
  const demo = runTally(["demo-report"], { cwd });

  it("write the tenant report for people: a chart, separators, no ISO timestamps", async () => {
    expect((await demo).code).toBe(0);
    const path = demoPdf(reports, "tenant-protection");
    renderFirstPage(path, "tenant-protection", pictures, 90);
    const pages = pdfPages(path).map(squeeze);
    const text = pages.join("\n");
    expect(text).not.toMatch(isoTimestamp);
    const first = pages[0] as string;
    expect(first).toContain("Interval 2024-01-01 00:00 – 2025-01-01 00:00 (end excluded)");
    expect(first).toContain("Protected VMs over time, average per day");
    expect(first).toContain(
      "ACME Corporation ООО «Ромашка» VMs of no tenant Bäckerei Müller & Söhne GmbH Other tenants",
    );
    expect(first).toContain("ACME Corporation acme 3 13,587.50 3 2024-03-04 07:00 1.55");
    // 2.5 VM-hours over a year: an average that is small, not zero.
    expect(first).toContain("Αθηνά Α.Ε. athena 1 2.50 1 2024-03-31 00:30 0.00028");
    expect(first).toContain("VMs of no tenant – 1 1,092.00 1 2024-07-01 00:00 0.12");
    expect(first).toContain("Total, 6 tenants 9 24,819.50 2.83");
    expect(text).toMatch(
      /VMs of no tenant\n\s*legacy-backup \(no tenant\) legacy-backup 2024-07-01 00:00/,
    );
    expect(text).toContain("db-01 acme-db-01 2024-02-15 08:30 2025-01-01 00:00 (ongoing) 7,695.50");
  });

  it("put the license overview of the three organizations on two pages, by one set of rules", async () => {
    expect((await demo).code).toBe(0);
    const path = demoPdf(reports, "license-overview");
    renderFirstPage(path, "license-overview", pictures, 90);
    const pages = pdfPages(path).map(squeeze);
    expect(pages.length).toBeLessThanOrEqual(2);
    const text = pages.join("\n");
    expect(text).not.toMatch(isoTimestamp);
    for (const heading of [
      "ACME Corporation (org-acme)",
      "Αθηνά Α.Ε. (org-athena)",
      "ООО «Ромашка» (org-romashka)",
    ]) {
      expect(text).toContain(`${heading}\n`);
    }
    // ACME: usage from the end and from the peak; Bob revoked, Dave within capacity at the end.
    expect(text).toContain(
      "ACME Corporation org-acme 3 3 100.0 % 4 133.3 % 2024-04-01 08:00 152 days 9 h 2 1 0",
    );
    expect(text).toContain("bob@acme.example u-acme-bob Revoked 2023-10-15 08:00 2024-08-31 17:00");
    expect(text).toContain("dave@acme.example u-acme-dave New 2024-04-01 08:00");
    // Romashka: Maria's first licence revoked, her second one beyond the capacity of 2.
    expect(text).toContain(
      "Мария Смирнова u-romashka-maria Revoked 2024-01-15 06:00 2024-05-15 06:00",
    );
    expect(text).toContain("Мария Смирнова u-romashka-maria Exceeded 2024-11-01 06:00");
    expect(text).toContain("Total, 3 organizations 10 8 80.0 % 5 2 1");
    expect(text).toContain("Capacity 3 Licensed users Beyond capacity");
  });

  it("show the offset of a time where it differs from the report's, in a zone with summer time", async () => {
    expect((await demo).code).toBe(0);
    const env = {
      TALLY_STORAGE: join(cwd, ".tally", "demo.sqlite"),
      TALLY_LOCAL_ZONE: "Europe/Berlin",
    };
    const year = ["--from", "2024-01-01", "--to", "2025-01-01", "--timezone", "Local"];
    for (const kind of ["tenants", "licenses"]) {
      const out = join(cwd, `${kind}-berlin.pdf`);
      const run = await runTally(["report", kind, ...year, "--format", "pdf", "--out", out], {
        cwd,
        env,
      });
      expect(run.code).toBe(0);
      renderFirstPage(out, `${kind}-berlin`, pictures, 90);
      const text = pdfPages(out).map(squeeze).join("\n");
      expect(text).not.toMatch(isoTimestamp);
      expect(text).toContain(
        "Local (Europe/Berlin): UTC+01:00; UTC+02:00 from 2024-03-31 03:00 +02:00; UTC+01:00 from 2024-10-27 02:00.",
      );
      if (kind === "tenants") {
        // Over the repeated hour of 2024-10-27: 02:15 at +02:00, then 02:45 at +01:00.
        expect(text).toContain(
          "ERP-διακομιστής athena-erp 2024-10-27 02:15 +02:00 2024-10-27 02:45 1.50",
        );
      } else {
        expect(text).toContain(
          "bob@acme.example u-acme-bob Revoked 2023-10-15 10:00 +02:00 2024-08-31 19:00 +02:00",
        );
      }
    }
  });
});
