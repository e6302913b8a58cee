/**
 * The `tally` command line end to end, as a child process in a temporary directory: the
 * newcomer's `demo-report`, `report`, `import`, `users add`, and how bad input and bad
 * configuration are refused (exit code 2, the input named).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScryptPasswordHasher } from "@tally/adapters-storage";
import {
  AccountStore,
  defaultTallySettings,
  getTask,
  ProtectionPeriodStore,
  ReportStore,
  SystemClock,
  submitReport,
  TallySettings,
  TenantDirectory,
} from "@tally/core";
import { ReportRenderersLive } from "@tally/renderers";
import { Effect, Layer, Option } from "effect";
import { describe, expect, it } from "vitest";
import { commandLinePrincipal } from "../src/wiring/CommandLinePrincipal.ts";
import { RandomIdGeneratorLayer } from "../src/wiring/RandomIdGenerator.ts";
import { storageLayer } from "../src/wiring/StorageLayer.ts";
import type { TallyServices } from "../src/wiring/TallyLayer.ts";
import { processTestTimeoutMs } from "./support/LoadedMachine.ts";
import { quiet } from "./support/quiet.ts";
import { runTally } from "./support/TallyProcess.ts";

/** Runs a test program without log output. */
const runQuiet = <A, E>(effect: Effect.Effect<A, E>): Promise<A> =>
  Effect.runPromise(quiet(effect));

const vendorHeader = "tenantId;tenantName;vmId;vmName;protectionStart;protectionEnd";
const demoCsv = "tenant-protection-all-20240101-20241231.csv";
const tempDir = () => mkdtempSync(join(tmpdir(), "tally-cli-"));

describe.concurrent("tally demo-report", { timeout: processTestTimeoutMs }, () => {
  it("loads the demo into ./.tally and writes a tenant CSV and PDF and a license PDF for 2024", async () => {
    const cwd = tempDir();
    const run = await runTally(["demo-report"], { cwd });
    expect(run.stderr).not.toContain("error");
    expect(run.code).toBe(0);
    const reports = join(cwd, ".tally", "reports");
    // Named by the one file-name rule: what, whom, first and last day (inclusive).
    const csvPath = join(reports, "tenant-protection-all-20240101-20241231.csv");
    for (const file of [
      "tenant-protection-all-20240101-20241231.csv",
      "tenant-protection-all-20240101-20241231.pdf",
      "license-overview-all-20240101-20241231.pdf",
    ]) {
      expect(run.stdout).toContain(join(reports, file));
      expect(readdirSync(reports)).toContain(file);
    }
    const csv = readFileSync(csvPath, "utf8");
    expect(csv.split("\r\n")[0]).toBe(vendorHeader);
    expect(csv).toContain("romashka;ООО «Ромашка»;romashka-1c;1С:Бухгалтерия;");
    expect(csv).toContain("athena;Αθηνά Α.Ε.;athena-erp;");
    // A VM of no tenant is listed last with empty tenant fields.
    expect(csv.trimEnd().split("\r\n").at(-1)).toMatch(/^;;legacy-backup;/);
    // Formula-looking names are neutralised.
    expect(csv).toContain(`formula;"'=HYPERLINK(`);
    expect(run.stdout).toContain(vendorHeader);
    for (const pdf of [
      "tenant-protection-all-20240101-20241231.pdf",
      "license-overview-all-20240101-20241231.pdf",
    ]) {
      expect(readFileSync(join(reports, pdf)).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    }
  });

  it("starts from a fresh database each time, giving the same CSV", async () => {
    const cwd = tempDir();
    const first = await runTally(["demo-report"], { cwd });
    const csv = readFileSync(join(cwd, ".tally", "reports", demoCsv));
    const second = await runTally(["demo-report"], { cwd });
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(readFileSync(join(cwd, ".tally", "reports", demoCsv))).toEqual(csv);
  });
});

describe.concurrent("tally report, import and users add", { timeout: processTestTimeoutMs }, () => {
  it("imports CSV and JSON files, then makes a report of them with plain progress lines", {
    timeout: processTestTimeoutMs,
  }, async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "tenants.csv"), "id;name\nt1;Ωμέγα ΑΕ\nt2;ЗАО Север\n");
    writeFileSync(
      join(cwd, "vms.json"),
      JSON.stringify([
        { id: "vm1", name: "web", tenantId: "t1" },
        { id: "vm2", name: "db", tenantId: "t2" },
      ]),
    );
    writeFileSync(
      join(cwd, "periods.csv"),
      "id,vmId,start,end\np1,vm1,2024-03-30T12:00:00Z,2024-04-01T12:00:00Z\np2,vm2,2024-01-01T00:00:00+01:00,\n",
    );
    for (const [kind, file] of [
      ["tenants", "tenants.csv"],
      ["vms", "vms.json"],
      ["protection-periods", "periods.csv"],
      // `periods`, the kind's name before 0.2, still works; the same file again changes nothing.
      ["periods", "periods.csv"],
    ] as const) {
      const run = await runTally(["import", kind, file], { cwd });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    }
    const report = await runTally(
      [
        "report",
        "tenants",
        "--tenant",
        "t1",
        "--from",
        "2024-03-30",
        "--to",
        "2024-04-02",
        "--timezone",
        "Local",
        "--out",
        "t1.csv",
      ],
      { cwd, env: { TALLY_LOCAL_ZONE: "Europe/Berlin", TALLY_LOG_LEVEL: "warn" } },
    );
    expect(report.code).toBe(0);
    expect(report.stdout).toContain(`Wrote ${join(cwd, "t1.csv")} (1 rows`);
    // Not a terminal: plain progress lines ending with the final state.
    expect(report.stderr).toContain("tenant report: Succeeded 100%");
    expect(readFileSync(join(cwd, "t1.csv"), "utf8")).toBe(
      `${vendorHeader}\r\nt1;Ωμέγα ΑΕ;vm1;web;2024-03-30T13:00:00+01:00;2024-04-01T14:00:00+02:00\r\n`,
    );
    // The file was written as the report was stored: the same bytes, no temporary file left.
    expect(readdirSync(cwd).filter((name) => name.includes("partial"))).toEqual([]);
    const stored = await runQuiet(
      Effect.gen(function* () {
        const store = yield* ReportStore;
        const [meta] = yield* store.list({ limit: 10 });
        return meta;
      }).pipe(
        Effect.provide(
          storageLayer({ _tag: "Sqlite", filename: join(cwd, ".tally", "tally.sqlite") }),
        ),
      ),
    );
    expect(stored?.sha256).toBe(
      createHash("sha256")
        .update(readFileSync(join(cwd, "t1.csv")))
        .digest("hex"),
    );
  });

  it("imports a file whole or not at all: a bad last row, or a VM that does not exist, leaves nothing written", {
    timeout: processTestTimeoutMs,
  }, async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "tenants.csv"), "id,name\nt1,One\n");
    writeFileSync(join(cwd, "vms.csv"), "id;name;tenantId\nvm1;web;t1\n");
    for (const [kind, file] of [
      ["tenants", "tenants.csv"],
      ["vms", "vms.csv"],
    ]) {
      expect((await runTally(["import", kind as string, file as string], { cwd })).code).toBe(0);
    }
    const rows = Array.from(
      { length: 3000 },
      (_, i) => `p${i},vm1,2024-01-01T00:00:00Z,2024-01-02T00:00:00Z`,
    );
    writeFileSync(
      join(cwd, "bad-last.csv"),
      `id,vmId,start,end\n${rows.join("\n")}\np-last,vm1,2024-01-02T00:00:00Z,2024-01-01T00:00:00Z\n`,
    );
    const badRow = await runTally(["import", "protection-periods", "bad-last.csv"], { cwd });
    expect(badRow.code).toBe(2);
    expect(badRow.stderr).toContain(
      'bad-last.csv row 3002, end: expected an instant after start (2024-01-02T00:00:00.000Z), or empty, got "2024-01-01T00:00:00Z"',
    );
    writeFileSync(
      join(cwd, "unknown-vm.json"),
      JSON.stringify([
        { id: "p1", vmId: "vm1", start: "2024-01-01T00:00:00Z" },
        { id: "p2", vmId: "vm-gone", start: 1704067200000, end: null },
      ]),
    );
    const unknown = await runTally(["import", "protection-periods", "unknown-vm.json"], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'unknown-vm.json [1], vmId: expected the id of a known VM (import the VMs first), got "vm-gone"',
    );
    const periods = await runQuiet(
      Effect.flatMap(ProtectionPeriodStore, (store) =>
        store.countOverlapping({ start: 0, end: Date.UTC(2100, 0, 1) }, { _tag: "AllTenants" }),
      ).pipe(
        Effect.provide(
          storageLayer({ _tag: "Sqlite", filename: join(cwd, ".tally", "tally.sqlite") }),
        ),
      ),
    );
    expect(periods).toBe(0);
  });

  it("prints its version, the server package's", async () => {
    const run = await runTally(["--version"], { cwd: tempDir() });
    const { version } = JSON.parse(
      readFileSync(new URL("../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    expect(run).toMatchObject({ code: 0, stdout: `tally v${version}\n` });
  });

  it("runs only its own report, leaving an older task queued in the same database", async () => {
    const cwd = tempDir();
    const database = join(cwd, ".tally", "tally.sqlite");
    const useStorage = <A, E>(effect: Effect.Effect<A, E, TallyServices>) =>
      runQuiet(
        effect.pipe(
          Effect.provide(
            Layer.mergeAll(
              storageLayer({ _tag: "Sqlite", filename: database }),
              SystemClock.layer,
              RandomIdGeneratorLayer,
              Layer.succeed(TallySettings, TallySettings.of(defaultTallySettings)),
              ReportRenderersLive,
              ScryptPasswordHasher.layer,
            ),
          ),
        ),
      );
    const older = await useStorage(
      Effect.map(
        submitReport(commandLinePrincipal, {
          type: "CreateTenantReport",
          zone: { _tag: "Utc" },
          format: "csv",
        }),
        (submitted) => submitted.task,
      ),
    );

    const report = await runTally(["report", "tenants", "--out", "own.csv"], {
      cwd,
      env: { TALLY_LOG_LEVEL: "warn" },
    });
    expect(report.code).toBe(0);
    expect(report.stdout).toContain(`Wrote ${join(cwd, "own.csv")}`);
    expect(await useStorage(getTask(commandLinePrincipal, older.id))).toEqual(older);
  });

  it("names the bad row and column of an import file and exits 2", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "tenants.csv"), "id,name\nt1,One\nt2,\n");
    const run = await runTally(["import", "tenants", "tenants.csv"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'tenants.csv row 3, name: expected a non-empty text of at most 1024 characters, got ""',
    );
  });

  it("refuses a file that is neither CSV nor JSON", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "tenants.xlsx"), "");
    const run = await runTally(["import", "tenants", "tenants.xlsx"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected a file ending in .csv or .json, got ".xlsx"');
  });

  it("names a malformed --from and exits 2", async () => {
    const run = await runTally(["report", "tenants", "--from", "yesterday"], { cwd: tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--from: expected");
    expect(run.stderr).toContain('got "yesterday"');
  });

  it("names a bad zone spec and exits 2", async () => {
    const run = await runTally(
      ["report", "licenses", "--from", "2024-01-01", "--to", "2025-01-01", "--timezone", "GMT+1"],
      {
        cwd: tempDir(),
      },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--timezone: expected one of UTC, Local, UTC+HH:MM, UTC-HH:MM");
  });

  it("stops before doing anything when a setting is bad, naming it (exit 2)", async () => {
    const cwd = tempDir();
    const run = await runTally(["demo"], {
      cwd,
      env: { TALLY_PORT: "eighty", TALLY_WORKERS: "-3" },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'TALLY_PORT: expected a TCP port, an integer from 0 to 65535 (0: any free port), got "eighty"',
    );
    expect(run.stderr).toContain(
      'TALLY_WORKERS: expected a number of concurrent report workers, an integer from 0 to 64, got "-3"',
    );
    expect(readdirSync(cwd)).not.toContain(".tally");
  });

  it("reports an unknown subcommand as a usage error (exit 2)", async () => {
    const run = await runTally(["frobnicate"], { cwd: tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr + run.stdout).toContain('Unknown subcommand "frobnicate"');
  });

  it("adds a user with a hashed password, and requires a tenant for an operator", async () => {
    const cwd = tempDir();
    const added = await runTally(
      ["users", "add", "ops", "--role", "operator", "--tenant", "acme", "--password", "pw"],
      {
        cwd,
      },
    );
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("Saved operator ops of tenant acme.");
    const generated = await runTally(["users", "add", "root", "--role", "administrator"], { cwd });
    expect(generated.stdout).toMatch(/Password \(shown once\): \S{16}/);
    const missing = await runTally(["users", "add", "x", "--role", "operator"], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      "--tenant: expected the tenant id of the operator, got nothing",
    );

    const stored = await runQuiet(
      Effect.gen(function* () {
        const accounts = yield* AccountStore;
        return {
          ops: yield* accounts.getAccount("ops"),
          tenants: yield* (yield* TenantDirectory).listTenants({ limit: 10 }),
        };
      }).pipe(
        Effect.provide(
          storageLayer({ _tag: "Sqlite", filename: join(cwd, ".tally", "tally.sqlite") }),
        ),
      ),
    );
    const ops = Option.getOrThrow(stored.ops);
    expect(ops).toMatchObject({ username: "ops", role: "TenantOperator", tenantId: "acme" });
    expect(ops.passwordHash).toMatch(/^scrypt\$/);
    expect(ops.passwordHash).not.toContain("pw$");
  });
});
