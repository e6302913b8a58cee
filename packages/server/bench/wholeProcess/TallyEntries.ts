/**
 * Which `tally` the benchmarks run, as a user would start it: `node --max-semi-space-size=4`
 * (what the executable's shebang and `pnpm tally` pass) and an entry point.
 *
 * - `src`: this checkout's `packages/server/src/bin/tally.ts`, type-stripped by Node (what
 *   `pnpm tally` runs in the workspace);
 * - `dist`: `packages/server/dist/bin/tally.js` once the packages are built (what a registry
 *   install runs); measured only when it exists;
 * - `before`: another checkout's `src` entry, named by `TALLY_BENCH_BEFORE` (e.g. a worktree at
 *   the commit before a change), run side by side with this one.
 */
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A `tally` to run: its name in tables and how to start it. */
export interface TallyEntry {
  readonly name: string;
  readonly node: string;
  readonly entry: string;
  /** What it calls protection periods on its `import` command line. */
  readonly periodsKind: string;
}

const root = new URL("../../../../", import.meta.url).pathname;

/**
 * The node arguments that start `entry` as `tally`: the V8 setting of `pnpm tally`, and for
 * this checkout's sources the export conditions the benchmark itself runs with (the workspace's
 * packages may resolve to their sources only under a condition).
 */
export const tallyArgs = (entry: TallyEntry, args: ReadonlyArray<string>): Array<string> => [
  "--max-semi-space-size=4",
  ...(entry === srcEntry ? process.execArgv.filter((arg) => arg.startsWith("--conditions")) : []),
  entry.entry,
  ...args,
];

/** This checkout's `tally`, from its sources. */
export const srcEntry: TallyEntry = {
  name: "Tally",
  node: process.execPath,
  entry: join(root, "packages/server/src/bin/tally.ts"),
  periodsKind: "protection-periods",
};

/**
 * The environment `entry` runs in: this checkout's sources with the compile cache on before
 * the entry loads (as `pnpm tally` starts them); the built one without the workspace's source
 * condition (which `pnpm bench` passes down through NODE_OPTIONS), so that it loads the
 * packages' dist/.
 */
export const entryEnv = (entry: TallyEntry): Readonly<Record<string, string>> =>
  entry === srcEntry
    ? // As `pnpm tally` starts it: the compile cache on before the entry loads (see tally.ts).
      { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? join(tmpdir(), "node-compile-cache") }
    : entry.entry.endsWith(".js")
      ? {
          NODE_OPTIONS: (process.env.NODE_OPTIONS ?? "")
            .split(/\s+/)
            .filter((option) => option !== "" && !option.startsWith("--conditions"))
            .join(" "),
        }
      : {};

/** This checkout's built `tally`, if the packages have been built. */
export const distEntry = (): TallyEntry | undefined => {
  const entry = join(root, "packages/server/dist/bin/tally.js");
  return existsSync(entry)
    ? { name: "Tally (dist)", node: process.execPath, entry, periodsKind: "protection-periods" }
    : undefined;
};

/** The checkout named by TALLY_BENCH_BEFORE, if any, run with its own Node. */
export const beforeEntry = (): TallyEntry | undefined => {
  const dir = process.env.TALLY_BENCH_BEFORE;
  if (dir === undefined || dir === "") return undefined;
  const node = join(dir, "node_modules/.bin/node");
  return {
    name: "before",
    node: existsSync(node) ? node : process.execPath,
    entry: join(dir, "packages/server/src/bin/tally.ts"),
    periodsKind: "periods",
  };
};
