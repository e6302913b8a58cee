/**
 * Which `tally` the benchmarks run, as a user would start it: `node --max-semi-space-size=4`
 * (what the executable's shebang and `pnpm tally` pass) and an entry point.
 *
 * - `src`: this checkout's `packages/server/src/bin/tally.ts`, type-stripped by Node (what
 *   `pnpm tally` runs in the workspace);
 * - `dist`: `packages/server/dist/bin/tally.js`, the bundled executable a registry install runs
 *   (scripts/bundle-cli.ts), built first when it is missing or stale;
 * - `before`: another checkout's `src` entry, named by `TALLY_BENCH_BEFORE` (e.g. a worktree at
 *   the commit before a change), run side by side with this one.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
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

/** The newest modification time of the files under `dir` (0 when there is none). */
const newestUnder = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true, recursive: true }).reduce((newest, entry) => {
    if (!entry.isFile()) return newest;
    return Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }, 0);

/**
 * This checkout's built `tally` (the bundled executable a registry install runs), built first
 * with `pnpm build` when it is missing or older than a package's sources or manifest, so that
 * the figures are of this checkout. TALLY_BENCH_BUILD=0 skips the build (and the entry, when
 * there is no build).
 */
export const distEntry = (): TallyEntry | undefined => {
  const entry = join(root, "packages/server/dist/bin/tally.js");
  const packages = readdirSync(join(root, "packages")).map((name) => join(root, "packages", name));
  const sources = Math.max(
    ...packages.flatMap((dir) => [
      newestUnder(join(dir, "src")),
      statSync(join(dir, "package.json")).mtimeMs,
    ]),
  );
  const stale = !existsSync(entry) || statSync(entry).mtimeMs < sources;
  if (stale && process.env.TALLY_BENCH_BUILD !== "0") {
    console.log("building the packages (pnpm build) for the installed `tally`…");
    const build = spawnSync("npx", ["-y", "pnpm@12.21.0", "build"], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (build.status !== 0) throw new Error(`pnpm build exited with ${build.status}`);
  }
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
