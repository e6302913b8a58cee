/**
 * `tally demo-report`: the newcomer's one command. Loads the demo data set into a fresh SQLite
 * file under ./.tally (whatever storage is configured: this never touches real data), makes a
 * tenant protection CSV and PDF and a license overview PDF for 2024, prints where they are, the
 * first lines of the CSV and the command that serves the demo's database (README's test runs it).
 */
import { readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseTimeZoneSpec, type SubmitReportInput } from "@tally/core";
import { Console, Effect, Result } from "effect";
import { loadDemoData } from "../../demo/loadDemoData.ts";
import { produceReportFile } from "../produceReportFile.ts";
import { serveCommandHint } from "../ServeCommandHint.ts";
import { withTally } from "../withTally.ts";
import { commandFieldNames } from "./report.ts";

/** What `tally demo-report` was given. */
export interface DemoReportInput {
  readonly dir: string;
}

const year2024 = { start: Date.UTC(2024, 0, 1), end: Date.UTC(2025, 0, 1) };
const utc = Result.getOrThrow(parseTimeZoneSpec("UTC"));

/** Runs the demo end to end. */
export const runDemoReport = (configPath: string | undefined, input: DemoReportInput) => {
  const dir = resolve(input.dir);
  const database = join(dir, "demo.sqlite");
  const reports = join(dir, "reports");
  return Effect.gen(function* () {
    // A fresh database each time: the demo's output depends on the demo data only.
    yield* Effect.promise(() =>
      Promise.all(
        [database, `${database}-wal`, `${database}-shm`, `${database}.reports`].map((path) =>
          rm(path, { recursive: true, force: true }),
        ),
      ),
    );
    yield* withTally(
      {
        configPath,
        logTo: "stderr",
        adjust: (config) => ({ ...config, storage: { _tag: "Sqlite", filename: database } }),
      },
      () =>
        Effect.gen(function* () {
          yield* loadDemoData();
          // Each file is named by the one rule (`reportFileName`), as `tally report` names it.
          const make = (input: SubmitReportInput, label: string) =>
            produceReportFile(input, { fieldNames: commandFieldNames, dir: reports, label });
          const tenants: SubmitReportInput = {
            type: "CreateTenantReport",
            ...year2024,
            zone: utc,
            format: "csv",
          };
          const csv = yield* make(tenants, "tenant protection CSV");
          const pdf = yield* make({ ...tenants, format: "pdf" }, "tenant protection PDF");
          const licenses = yield* make(
            { type: "CreateLicenseOverviewReport", ...year2024, zone: utc, format: "pdf" },
            "license overview PDF",
          );
          yield* Console.log(`Demo data loaded into ${database}`);
          yield* Console.log("Reports for 2024 (UTC):");
          for (const file of [csv, pdf, licenses]) {
            yield* Console.log(
              `  ${file.path}  (${file.meta.rowCount} rows, ${file.meta.byteSize} bytes)`,
            );
          }
          const text = yield* Effect.promise(() => readFile(csv.path, "utf8"));
          const lines = text.split(/\r?\n/).filter((line) => line !== "");
          yield* Console.log(`First lines of ${csv.path}:`);
          for (const line of lines.slice(0, 8)) yield* Console.log(`  ${line}`);
          if (lines.length > 8) yield* Console.log(`  … (${lines.length - 1} data lines in all)`);
          yield* Console.log("Serve this data (log in as admin / admin):");
          yield* Console.log(`  ${serveCommandHint(database)}`);
        }),
    );
  });
};
