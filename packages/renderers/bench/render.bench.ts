/**
 * Renderer benchmark.
 *
 * CSV, 1M rows: the hand-written writer, fast-csv's stream transform for the same cells, and
 * (when the `sqlite3` CLI is installed) the CLI writing the same rows, already formatted, from a
 * table — the reference the report path is held to (goal ≤ 1.2× the CLI). Each with ASCII tenant
 * names and with multilingual ones (three tenants in four Cyrillic or Greek).
 * PDF, 10k and 100k rows: pages/s and peak RSS (goal ≥ 200 pages/s, ≤ 200 MiB, flat), with
 * Node's defaults and with the young generation capped (`--max-semi-space-size=4`). A PDF run
 * renders what a worker renders: the summaries of the rows (computed by the core's tenant summary
 * fold before the clock starts), then the document with its chart and every row, read from a
 * stream of chunks of 1000.
 *
 * `--baseline REV` also runs the PDF cases with the renderers and core of a git revision (say
 * `main`, before a change), extracted under `bench-data/`, alternating with the working tree's,
 * so that both are measured in the same run on the same machine.
 *
 * Every run of a case is a child process of its own, so its peak RSS (`resourceUsage().maxRSS`)
 * is its own; a case reports its fastest run and its highest peak. Run:
 * `npx -y pnpm@12.21.0 exec node packages/renderers/bench/render.bench.ts` (or `pnpm bench
 * renderers`). Options: `--csv-rows N`, `--pdf-rows N`, `--runs N` (default 3), `--baseline REV`,
 * `--only csv|pdf`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type {
  ReportRenderer,
  TenantReportLine,
  TenantReportRequest,
  TenantSummary,
} from "@tally/core";
import { Effect, Stream } from "effect";
import { format } from "fast-csv";
import { pdfPageCounter } from "./PdfPageCounter.ts";
import { type SyntheticNames, syntheticLine, syntheticLines } from "./SyntheticLines.ts";

/** The repository's root. */
const root = new URL("../../../", import.meta.url).pathname;

/** What the PDF cases load: the working tree's core and renderers, or a baseline's. */
interface Sources {
  readonly core: string;
  readonly renderers: string;
}

const workingTree: Sources = {
  core: join(root, "packages/core/src/index.ts"),
  renderers: join(root, "packages/renderers/src/index.ts"),
};

/**
 * The core and renderers of a git revision, extracted once under `bench-data/` next to the
 * working tree's dependencies: its renderers see its own core, everything else (effect, pdfkit,
 * the fonts) is the installed one.
 */
const baselineSources = (revision: string): Sources => {
  const commit = execFileSync("git", ["-C", root, "rev-parse", "--short", revision], {
    encoding: "utf8",
  }).trim();
  const dir = join(root, "bench-data", `renderers-baseline-${commit}`);
  if (!existsSync(join(dir, "ready"))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const paths = ["packages/core", "packages/renderers"];
    const archive = execFileSync("git", ["-C", root, "archive", commit, ...paths], {
      maxBuffer: 1 << 28,
    });
    execFileSync("tar", ["-x", "-C", dir], { input: archive });
    symlinkSync(join(root, "packages/core/node_modules"), join(dir, "packages/core/node_modules"));
    const modules = join(dir, "packages/renderers/node_modules");
    const installed = join(root, "packages/renderers/node_modules");
    mkdirSync(join(modules, "@tally"), { recursive: true });
    for (const entry of readdirSync(installed)) {
      if (entry === "@tally") continue;
      symlinkSync(join(installed, entry), join(modules, entry));
    }
    symlinkSync(join(dir, "packages/core"), join(modules, "@tally/core"));
    execFileSync("touch", [join(dir, "ready")]);
  }
  return {
    core: join(dir, "packages/core/src/index.ts"),
    renderers: join(dir, "packages/renderers/src/index.ts"),
  };
};

interface Measurement {
  readonly seconds: number;
  /** CPU time (user + system) of the run, null where not measured: on a busy machine it moves less than the wall time. */
  readonly cpuSeconds?: number | null;
  readonly bytes: number;
  readonly pages: number | null;
  /** The run's own peak RSS; null for the CLI, which runs in a process of its own. */
  readonly peakRssMiB: number | null;
}

const argument = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};

const zone = { _tag: "Iana", name: "Europe/Paris" } as const;

const request = (format: "csv" | "pdf"): TenantReportRequest => ({
  _tag: "TenantReport",
  interval: { start: Date.UTC(2024, 2, 1), end: Date.UTC(2026, 2, 1) },
  zone: { spec: "Local", resolved: zone },
  tenant: { _tag: "AllTenants" },
  format,
  variant: "detail",
  columns: "vendor",
  separator: ";",
});

const generatedAt = Date.UTC(2026, 2, 1);

/** The core's tenant summary fold, as the sources at hand have it. */
type SummarizeTenantLines = (
  lines: Stream.Stream<TenantReportLine, unknown>,
  options: { interval: { start: number; end: number }; generatedAt: number },
) => Effect.Effect<ReadonlyArray<TenantSummary>, unknown>;

const content = (
  format: "csv" | "pdf",
  rows: number,
  names: SyntheticNames,
  summaries: ReadonlyArray<TenantSummary> = [],
) => ({
  taskId: "bench",
  request: request(format),
  generatedAt,
  tenantName: null,
  summaries: Effect.succeed(summaries),
  lines: syntheticLines(rows, names),
});

type Timing = Omit<Measurement, "peakRssMiB">;

const runRenderer = async (
  stream: Stream.Stream<Uint8Array, unknown>,
  countPages: boolean,
): Promise<Timing> => {
  let bytes = 0;
  const counter = pdfPageCounter();
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Effect.runPromise(
    Stream.runForEachArray(stream, (chunks) =>
      Effect.sync(() => {
        for (const chunk of chunks) {
          bytes += chunk.length;
          if (countPages) counter.add(chunk);
        }
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { seconds, cpuSeconds, bytes, pages: countPages ? counter.pages : null };
};

const runFastCsv = async (rows: number, names: SyntheticNames): Promise<Timing> => {
  const { makeInstantFormatter } = await import(workingTree.core);
  const { referenceCells, vendorTenantColumns } = await import("../src/csv/CsvColumns.ts");
  const { fastCsvOptions, neutraliseText } = await import("../src/csv/CsvDialect.ts");
  const instant = makeInstantFormatter(zone);
  let bytes = 0;
  function* cells() {
    for (let i = 0; i < rows; i++) {
      yield referenceCells(vendorTenantColumns, syntheticLine(i, names), instant, neutraliseText);
    }
  }
  const started = performance.now();
  await pipeline(
    Readable.from(cells()),
    format(
      fastCsvOptions(
        ";",
        vendorTenantColumns.map((c) => c.header),
      ),
    ),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done();
      },
    }),
  );
  return { seconds: (performance.now() - started) / 1000, bytes, pages: null };
};

/** Fills a table with the same rows as text, once; then times the CLI writing it, `runs` times. */
const runSqliteCli = async (
  rows: number,
  names: SyntheticNames,
  runs: number,
): Promise<Timing | null> => {
  if (spawnSync("sqlite3", ["-version"]).status !== 0) return null;
  const { makeInstantFormatter } = await import(workingTree.core);
  const dir = mkdtempSync(join(tmpdir(), "tally-bench-"));
  try {
    const db = join(dir, "rows.sqlite");
    const instant = makeInstantFormatter(zone);
    const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
    const blocks: Array<string> = [];
    for (let block = 0; block * 1000 < rows; block++) {
      const values: Array<string> = [];
      for (let i = block * 1000; i < Math.min(rows, (block + 1) * 1000); i++) {
        const l = syntheticLine(i, names);
        values.push(
          `(${q(l.tenantId ?? "")},${q(l.tenantName ?? "")},${q(l.vmId)},${q(l.vmName)},${q(instant(l.start))},${q(instant(l.end))})`,
        );
      }
      blocks.push(`INSERT INTO line VALUES ${values.join(",")};`);
    }
    const schema =
      "CREATE TABLE line(tenantId, tenantName, vmId, vmName, protectionStart, protectionEnd);";
    const load = spawnSync("sqlite3", [db], {
      input: [schema, "BEGIN;", ...blocks, "COMMIT;"].join("\n"),
      maxBuffer: 1 << 30,
    });
    if (load.status !== 0) return null;
    const csv = join(dir, "rows.csv");
    let best: Timing | null = null;
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      execFileSync("sqlite3", [
        ...["-csv", "-header", "-separator", ";", "-newline", "\r\n", "-cmd", `.output ${csv}`],
        ...[db, "SELECT * FROM line"],
      ]);
      const seconds = (performance.now() - started) / 1000;
      if (best === null || seconds < best.seconds) {
        best = { seconds, bytes: statSync(csv).size, pages: null };
      }
    }
    return best;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const runCase = async (
  name: string,
  rows: number,
  names: SyntheticNames,
  runs: number,
  sources: Sources,
) => {
  switch (name) {
    case "csv": {
      const { CsvRenderer } = await import("../src/csv/CsvRenderer.ts");
      return runRenderer(
        CsvRenderer.renderTenantReport(content("csv", rows, names) as never),
        false,
      );
    }
    case "fast-csv":
      return runFastCsv(rows, names);
    case "sqlite3":
      return runSqliteCli(rows, names, runs);
    case "pdf": {
      const core = (await import(sources.core)) as { summarizeTenantLines: SummarizeTenantLines };
      const { PdfRenderer } = (await import(sources.renderers)) as { PdfRenderer: ReportRenderer };
      // The summaries (500 tenants: a summary table of many pages, and the chart's largest
      // tenants) are the core's pass over the rows, made before the renderer is timed.
      const summaries = await Effect.runPromise(
        core.summarizeTenantLines(syntheticLines(rows, names), {
          interval: request("pdf").interval,
          generatedAt,
        }),
      );
      const report = content("pdf", rows, names, summaries);
      return runRenderer(PdfRenderer.renderTenantReport(report as never), true);
    }
    default:
      throw new Error(`unknown case ${name}`);
  }
};

interface Case {
  readonly label: string;
  readonly name: string;
  readonly rows: number;
  readonly names: SyntheticNames;
  readonly flags: ReadonlyArray<string>;
  /** A git revision whose core and renderers the case runs instead of the working tree's. */
  readonly baseline?: string;
}

const child = process.argv.indexOf("--case");
if (child !== -1) {
  const name = process.argv[child + 1] as string;
  const names = (process.argv.includes("--ascii") ? "ascii" : "multilingual") as SyntheticNames;
  const at = process.argv.indexOf("--sources");
  const sources: Sources =
    at === -1
      ? workingTree
      : { core: process.argv[at + 1] as string, renderers: process.argv[at + 2] as string };
  const timing = await runCase(name, argument("--rows", 0), names, argument("--runs", 1), sources);
  const peakRssMiB = name === "sqlite3" ? null : process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify(timing === null ? null : { ...timing, peakRssMiB }));
} else {
  const csvRows = argument("--csv-rows", 1_000_000);
  const pdfRows = argument("--pdf-rows", 100_000);
  const runs = argument("--runs", 3);
  // V8 grows the young generation of a busy process to 2 × 32 MiB; capping it is the deployment
  // knob for workers that must stay small, so PDF is shown both ways.
  const smallYoung = ["--max-semi-space-size=4"];
  const baselineAt = process.argv.indexOf("--baseline");
  const baseline = baselineAt === -1 ? undefined : (process.argv[baselineAt + 1] as string);
  const onlyAt = process.argv.indexOf("--only");
  const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1];
  const pdfCase = (label: string, rows: number, flags: ReadonlyArray<string>): Array<Case> => [
    ...(baseline === undefined
      ? []
      : [
          {
            label: `${label} [${baseline}]`,
            name: "pdf",
            rows,
            names: "multilingual",
            flags,
            baseline,
          } as Case,
        ]),
    { label, name: "pdf", rows, names: "multilingual", flags },
  ];
  const allCases: ReadonlyArray<Case> = [
    ...(["ascii", "multilingual"] as const).flatMap(
      (names): ReadonlyArray<Case> => [
        { label: `CSV, Tally writer, ${names}`, name: "csv", rows: csvRows, names, flags: [] },
        {
          label: `CSV, fast-csv stream, ${names}`,
          name: "fast-csv",
          rows: csvRows,
          names,
          flags: [],
        },
        { label: `CSV, sqlite3 CLI, ${names}`, name: "sqlite3", rows: csvRows, names, flags: [] },
      ],
    ),
    ...[pdfRows / 10, pdfRows].flatMap(
      (rows): ReadonlyArray<Case> => [
        ...pdfCase("PDF, Tally renderer", rows, []),
        ...pdfCase("PDF, Tally renderer, semi-space 4 MiB", rows, smallYoung),
      ],
    ),
  ];
  const cases = allCases.filter((c) => only === undefined || c.name.includes(only));
  const baselineFiles = baseline === undefined ? undefined : baselineSources(baseline);
  const measured = new Map<Case, Measurement | null>();
  let failed = false;
  const runOnce = (c: Case) => {
    const args = [...c.flags, new URL(import.meta.url).pathname, "--case", c.name];
    args.push("--rows", `${Math.round(c.rows)}`, "--runs", `${runs}`);
    if (c.names === "ascii") args.push("--ascii");
    if (c.baseline !== undefined && baselineFiles !== undefined) {
      args.push("--sources", baselineFiles.core, baselineFiles.renderers);
    }
    const result = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 24 });
    if (result.status !== 0) {
      console.error(`${c.label} failed:\n${result.stderr}`);
      process.exitCode = 1;
      failed = true;
      return;
    }
    const m = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "null") as Measurement | null;
    const previous = measured.get(c);
    if (m === null || previous === null) {
      measured.set(c, null);
      return;
    }
    const fastest = previous === undefined || m.seconds < previous.seconds ? m : previous;
    const leastCpu = Math.min(
      m.cpuSeconds ?? Number.POSITIVE_INFINITY,
      previous?.cpuSeconds ?? Number.POSITIVE_INFINITY,
    );
    const peak = m.peakRssMiB === null ? null : Math.max(m.peakRssMiB, previous?.peakRssMiB ?? 0);
    measured.set(c, {
      ...fastest,
      cpuSeconds: Number.isFinite(leastCpu) ? leastCpu : null,
      peakRssMiB: peak,
    });
  };
  // Runs alternate between the cases (a baseline next to its working-tree case), so a busy
  // moment of the machine does not fall on one side only.
  for (let run = 0; run < runs && !failed; run++) {
    for (const c of cases) if (!(c.name === "sqlite3" && run > 0)) runOnce(c);
  }
  const results: Array<Case & Measurement> = [];
  for (const c of cases) {
    const m = measured.get(c);
    if (m === undefined || m === null) console.log(`(${c.label}: not available on this machine)`);
    else results.push({ ...c, ...m });
  }

  const cell = (n: number | null, digits = 0) =>
    (n === null ? "–" : n.toFixed(digits)).padStart(12);
  const headers = [
    ...["rows", "seconds", "rows/s", "pages", "pages/s", "CPU s", "pages/CPU-s"],
    ...["MiB out", "peak MiB"],
  ];
  console.log(`${"case".padEnd(50)}${headers.map((h) => h.padStart(12)).join("")}`);
  for (const r of results) {
    console.log(
      r.label.padEnd(50) +
        cell(r.rows) +
        cell(r.seconds, 2) +
        cell(r.rows / r.seconds) +
        cell(r.pages) +
        cell(r.pages === null ? null : r.pages / r.seconds) +
        cell(r.cpuSeconds ?? null, 2) +
        cell(r.pages === null || !r.cpuSeconds ? null : r.pages / r.cpuSeconds) +
        cell(r.bytes / 2 ** 20, 1) +
        cell(r.peakRssMiB),
    );
  }
  for (const names of ["ascii", "multilingual"]) {
    const find = (name: string) => results.find((r) => r.name === name && r.names === names);
    const [ours, slow, cli] = [find("csv"), find("fast-csv"), find("sqlite3")];
    if (ours !== undefined && slow !== undefined && cli !== undefined) {
      console.log(
        `CSV (${names}) time relative to the sqlite3 CLI: Tally writer ${(ours.seconds / cli.seconds).toFixed(2)}×, fast-csv ${(slow.seconds / cli.seconds).toFixed(2)}× (goal ≤ 1.2×)`,
      );
    }
  }
}
