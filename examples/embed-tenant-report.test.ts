import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Effect } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "./embed-tenant-report.ts";

const directory = mkdtempSync(join(tmpdir(), "embed-example-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe("the embedding example", () => {
  it("writes acme's report as a PDF: the tenant, and the VM's two overlapping periods as one line", async () => {
    const out = join(directory, "acme.pdf");
    const bytes = await Effect.runPromise(main(out));
    const pdf = readFileSync(out);
    expect(pdf.length).toBe(bytes);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = execFileSync("pdftotext", ["-layout", out, "-"], { encoding: "utf8" });
    expect(text).toContain("Acme GmbH");
    expect(text.match(/web-01/g), "one merged line for p1 and p2").toHaveLength(1);
  });

  it("is at most 20 lines of code, importing published entry points only", () => {
    const source = readFileSync(new URL("./embed-tenant-report.ts", import.meta.url), "utf8");
    const code = source
      .replace(/\/\*\*[\s\S]*?\*\//, "")
      .split("\n")
      .filter((line) => line.trim() !== "" && !line.trim().startsWith("//"));
    expect(code.length).toBeLessThanOrEqual(20);
    const imports = [...source.matchAll(/from "([^"]+)"/g)].map((match) => match[1]);
    expect(imports).toEqual(["@tally/core", "@tally/renderers", "effect"]);
  });
});
