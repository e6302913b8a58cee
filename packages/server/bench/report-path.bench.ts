/**
 * `pnpm bench report-path`: the whole report path against the databases' own floors.
 *
 * For each data set size (TALLY_BENCH_SIZES, default 1,000,000 and 10,000,000 protection
 * periods; see packages/adapters-storage/bench/dataset/) it loads the rows once into a SQLite
 * file under bench-data/ and a PostgreSQL schema, then runs, alternating, TALLY_BENCH_RUNS times
 * (default 5):
 * - `sqlite3 -csv` printing the year-2025 rows (clipped, formatted, ordered) to a file;
 * - Tally on that SQLite file: a tenant CSV report of 2025, task submitted → report stored;
 * - `psql -c "COPY (…) TO STDOUT WITH CSV"` of the same rows from PostgreSQL;
 * - Tally on that PostgreSQL schema, the same report.
 * Then PDF reports of ~10k and ~100k rows (the big tenant) through Tally on SQLite.
 *
 * Each Tally run is a fresh process (reportPath/runOneReport.ts) timing submission → stored
 * report and reporting its peak RSS; the command-line floors are timed as whole processes with
 * their peak RSS from GNU time. The table prints medians, ratios and the issue's targets.
 * Tally's figures include what the floors do not do: merging overlapping periods, the per-tenant
 * bookkeeping, hashing the bytes and storing the report durably.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  ensurePostgresDataSet,
  ensureSqliteDataSet,
} from "../../adapters-storage/bench/dataset/loadDataSet.ts";
import { YEAR_2025 } from "../../adapters-storage/bench/dataset/ProtectionDataSet.ts";
import { ensureBenchTools } from "./reportPath/BenchTools.ts";

const root = new URL("../../../", import.meta.url).pathname;
const dataDir = join(root, "bench-data");
const sizes = (process.env.TALLY_BENCH_SIZES ?? "1000000,10000000").split(",").map(Number);
const runs = Math.max(5, Number(process.env.TALLY_BENCH_RUNS ?? 5));
const postgresUrl =
  process.env.TALLY_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const runner = join(root, "packages/server/bench/reportPath/runOneReport.ts");

/** One measured run. */
interface Sample {
  readonly seconds: number;
  readonly rows: number;
  readonly peakRssMiB: number;
  readonly pages?: number | null;
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Runs a command line under GNU time, stdout to `out`; wall seconds and peak RSS. */
const timedCommand = (command: string, args: ReadonlyArray<string>, out: string): Sample => {
  const timing = join(dataDir, "time.txt");
  const run = spawnSync(
    "bash",
    ["-c", '/usr/bin/time -f "%e %M" -o "$0" "$@" > "$OUT"', timing, command, ...args],
    { env: { ...process.env, OUT: out }, stdio: ["ignore", "inherit", "inherit"] },
  );
  if (run.status !== 0) throw new Error(`${command} exited ${run.status}`);
  const [seconds = "0", kib = "0"] = readFileSync(timing, "utf8").trim().split(/\s+/).slice(-2);
  const rows = Number(
    spawnSync("wc", ["-l", out], { encoding: "utf8" }).stdout.trim().split(" ")[0],
  );
  rmSync(out, { force: true });
  return { seconds: Number(seconds), rows, peakRssMiB: Number(kib) / 1024 };
};

/** One report through Tally in a fresh process. */
const tallyReport = (
  storage: string,
  format: "csv" | "pdf",
  interval: { readonly start: number; readonly end: number },
  tenantId?: string,
): Sample => {
  const run = spawnSync(
    process.execPath,
    // The V8 setting `pnpm tally` runs workers with (see packages/server/src/bin/tally.ts).
    [
      "--max-semi-space-size=4",
      runner,
      storage,
      format,
      String(interval.start),
      String(interval.end),
      ...(tenantId ? [tenantId] : []),
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 20 },
  );
  if (run.status !== 0) throw new Error(`Tally report exited ${run.status}: ${run.stdout}`);
  const line = JSON.parse(run.stdout.trim().split("\n").at(-1) as string) as {
    ms: number;
    rows: number;
    pages: number | null;
    peakRssKiB: number;
  };
  return {
    seconds: line.ms / 1000,
    rows: line.rows,
    pages: line.pages,
    peakRssMiB: line.peakRssKiB / 1024,
  };
};

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

interface Row {
  case: string;
  "median s": string;
  "vs floor": string;
  target: string;
  "rows/s": string;
  "pages/s": string;
  "peak RSS MiB": string;
  verdict: string;
}

const table: Array<Row> = [];
const fmt = (n: number, digits = 2) => n.toFixed(digits);
const summarise = (samples: ReadonlyArray<Sample>) => ({
  seconds: median(samples.map((s) => s.seconds)),
  rows: samples[0]?.rows ?? 0,
  peakRssMiB: Math.max(...samples.map((s) => s.peakRssMiB)),
  pages: samples[0]?.pages ?? null,
});

ensureBenchTools();
mkdirSync(dataDir, { recursive: true });
/** Per size, Tally's seconds per row on SQLite and PostgreSQL (for the 10M ≤ 1.1× 1M check). */
const perRow = new Map<number, { sqlite: number; postgres: number }>();

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
  const samples = {
    sqlite3: [] as Sample[],
    tallySqlite: [] as Sample[],
    psql: [] as Sample[],
    tallyPg: [] as Sample[],
  };
  const out = join(dataDir, "floor.csv");
  for (let run = 1; run <= runs; run++) {
    samples.sqlite3.push(timedCommand("sqlite3", ["-csv", file, floorQuery("sqlite", "")], out));
    samples.tallySqlite.push(tallyReport(`sqlite:${file}`, "csv", YEAR_2025));
    samples.psql.push(
      timedCommand(
        "psql",
        [
          postgresUrl,
          "-X",
          "-q",
          "-c",
          `copy (${floorQuery("postgres", `"${schema}".`)}) to stdout with csv`,
        ],
        out,
      ),
    );
    samples.tallyPg.push(tallyReport(`postgres:${postgresUrl}#${schema}`, "csv", YEAR_2025));
    console.log(
      `  run ${run}/${runs}: sqlite3 ${fmt(samples.sqlite3.at(-1)?.seconds ?? 0)} s, Tally/SQLite ${fmt(samples.tallySqlite.at(-1)?.seconds ?? 0)} s, psql ${fmt(samples.psql.at(-1)?.seconds ?? 0)} s, Tally/PostgreSQL ${fmt(samples.tallyPg.at(-1)?.seconds ?? 0)} s`,
    );
  }
  const sqlite3 = summarise(samples.sqlite3);
  const tallySqlite = summarise(samples.tallySqlite);
  const psql = summarise(samples.psql);
  const tallyPg = summarise(samples.tallyPg);
  perRow.set(size, {
    sqlite: tallySqlite.seconds / tallySqlite.rows,
    postgres: tallyPg.seconds / tallyPg.rows,
  });
  const label = `${size / 1e6}M`;
  const floorRow = (name: string, s: ReturnType<typeof summarise>): Row => ({
    case: `${name} (${label}, floor)`,
    "median s": fmt(s.seconds),
    "vs floor": "1.00×",
    target: "",
    "rows/s": fmt(s.rows / s.seconds, 0),
    "pages/s": "",
    "peak RSS MiB": fmt(s.peakRssMiB, 0),
    verdict: "",
  });
  const tallyRow = (
    name: string,
    s: ReturnType<typeof summarise>,
    floor: number,
    limit: number,
  ): Row => {
    const ratio = s.seconds / floor;
    const rssOk = s.peakRssMiB <= 160;
    return {
      case: `Tally CSV on ${name} (${label})`,
      "median s": fmt(s.seconds),
      "vs floor": `${fmt(ratio)}×`,
      target: `≤ ${limit}×, ≤ 160 MiB`,
      "rows/s": fmt(s.rows / s.seconds, 0),
      "pages/s": "",
      "peak RSS MiB": fmt(s.peakRssMiB, 0),
      verdict:
        ratio <= limit && rssOk
          ? "PASS"
          : `MISS${ratio > limit ? " (time)" : ""}${rssOk ? "" : " (RSS)"}`,
    };
  };
  table.push(
    floorRow("sqlite3 -csv", sqlite3),
    tallyRow("SQLite", tallySqlite, sqlite3.seconds, 1.2),
    floorRow("psql COPY", psql),
    tallyRow("PostgreSQL", tallyPg, psql.seconds, 1.5),
  );
}

const small = perRow.get(Math.min(...sizes));
const large = perRow.get(Math.max(...sizes));
if (small && large && sizes.length > 1) {
  for (const backend of ["sqlite", "postgres"] as const) {
    const ratio = large[backend] / small[backend];
    table.push({
      case: `Tally CSV ${backend}: time per row, ${Math.max(...sizes) / 1e6}M vs ${Math.min(...sizes) / 1e6}M`,
      "median s": "",
      "vs floor": `${fmt(ratio)}×`,
      target: "≤ 1.1×",
      "rows/s": "",
      "pages/s": "",
      "peak RSS MiB": "",
      verdict: ratio <= 1.1 ? "PASS" : "MISS",
    });
  }
}

// PDF through Tally on the smallest data set: the big tenant over ~3.5 weeks (~10k rows) and
// over the year (~100k rows).
const pdfFile = join(dataDir, `periods-${Math.min(...sizes)}.sqlite`);
for (const [name, interval] of [
  ["~10k rows", { start: YEAR_2025.start, end: Date.UTC(2025, 0, 25) }],
  ["~100k rows", YEAR_2025],
] as const) {
  const samples: Sample[] = [];
  for (let run = 1; run <= runs; run++)
    samples.push(tallyReport(`sqlite:${pdfFile}`, "pdf", interval, "t000"));
  const s = summarise(samples);
  const pagesPerSecond = (s.pages ?? 0) / s.seconds;
  table.push({
    case: `Tally PDF, ${s.rows} rows, ${s.pages} pages`,
    "median s": fmt(s.seconds),
    "vs floor": "",
    target: "≥ 200 pages/s, ≤ 200 MiB",
    "rows/s": fmt(s.rows / s.seconds, 0),
    "pages/s": fmt(pagesPerSecond, 0),
    "peak RSS MiB": fmt(s.peakRssMiB, 0),
    verdict: pagesPerSecond >= 200 && s.peakRssMiB <= 200 ? "PASS" : "MISS",
  });
  console.log(`  PDF ${name}: ${samples.map((x) => fmt(x.seconds)).join(", ")} s`);
}

console.log(
  `\nreport path: median of ${runs} alternating runs; Tally = task submitted → report stored, in a fresh process; floors = whole command-line process (2 cores shared by everything).`,
);
console.table(table);
