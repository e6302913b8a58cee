/**
 * Whole processes, measured as a user runs them: wall time and peak RSS (GNU time's `%e` and
 * `%M`, the kernel's high-water mark of the process), medians of runs that alternate with the
 * reference they are compared with, and the table the benchmarks print.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One measured run of a process. */
export interface Sample {
  readonly seconds: number;
  readonly peakRssMiB: number;
}

/** How a process is started: the command, its arguments, and what it is given. */
export interface ProcessSpec {
  readonly command: string;
  readonly args: ReadonlyArray<string>;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Where stdout goes (default: nowhere). */
  readonly stdout?: string;
}

const timing = join(mkdtempSync(join(tmpdir(), "tally-bench-time-")), "time.txt");

/** Runs a process to its end under GNU time; throws (with its stderr) if it fails. */
export const timed = (spec: ProcessSpec): Sample => {
  rmSync(timing, { force: true });
  const run = spawnSync(
    "bash",
    ["-c", '/usr/bin/time -f "%e %M" -o "$0" "$@" > "$OUT"', timing, spec.command, ...spec.args],
    {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env, OUT: spec.stdout ?? "/dev/null" },
      stdio: ["ignore", "inherit", "pipe"],
      encoding: "utf8",
      maxBuffer: 1 << 24,
    },
  );
  if (run.status !== 0) {
    throw new Error(`${spec.command} ${spec.args.join(" ")} exited ${run.status}: ${run.stderr}`);
  }
  const [seconds = "0", kib = "0"] = readFileSync(timing, "utf8").trim().split(/\s+/).slice(-2);
  return { seconds: Number(seconds), peakRssMiB: Number(kib) / 1024 };
};

/** The median of some numbers. */
export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Samples of one case, summarised: median time, highest peak RSS of all runs. */
export interface Summary {
  readonly seconds: number;
  readonly peakRssMiB: number;
  readonly runs: number;
}

/** Median time and the highest peak RSS (RSS depends on when V8 collects: the worst run counts). */
export const summarise = (samples: ReadonlyArray<Sample>): Summary => ({
  seconds: median(samples.map((s) => s.seconds)),
  peakRssMiB: Math.max(...samples.map((s) => s.peakRssMiB)),
  runs: samples.length,
});

/** A case of a benchmark: its name, and one measured run (set-up and clean-up not timed). */
export interface BenchCase {
  readonly name: string;
  readonly run: () => Sample | Promise<Sample>;
}

/**
 * Runs the cases in turn, `runs` times over (case 1, case 2, …, case 1, …), so that a change
 * in the machine's load reaches every case alike; returns the samples by case name and prints
 * each round.
 */
export const alternate = async (
  label: string,
  runs: number,
  cases: ReadonlyArray<BenchCase>,
): Promise<Map<string, Array<Sample>>> => {
  const samples = new Map<string, Array<Sample>>(cases.map((c) => [c.name, []]));
  for (let round = 1; round <= runs; round++) {
    const line: Array<string> = [];
    for (const c of cases) {
      const sample = await c.run();
      samples.get(c.name)?.push(sample);
      line.push(`${c.name} ${fmt(sample.seconds)} s ${fmt(sample.peakRssMiB, 0)} MiB`);
    }
    console.log(`  ${label} ${round}/${runs} (load ${loadAverage()}): ${line.join(", ")}`);
  }
  return samples;
};

/** Two digits. */
export const fmt = (n: number, digits = 2): string => n.toFixed(digits);

/** One line of a benchmark's table. */
export type TableRow = Record<string, string>;

/** A verdict against an upper limit: PASS, or MISS with by how much. */
export const verdict = (value: number, limit: number, unit = ""): string =>
  value <= limit ? "PASS" : `MISS (+${fmt(((value - limit) / limit) * 100, 0)}%${unit})`;

/** Several verdicts as one: PASS when all pass, else the misses. */
export const verdicts = (...parts: ReadonlyArray<string>): string =>
  parts.every((part) => part === "PASS")
    ? "PASS"
    : parts.filter((part) => part !== "PASS").join(", ");

/** The machine's load, printed with the figures: they mean little on a busy machine. */
export const loadAverage = (): string =>
  readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
