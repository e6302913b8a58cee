/**
 * `pnpm mutation [stryker options]`: StrykerJS over the core's domain and use cases with the
 * core's own tests (packages/core/stryker.config.mjs), then the score per file and per folder,
 * printed and written as Markdown to packages/core/reports/mutation/score.md. Options go to
 * `stryker run`, e.g. `--mutate src/domain/Access.ts --concurrency 1` for one file.
 * `pnpm mutation --score-only` prints the table of the last run without running anything.
 *
 * The score is Stryker's: detected (killed or timed out) over valid mutants (detected,
 * survived, or not covered by any test). Mutants the TypeScript checker rejects do not count.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const core = new URL("../packages/core/", import.meta.url).pathname;
const reportDir = join(core, "reports", "mutation");
const args = process.argv.slice(2);

if (!args.includes("--score-only")) {
  const stryker = join(
    dirname(new URL(import.meta.resolve("@stryker-mutator/core/package.json")).pathname),
    "bin",
    "stryker.js",
  );
  const run = spawnSync(process.execPath, [stryker, "run", ...args], {
    cwd: core,
    stdio: "inherit",
  });
  if (run.status !== 0) {
    process.exitCode = run.status ?? 1;
    process.exit();
  }
}

interface MutantResult {
  readonly status: string;
}
interface MutationReport {
  readonly files: Record<string, { readonly mutants: ReadonlyArray<MutantResult> }>;
}

interface Tally {
  detected: number;
  survived: number;
  noCoverage: number;
}

const report = JSON.parse(readFileSync(join(reportDir, "mutation.json"), "utf8")) as MutationReport;

const tallyOf = (mutants: ReadonlyArray<MutantResult>): Tally => {
  const tally = { detected: 0, survived: 0, noCoverage: 0 };
  for (const { status } of mutants) {
    if (status === "Killed" || status === "Timeout") tally.detected++;
    else if (status === "Survived") tally.survived++;
    else if (status === "NoCoverage") tally.noCoverage++;
  }
  return tally;
};

const add = (a: Tally, b: Tally): Tally => ({
  detected: a.detected + b.detected,
  survived: a.survived + b.survived,
  noCoverage: a.noCoverage + b.noCoverage,
});

const row = (name: string, t: Tally): string => {
  const valid = t.detected + t.survived + t.noCoverage;
  const score = valid === 0 ? "—" : `${((100 * t.detected) / valid).toFixed(1)}%`;
  return `| ${name} | ${score} | ${t.detected} / ${valid} | ${t.survived} | ${t.noCoverage} |`;
};

const files = Object.entries(report.files)
  .map(([path, file]) => ({ path, tally: tallyOf(file.mutants) }))
  .sort((a, b) => a.path.localeCompare(b.path));
const folders = new Map<string, Tally>();
let total: Tally = { detected: 0, survived: 0, noCoverage: 0 };
for (const { path, tally } of files) {
  const folder = dirname(path);
  folders.set(
    folder,
    add(folders.get(folder) ?? { detected: 0, survived: 0, noCoverage: 0 }, tally),
  );
  total = add(total, tally);
}

const lines = [
  "| packages/core | score | detected / valid | survived | no coverage |",
  "| --- | --: | --: | --: | --: |",
  row("**all mutated files**", total),
  ...[...folders].map(([folder, tally]) => row(`**${folder}**`, tally)),
  ...files.map(({ path, tally }) => row(path, tally)),
];
const table = `${lines.join("\n")}\n`;
writeFileSync(join(reportDir, "score.md"), table);
console.log(`\n${table}\n(also in packages/core/reports/mutation/score.md)`);
