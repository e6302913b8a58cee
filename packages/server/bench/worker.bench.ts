/**
 * `pnpm bench server`: what the server's processes spend their time on, over a SQLite file.
 *
 * - import: `tally import protection-periods` of a generated CSV (read, decode, write in one
 *   transaction);
 * - report: one worker step (`runNextTask`) for a CSV and a PDF of every period, and the
 *   longest the event loop was blocked meanwhile. In `tally serve` that gap is how late an
 *   HTTP request or a SIGTERM can be noticed while a report renders.
 *
 * Rows: `TALLY_BENCH_ROWS` (default 50,000). Not a test: it prints, it does not judge.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { FactImport } from "@tally/adapters-storage";
import {
  defaultTallySettings,
  parseTimeZoneSpec,
  runNextTask,
  SystemClock,
  submitReport,
  TallySettings,
  TenantDirectory,
} from "@tally/core";
import { ReportRenderersLive } from "@tally/renderers";
import { Effect, Layer, References, Result } from "effect";
import { importBatches } from "../src/importing/readImportFile.ts";
import { commandLinePrincipal } from "../src/wiring/CommandLinePrincipal.ts";
import { RandomIdGeneratorLayer } from "../src/wiring/RandomIdGenerator.ts";
import { storageLayer } from "../src/wiring/StorageLayer.ts";

const rows = Number(process.env.TALLY_BENCH_ROWS ?? 50_000);
const vms = 1_000;
const dir = mkdtempSync(join(tmpdir(), "tally-bench-"));
const csv = join(dir, "periods.csv");
const start = Date.UTC(2024, 0, 1);
const lines = ["id,vmId,start,end"];
for (let i = 0; i < rows; i++) {
  const at = start + Math.floor(i / vms) * 3 * 3_600_000;
  lines.push(
    `p${i},vm${i % vms},${new Date(at).toISOString()},${new Date(at + 3_600_000).toISOString()}`,
  );
}
writeFileSync(csv, `${lines.join("\n")}\n`);

const layer = Layer.mergeAll(
  storageLayer({ _tag: "Sqlite", filename: join(dir, "bench.sqlite") }),
  ReportRenderersLive,
  RandomIdGeneratorLayer,
  SystemClock.layer,
  Layer.succeed(TallySettings, defaultTallySettings),
);

/** Runs `effect`, timing it and the longest event-loop block meanwhile. */
const measured = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const t0 = performance.now();
    const value = yield* effect;
    const ms = performance.now() - t0;
    delay.disable();
    return { value, ms, maxBlockMs: delay.max / 1e6 };
  });

const table: Array<Record<string, string | number>> = [];

await Effect.runPromise(
  Effect.gen(function* () {
    const directory = yield* TenantDirectory;
    yield* directory.upsertTenants([{ id: "bench", name: "Bench" }]);
    yield* directory.upsertVms(
      Array.from({ length: vms }, (_, i) => ({ id: `vm${i}`, name: `VM ${i}`, tenantId: "bench" })),
    );
    const bulk = yield* FactImport;
    const imported = yield* measured(
      Effect.flatMap(importBatches("protection-periods", csv), (batches) =>
        bulk.importFacts("protection-periods", batches),
      ),
    );
    table.push({
      step: "import protection-periods (CSV)",
      rows: imported.value,
      ms: Math.round(imported.ms),
      "rows/s": Math.round(imported.value / (imported.ms / 1000)),
      "max event-loop block ms": Math.round(imported.maxBlockMs),
    });
    for (const format of ["csv", "pdf"] as const) {
      yield* submitReport(commandLinePrincipal, {
        type: "CreateTenantReport",
        start,
        end: Date.UTC(2025, 0, 1),
        zone: Result.getOrThrow(parseTimeZoneSpec("UTC")),
        format,
      });
      const ran = yield* measured(runNextTask("bench-worker"));
      table.push({
        step: `worker: tenant report ${format.toUpperCase()}`,
        rows,
        ms: Math.round(ran.ms),
        "rows/s": Math.round(rows / (ran.ms / 1000)),
        "max event-loop block ms": Math.round(ran.maxBlockMs),
      });
    }
  }).pipe(Effect.provide(layer), Effect.provideService(References.MinimumLogLevel, "None")),
);

console.log(`server bench: ${rows} protection periods of ${vms} VMs, SQLite in ${dir}`);
console.table(table);
