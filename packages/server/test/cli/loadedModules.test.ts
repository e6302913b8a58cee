/**
 * What a command loads: `tally report --format csv` leaves the PDF renderer's drawing modules
 * (pdfkit, fontkit, the PDF layout) unloaded; they are imported when a PDF is first opened.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runTally } from "../support/TallyProcess.ts";

const recorder = fileURLToPath(new URL("../support/recordModuleLoads.ts", import.meta.url));
const drawingModules = /\/pdfkit[@/]|\/fontkit[@/]|\/renderers\/src\/pdf\/(?!PdfRenderer\.ts)/;

/** Runs `tally report tenants` in `format` on an empty database; the module URLs it loaded. */
const reportLoads = async (format: "csv" | "pdf"): Promise<Array<string>> => {
  const cwd = mkdtempSync(join(tmpdir(), "tally-loads-"));
  const list = join(cwd, "loaded.txt");
  const run = await runTally(
    ["report", "tenants", "--from", "2024-01-01", "--to", "2024-02-01", "--format", format],
    {
      cwd,
      env: {
        TALLY_STORAGE: join(cwd, "tally.sqlite"),
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${recorder}`,
        RECORD_MODULE_LOADS: list,
      },
    },
  );
  expect(run.stderr).not.toContain("rror");
  expect(run.code).toBe(0);
  return readFileSync(list, "utf8").split("\n");
};

describe.concurrent("modules loaded by tally report", () => {
  it("a CSV report loads the CSV renderer and none of the PDF drawing modules", async () => {
    const loaded = await reportLoads("csv");
    expect(loaded.some((url) => url.endsWith("/renderers/src/csv/CsvRenderer.ts"))).toBe(true);
    expect(loaded.filter((url) => drawingModules.test(url))).toEqual([]);
  });

  it("a PDF report loads them when it opens the PDF", async () => {
    const loaded = await reportLoads("pdf");
    expect(loaded.some((url) => url.includes("/pdfkit@"))).toBe(true);
    expect(loaded.some((url) => url.endsWith("/renderers/src/pdf/TenantReportPdf.ts"))).toBe(true);
  });
});
