/**
 * `pnpm bench startup`: how long `tally --version` and `tally --help` take, whole processes,
 * against Node starting and doing nothing (`node -e 0`) in the same run, alternating, with
 * their peak RSS. `tally` runs from this checkout's sources (type-stripped, as `pnpm tally`),
 * from its built dist/ when `pnpm build` has made one (as a registry install runs it), and with
 * TALLY_BENCH_BEFORE=<another checkout> from that checkout's sources. Runs: TALLY_BENCH_RUNS × 2
 * (default 10). Target (issue 12): ≤ 0.3 s each.
 */
import { ensureBenchTools } from "./wholeProcess/BenchTools.ts";
import {
  alternate,
  type BenchCase,
  fmt,
  loadAverage,
  summarise,
  type TableRow,
  timed,
  verdict,
} from "./wholeProcess/Measure.ts";
import {
  beforeEntry,
  distEntry,
  entryEnv,
  srcEntry,
  type TallyEntry,
  tallyArgs,
} from "./wholeProcess/TallyEntries.ts";

const runs = 2 * Math.max(1, Number(process.env.TALLY_BENCH_RUNS ?? 5));
const entries = [srcEntry, distEntry(), beforeEntry()].filter(
  (entry): entry is TallyEntry => entry !== undefined,
);
const commands: ReadonlyArray<ReadonlyArray<string>> = [
  ["--version"],
  ["--help"],
  ["report", "tenants", "--help"],
];

ensureBenchTools();
const cases: Array<BenchCase> = [
  { name: "node -e 0", run: () => timed({ command: process.execPath, args: ["-e", "0"] }) },
  ...entries.flatMap((entry) =>
    commands.map((args) => ({
      name: `${entry.name}: tally ${args.join(" ")}`,
      run: () => timed({ command: entry.node, args: tallyArgs(entry, args), env: entryEnv(entry) }),
    })),
  ),
];
const samples = await alternate("start-up", runs, cases);
const node = summarise(samples.get("node -e 0") ?? []);
const table: Array<TableRow> = [...samples].map(([name, s]) => {
  const summary = summarise(s);
  const judged = name !== "node -e 0" && !name.startsWith("before");
  return {
    case: name,
    "median s": fmt(summary.seconds),
    "vs node -e 0": `${fmt(summary.seconds / node.seconds)}×`,
    "peak RSS MiB": fmt(summary.peakRssMiB, 0),
    target: judged ? "≤ 0.3 s" : "",
    verdict: judged ? verdict(summary.seconds, 0.3, " time") : "",
  };
});
console.log(
  `\nstart-up: whole processes, median of ${runs} alternating runs, highest peak RSS; load at the end ${loadAverage()}.`,
);
console.table(table);
