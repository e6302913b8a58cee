/**
 * `pnpm bench import-path`: `tally import` as users run it — whole processes — against the
 * databases' own bulk loaders, in the same run, alternating.
 *
 * For each data set size (TALLY_BENCH_SIZES, default 1,000,000 and 10,000,000 protection
 * periods; the benchmark's data set as CSV, see importPath/ImportFiles.ts, written once into
 * bench-data/), TALLY_BENCH_RUNS times (default 5), in turn:
 * - `sqlite3 .import` of the file into a table with a primary key and a second index (as
 *   `protection_periods` has), in a copy of a database holding the tenants and VMs;
 * - `tally import protection-periods FILE` into another such copy — and then the same file
 *   again into it (a re-send, which must change nothing);
 * - `psql -c "\copy … FROM FILE"` into such a table in PostgreSQL;
 * - `tally import protection-periods FILE` into a PostgreSQL schema holding the tenants and
 *   VMs (its periods emptied before each run), and the re-send;
 * and, with TALLY_BENCH_BEFORE=<another checkout>, that checkout's `tally import periods` of the
 * smallest size beside this one's. Preparing each run (copying, emptying) is not measured.
 *
 * Tally does more than the loaders: it checks every row (text, ids, instants, a period's end
 * after its start) and every period's VM, takes each period's tenant from its VM, keeps the
 * last of repeated ids, and writes all or nothing.
 */
import { copyFileSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { ensureImportFiles } from "./importPath/ImportFiles.ts";
import { ensureBenchTools } from "./wholeProcess/BenchTools.ts";
import {
  alternate,
  type BenchCase,
  fmt,
  loadAverage,
  type Sample,
  type Summary,
  summarise,
  type TableRow,
  timed,
  verdict,
  verdicts,
} from "./wholeProcess/Measure.ts";
import { forgetMigrationsAfter, postgresStorage, sqliteStorage } from "./wholeProcess/Storages.ts";
import {
  beforeEntry,
  distEntry,
  srcEntry,
  type TallyEntry,
  tallyArgs,
} from "./wholeProcess/TallyEntries.ts";

const root = new URL("../../../", import.meta.url).pathname;
const dataDir = join(root, "bench-data");
const workDir = join(dataDir, "import-path");
const sizes = (process.env.TALLY_BENCH_SIZES ?? "1000000,10000000").split(",").map(Number);
const runs = Math.max(1, Number(process.env.TALLY_BENCH_RUNS ?? 5));
const postgresUrl =
  process.env.TALLY_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const before = beforeEntry();
const dist = distEntry();
/** The last migration of the checkout `before` names (fb08088: the first release's one). */
const lastMigrationBefore = process.env.TALLY_BENCH_BEFORE_MIGRATION ?? "0001_initial_schema";
const tallySchema = "tally_bench_import";
const floorSchema = "tally_bench_import_floor";

const floorTable = (collate: string) =>
  `create table periods_import (id text${collate} primary key, vm_id text${collate} not null, ` +
  "start_at text not null, end_at text); " +
  "create index periods_import_order on periods_import (vm_id, start_at, end_at);";

/** Runs `tally` to its end (set-up, not measured). */
const tally = (entry: TallyEntry, storage: string, args: ReadonlyArray<string>): Sample =>
  timed({
    command: entry.node,
    args: tallyArgs(entry, args),
    env: { TALLY_STORAGE: storage, TALLY_LOG_LEVEL: "warn" },
  });

ensureBenchTools();
rmSync(workDir, { recursive: true, force: true });
mkdirSync(workDir, { recursive: true });

// The directory every run starts from: Tally's schema with the tenants and VMs, on both backends.
const files = await ensureImportFiles(dataDir, Math.min(...sizes));
const sqliteTemplate = join(workDir, "template.sqlite");
const pg = postgresStorage(postgresUrl, tallySchema);
const pgFloor = postgresStorage(postgresUrl, floorSchema);
pg.sql(`drop schema if exists "${tallySchema}" cascade`);
for (const storage of [sqliteTemplate, pg.location]) {
  tally(srcEntry, storage, ["import", "tenants", files.tenants]);
  tally(srcEntry, storage, ["import", "vms", files.vms]);
}
const sqliteFloorTemplate = join(workDir, "floor-template.sqlite");
copyFileSync(sqliteTemplate, sqliteFloorTemplate);
timed({ command: "sqlite3", args: [sqliteFloorTemplate, floorTable("")] });
pgFloor.sql(`drop schema if exists "${floorSchema}" cascade; create schema "${floorSchema}"`);

/** A fresh copy of a SQLite file (its WAL and reports directory gone). */
const freshCopy = (template: string, copy: string): string => {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${copy}${suffix}`, { force: true });
  rmSync(`${copy}.reports`, { recursive: true, force: true });
  copyFileSync(template, copy);
  return copy;
};

const table: Array<TableRow> = [];
const bySize = new Map<number, Map<string, Summary>>();

for (const size of sizes) {
  const csv = (await ensureImportFiles(dataDir, size)).periods;
  console.log(
    `import file ${size}: ${csv} (${fmt(statSync(csv).size / 2 ** 20, 0)} MiB); load ${loadAverage()}`,
  );
  const work = join(workDir, "work.sqlite");
  const resends = new Map<string, Array<Sample>>([
    ["Tally SQLite re-send", []],
    ["Tally PostgreSQL re-send", []],
  ]);
  /** A Tally import, then (measured apart) the same file again. */
  const tallyImport =
    (entry: TallyEntry, backend: "SQLite" | "PostgreSQL", resend: boolean) => (): Sample => {
      if (backend === "PostgreSQL") pg.sql("truncate protection_periods");
      const storage = backend === "SQLite" ? freshCopy(sqliteTemplate, work) : pg.location;
      if (entry === before) {
        forgetMigrationsAfter(
          backend === "SQLite" ? sqliteStorage(storage) : pg,
          lastMigrationBefore,
        );
      }
      const args = ["import", entry.periodsKind, csv];
      const sample = tally(entry, storage, args);
      if (resend) resends.get(`Tally ${backend} re-send`)?.push(tally(entry, storage, args));
      return sample;
    };
  const cases: Array<BenchCase> = [
    {
      name: "sqlite3",
      run: () =>
        timed({
          command: "sqlite3",
          args: [
            freshCopy(sqliteFloorTemplate, work),
            `.import --csv --skip 1 ${csv} periods_import`,
          ],
        }),
    },
    { name: "Tally SQLite", run: tallyImport(srcEntry, "SQLite", true) },
    ...(dist === undefined
      ? []
      : [{ name: "dist SQLite", run: tallyImport(dist, "SQLite", false) }]),
    ...(before !== undefined && size === Math.min(...sizes)
      ? [{ name: "before SQLite", run: tallyImport(before, "SQLite", false) }]
      : []),
    {
      name: "psql",
      run: () => {
        pgFloor.sql(`drop table if exists periods_import; ${floorTable(' collate "C"')}`);
        return timed({
          command: "psql",
          args: [
            postgresUrl,
            "-X",
            "-q",
            "-c",
            `\\copy "${floorSchema}".periods_import from '${csv}' with (format csv, header)`,
          ],
        });
      },
    },
    { name: "Tally PostgreSQL", run: tallyImport(srcEntry, "PostgreSQL", true) },
    ...(dist === undefined
      ? []
      : [{ name: "dist PostgreSQL", run: tallyImport(dist, "PostgreSQL", false) }]),
    ...(before !== undefined && size === Math.min(...sizes)
      ? [{ name: "before PostgreSQL", run: tallyImport(before, "PostgreSQL", false) }]
      : []),
  ];
  const samples = await alternate(`${size / 1e6}M`, runs, cases);
  for (const [name, resent] of resends) samples.set(name, resent);
  const summaries = new Map([...samples].map(([name, s]) => [name, summarise(s)]));
  bySize.set(size, summaries);
  const label = `${size / 1e6}M`;
  for (const [floorName, floorTitle, backend] of [
    ["sqlite3", "`sqlite3 .import`", "SQLite"],
    ["psql", "`psql \\copy`", "PostgreSQL"],
  ] as const) {
    const floor = summaries.get(floorName) as Summary;
    table.push({
      case: `${floorTitle}, ${label} (floor)`,
      "median s": fmt(floor.seconds),
      "vs floor": "",
      "rows/s": fmt(size / floor.seconds, 0),
      "peak RSS MiB": fmt(floor.peakRssMiB, 0),
      target: "",
      verdict: "",
    });
    for (const [name, title, judged] of [
      [`Tally ${backend}`, `\`tally import\` on ${backend}, ${label}`, true],
      [`Tally ${backend} re-send`, `the same file again, ${label}`, true],
      [`dist ${backend}`, `\`tally import\` (dist) on ${backend}, ${label}`, true],
      [`before ${backend}`, `before: \`tally import periods\` on ${backend}, ${label}`, false],
    ] as const) {
      const s = summaries.get(name);
      if (s === undefined || s.runs === 0) continue;
      const ratio = s.seconds / floor.seconds;
      table.push({
        case: title,
        "median s": fmt(s.seconds),
        "vs floor": `${fmt(ratio)}×`,
        "rows/s": fmt(size / s.seconds, 0),
        "peak RSS MiB": fmt(s.peakRssMiB, 0),
        target: judged ? "≤ 3×, ≤ 160 MiB" : "",
        verdict: judged
          ? verdicts(verdict(ratio, 3, " time"), verdict(s.peakRssMiB, 160, " RSS"))
          : "",
      });
    }
  }
}

const small = bySize.get(Math.min(...sizes));
const large = bySize.get(Math.max(...sizes));
if (small !== undefined && large !== undefined && sizes.length > 1) {
  const factor = Math.max(...sizes) / Math.min(...sizes);
  for (const name of ["Tally SQLite", "Tally PostgreSQL"]) {
    const a = small.get(name) as Summary;
    const b = large.get(name) as Summary;
    const perRow = b.seconds / factor / a.seconds;
    const rss = b.peakRssMiB / a.peakRssMiB;
    table.push({
      case: `${name}: 10M vs 1M, time per row / peak RSS`,
      "median s": "",
      "vs floor": `${fmt(perRow)}× / ${fmt(rss)}×`,
      "rows/s": "",
      "peak RSS MiB": "",
      target: "— / ≤ 1.1×",
      verdict: verdict(rss, 1.1, " RSS"),
    });
  }
}

pg.sql(`drop schema if exists "${tallySchema}" cascade`);
pgFloor.sql(`drop schema if exists "${floorSchema}" cascade`);
rmSync(workDir, { recursive: true, force: true });
console.log(
  `\nimport path: whole processes, median of ${runs} alternating runs, highest peak RSS; load at the end ${loadAverage()} (2 cores shared by everything).`,
);
console.table(table);
