/**
 * Tenant CSV reports are the bytes they were before `tally report` began writing its file as
 * the report is stored: the files in `fixtures/` and the digests below were made by `tally
 * report` at commit fb08088 (before issue 12), from the deterministic demo data set and from a
 * seeded set of generated facts (any Unicode, formula-like names, overlapping, repeated and
 * ongoing periods, the DST change), in several zones. The reports here are made the same way,
 * by the `tally` executable, and must match them byte for byte.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { processTestTimeoutMs } from "./support/LoadedMachine.ts";
import { writeSeededFacts } from "./support/SeededFacts.ts";
import { runTally } from "./support/TallyProcess.ts";

const fixtures = new URL("./fixtures/", import.meta.url).pathname;
const env = { TALLY_LOCAL_ZONE: "Europe/Berlin", TALLY_LOG_LEVEL: "warn" };

/** Runs `tally report tenants args… --out file` in `cwd`; returns the file's bytes. */
const report = async (cwd: string, file: string, args: ReadonlyArray<string>) => {
  const run = await runTally(["report", "tenants", ...args, "--out", file], { cwd, env });
  expect(run.stderr).not.toContain("error");
  expect(run.code).toBe(0);
  return readFileSync(join(cwd, file));
};

describe.concurrent("tenant CSV reports, byte for byte as before", {
  timeout: processTestTimeoutMs,
}, () => {
  it("of the demo data set, in UTC, UTC+05:30, Local (Europe/Berlin) and for one tenant", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "tally-bytes-"));
    expect((await runTally(["demo"], { cwd, env })).code).toBe(0);
    const year = ["--from", "2024-01-01", "--to", "2025-01-01"];
    for (const [file, args] of [
      ["tenants-2024-UTC.csv", [...year, "--timezone", "UTC"]],
      ["tenants-2024-UTC0530.csv", [...year, "--timezone", "UTC+05:30"]],
      ["tenants-2024-Local.csv", [...year, "--timezone", "Local"]],
      [
        "romashka-UTC-0330.csv",
        [
          "--tenant",
          "romashka",
          "--from",
          "2024-03-01",
          "--to",
          "2024-11-01",
          "--timezone",
          "UTC-03:30",
        ],
      ],
    ] as const) {
      expect(await report(cwd, file, args)).toEqual(readFileSync(join(fixtures, file)));
    }
  });

  it("of seeded generated facts, by their SHA-256", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "tally-bytes-"));
    await writeSeededFacts(join(cwd, ".tally", "tally.sqlite"));
    const digest = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
    for (const [digestBefore, args] of [
      [
        "498032fae30a994ac1289b0d9ea671c4da6f2fc7f165d6ad5ee89f145cbf613c",
        ["--from", "2024-03-01", "--to", "2024-05-01", "--timezone", "UTC+05:30"],
      ],
      [
        "9fcfb3b01cccfa940d46fb618e5ea0b41f0f7e047426b5c2dbf14cc0338379b4",
        ["--from", "2024-03-20", "--to", "2024-04-10", "--timezone", "Local"],
      ],
      [
        "03d82ea15e8c9c5b35489f5add9f8d04ee6d14e6e61f2856a4142959f9c1b399",
        ["--tenant", "CZ", "--from", "2024-03-01", "--to", "2024-05-01", "--timezone", "UTC-09:30"],
      ],
    ] as const) {
      expect(digest(await report(cwd, "seeded.csv", args))).toBe(digestBefore);
    }
  });
});
