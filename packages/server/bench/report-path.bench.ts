/**
 * `pnpm bench report-path`: the report path as users run it — whole processes, start-up
 * included — against the databases' own floors, in the same run, alternating.
 *
 * For each data set size (TALLY_BENCH_SIZES, default 1,000,000 and 10,000,000 protection
 * periods; see packages/adapters-storage/bench/dataset/) the rows are loaded once into a SQLite
 * file under bench-data/ and a PostgreSQL schema, both floors run once untimed (so that every
 * case finds the data in the databases' and the OS's caches), then TALLY_BENCH_RUNS times
 * (default 5), in turn:
 * - `sqlite3 -csv` printing the year-2025 rows (clipped, formatted, ordered) to a file;
 * - `tally report tenants --from 2025-01-01 --to 2026-01-01 --out FILE` on that file;
 * - a `tally worker` process (the built one, as installed, when there is a build) taking the
 *   same report from the queue (see WorkerRun.ts);
 * - `psql -c "COPY (…) TO STDOUT WITH CSV"` of the same rows from PostgreSQL;
 * - the same `tally report` and `tally worker` on PostgreSQL;
 * and, with TALLY_BENCH_BEFORE=<another checkout>, that checkout's `tally report` beside this
 * one's (on the smallest size), and the built `tally` (dist/: the bundled executable a registry
 * install runs, built first when stale; TALLY_BENCH_BUILD=0 skips it) beside the sources. Then
 * PDF reports of ~10k and ~100k rows (the big tenant) through `tally report` on SQLite.
 *
 * Every case is a whole process timed by GNU time (the worker: from its start to its "task
 * finished" log line), with its peak RSS. The table prints medians of the runs, ratios to the
 * floor and the targets (issue 12). Tally does more than the floors: it merges overlapping
 * periods, hashes the report and stores it durably as well as writing the file.
 */
import { mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  ensurePostgresDataSet,
  ensureSqliteDataSet,
} from "../../adapters-storage/bench/dataset/loadDataSet.ts";
import { YEAR_2025 } from "../../adapters-storage/bench/dataset/ProtectionDataSet.ts";
import { pdfPageCounter } from "../../renderers/bench/PdfPageCounter.ts";
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
import {
  type BenchStorage,
  forgetMigrationsAfter,
  postgresStorage,
  sqliteStorage,
} from "./wholeProcess/Storages.ts";
import {
  beforeEntry,
  distEntry,
  entryEnv,
  srcEntry,
  type TallyEntry,
  tallyArgs,
} from "./wholeProcess/TallyEntries.ts";
import { workerRun } from "./wholeProcess/WorkerRun.ts";

const root = new URL("../../../", import.meta.url).pathname;
const dataDir = join(root, "bench-data");
const sizes = (process.env.TALLY_BENCH_SIZES ?? "1000000,10000000").split(",").map(Number);
const runs = Math.max(1, Number(process.env.TALLY_BENCH_RUNS ?? 5));
const postgresUrl =
  process.env.TALLY_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const before = beforeEntry();
const dist = distEntry();
/** The last migration of the checkout `before` names (fb08088: the first release's one). */
const lastMigrationBefore = process.env.TALLY_BENCH_BEFORE_MIGRATION ?? "0001_initial_schema";
const out = join(dataDir, "report-path.out");

/** The year's rows as the report has them, for the command-line floors. */
const floorQuery = (dialect: "sqlite" | "postgres", prefix: string): string => {
  const { start, end } = YEAR_2025;
  const iso = (column: string) =>
    dialect === "sqlite"
      ? `strftime('%Y-%m-%dT%H:%M:%S+00:00', ${column} / 1000, 'unixepoch')`
      : `to_char(to_timestamp(${column} / 1000) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')`;
  const [max, min] = dialect === "sqlite" ? ["max", "min"] : ["greatest", "least"];
  return (
    `select p.tenant_id, t.name, p.vm_id, v.name, ${iso(`${max}(p.start_at, ${start})`)}, ` +
    `${iso(`${min}(p.end_at, ${end})`)} from ${prefix}protection_periods p ` +
    `join ${prefix}vms v on v.id = p.vm_id left join ${prefix}tenants t on t.id = p.tenant_id ` +
    `where p.start_at < ${end} and p.end_at > ${start} order by p.tenant_id, p.vm_id, p.start_at, p.end_at`
  );
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `tally report tenants` of an interval into `out`, whole; the stored report is removed after. */
const tallyReport =
  (
    entry: TallyEntry,
    storage: BenchStorage,
    format: "csv" | "pdf",
    interval: { readonly start: number; readonly end: number },
    tenantId?: string,
  ) =>
  (): Sample => {
    const sample = timed({
      command: entry.node,
      args: tallyArgs(entry, [
        "report",
        "tenants",
        "--from",
        day(interval.start),
        "--to",
        day(interval.end),
        "--format",
        format,
        "--out",
        out,
        ...(tenantId === undefined ? [] : ["--tenant", tenantId]),
      ]),
      env: { ...entryEnv(entry), TALLY_STORAGE: storage.location, TALLY_LOG_LEVEL: "warn" },
    });
    storage.clean();
    return sample;
  };

/** The pages and the size of the PDF last written to `out`. */
const pdfOut = (): { readonly pages: number; readonly bytes: number } => {
  const counter = pdfPageCounter();
  counter.add(readFileSync(out));
  return { pages: counter.pages, bytes: statSync(out).size };
};

/** The number of lines of `out` (rows plus a header for Tally's CSV). */
const linesOut = (): number => readFileSync(out).reduce((n, byte) => (byte === 10 ? n + 1 : n), 0);

ensureBenchTools();
mkdirSync(dataDir, { recursive: true });
const table: Array<TableRow> = [];
/** Per size and case, the summary (for the 10M / 1M comparisons). */
const bySize = new Map<number, Map<string, Summary>>();
/** Report lines of Tally's CSV per size (rows/s). */
const reportRows = new Map<number, number>();

const row = (
  name: string,
  s: Summary,
  floor: Summary | undefined,
  rows: number,
  target: string,
  judged: string,
): TableRow => ({
  case: name,
  "median s": fmt(s.seconds),
  "vs floor": floor === undefined ? "" : `${fmt(s.seconds / floor.seconds)}×`,
  "rows/s": rows > 0 ? fmt(rows / s.seconds, 0) : "",
  "peak RSS MiB": fmt(s.peakRssMiB, 0),
  target,
  verdict: judged,
});

for (const size of sizes) {
  const file = join(dataDir, `periods-${size}.sqlite`);
  const schema = `tally_bench_${size}`;
  let t0 = performance.now();
  const builtSqlite = await ensureSqliteDataSet(file, size);
  console.log(
    `data set ${size}: SQLite ${builtSqlite ? "loaded" : "reused"} (${fmt((performance.now() - t0) / 1000, 1)} s, ${fmt(statSync(file).size / 2 ** 20, 0)} MiB)`,
  );
  t0 = performance.now();
  const builtPg = await ensurePostgresDataSet(postgresUrl, schema, size);
  console.log(
    `data set ${size}: PostgreSQL ${builtPg ? "loaded" : "reused"} (${fmt((performance.now() - t0) / 1000, 1)} s)`,
  );
  const sqlite = sqliteStorage(file);
  const postgres = postgresStorage(postgresUrl, schema);
  sqlite.clean();
  postgres.clean();
  const csvCases = (storage: BenchStorage): Array<BenchCase> => [
    { name: `Tally ${storage.name}`, run: tallyReport(srcEntry, storage, "csv", YEAR_2025) },
    ...(before === undefined || size !== Math.min(...sizes)
      ? []
      : [
          {
            name: `before ${storage.name}`,
            run: () => {
              forgetMigrationsAfter(storage, lastMigrationBefore);
              return tallyReport(before, storage, "csv", YEAR_2025)();
            },
          },
        ]),
    ...(dist === undefined
      ? []
      : [{ name: `dist ${storage.name}`, run: tallyReport(dist, storage, "csv", YEAR_2025) }]),
    {
      name: `worker ${storage.name}`,
      run: async () => {
        const sample = await workerRun(dist ?? srcEntry, storage, { format: "csv", ...YEAR_2025 });
        storage.clean();
        return sample;
      },
    },
  ];
  const sqliteFloor: BenchCase = {
    name: "sqlite3",
    run: () =>
      timed({ command: "sqlite3", args: ["-csv", file, floorQuery("sqlite", "")], stdout: out }),
  };
  const psqlFloor: BenchCase = {
    name: "psql",
    run: () =>
      timed({
        command: "psql",
        args: [
          postgresUrl,
          "-X",
          "-q",
          "-c",
          `copy (${floorQuery("postgres", `"${schema}".`)}) to stdout with csv`,
        ],
        stdout: out,
      }),
  };
  // Each floor once, untimed, first: every timed case then finds the data set in PostgreSQL's
  // and the OS's caches, whichever data set ran before. (psql's time depends on its plan as
  // well, which its statistics choose: 1.28 s with an ordered index scan, 1.67 s with a sort,
  // for the same 1M rows; see the README.)
  for (const floor of [sqliteFloor, psqlFloor]) {
    const warm = await floor.run();
    console.log(`  ${size / 1e6}M warm-up (not timed): ${floor.name} ${fmt(warm.seconds)} s`);
  }
  const samples = await alternate(`${size / 1e6}M`, runs, [
    sqliteFloor,
    ...csvCases(sqlite),
    psqlFloor,
    ...csvCases(postgres),
  ]);
  // One more report, not timed, for its line count (rows/s counts Tally's merged lines).
  tallyReport(srcEntry, sqlite, "csv", YEAR_2025)();
  reportRows.set(size, linesOut() - 1);
  const summaries = new Map([...samples].map(([name, s]) => [name, summarise(s)]));
  bySize.set(size, summaries);
  const label = `${size / 1e6}M`;
  const rows = reportRows.get(size) ?? 0;
  for (const [floorName, backend, limit] of [
    ["sqlite3", "SQLite", 1.3],
    ["psql", "PostgreSQL", 1.5],
  ] as const) {
    const floor = summaries.get(floorName) as Summary;
    const floorTitle = floorName === "sqlite3" ? "`sqlite3 -csv`" : "`psql COPY`";
    table.push(row(`${floorTitle}, ${label} (floor)`, floor, undefined, 0, "", ""));
    for (const [name, title] of [
      [`Tally ${backend}`, `\`tally report\` CSV on ${backend}, ${label}`],
      [`before ${backend}`, `before: \`tally report\` CSV on ${backend}, ${label}`],
      [`dist ${backend}`, `\`tally report\` (dist) CSV on ${backend}, ${label}`],
      [
        `worker ${backend}`,
        `\`tally worker\`${dist === undefined ? "" : " (dist)"} CSV on ${backend}, ${label}`,
      ],
    ] as const) {
      const s = summaries.get(name);
      if (s === undefined) continue;
      const ratio = s.seconds / floor.seconds;
      const judged = name.startsWith("before")
        ? ""
        : verdicts(verdict(ratio, limit, " time"), verdict(s.peakRssMiB, 160, " RSS"));
      const target = name.startsWith("before") ? "" : `≤ ${limit}×, ≤ 160 MiB`;
      table.push(row(title, s, floor, rows, target, judged));
    }
  }
}

const small = bySize.get(Math.min(...sizes));
const large = bySize.get(Math.max(...sizes));
if (small !== undefined && large !== undefined && sizes.length > 1) {
  const factor = Math.max(...sizes) / Math.min(...sizes);
  for (const name of ["Tally SQLite", "worker SQLite", "Tally PostgreSQL", "worker PostgreSQL"]) {
    const a = small.get(name);
    const b = large.get(name);
    if (a === undefined || b === undefined) continue;
    const perRow = b.seconds / factor / a.seconds;
    const rss = b.peakRssMiB / a.peakRssMiB;
    table.push({
      case: `${name}: 10M vs 1M, time per row / peak RSS`,
      "median s": "",
      "vs floor": `${fmt(perRow)}× / ${fmt(rss)}×`,
      "rows/s": "",
      "peak RSS MiB": "",
      target: "≤ 1.1× / ≤ 1.1×",
      verdict: verdicts(verdict(perRow, 1.1, " time"), verdict(rss, 1.1, " RSS")),
    });
  }
}

// PDF through `tally report` on the smallest data set: the big tenant over ~3.5 weeks (~10k
// rows) and over the year (~100k rows).
const pdfStorage = sqliteStorage(join(dataDir, `periods-${Math.min(...sizes)}.sqlite`));
for (const interval of [{ start: YEAR_2025.start, end: Date.UTC(2025, 0, 25) }, YEAR_2025]) {
  const samples = await alternate("PDF", runs, [
    { name: "Tally PDF", run: tallyReport(srcEntry, pdfStorage, "pdf", interval, "t000") },
  ]);
  const s = summarise(samples.get("Tally PDF") ?? []);
  const { pages } = pdfOut();
  const pagesPerSecond = pages / s.seconds;
  table.push({
    case: `\`tally report\` PDF, ${pages} pages (${day(interval.start)}–${day(interval.end)}, t000)`,
    "median s": fmt(s.seconds),
    "vs floor": "",
    "rows/s": `${fmt(pagesPerSecond, 0)} pages/s`,
    "peak RSS MiB": fmt(s.peakRssMiB, 0),
    target: "≤ 200 MiB",
    verdict: verdict(s.peakRssMiB, 200, " RSS"),
  });
}
rmSync(out, { force: true });

console.log(
  `\nreport path: whole processes, median of ${runs} alternating runs, highest peak RSS; load at the end ${loadAverage()} (2 cores shared by everything).`,
);
console.table(table);
