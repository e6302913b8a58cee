/**
 * The command that serves a SQLite file, as `tally demo-report` prints it: one that works as
 * pasted in the shell the demo ran from. From the workspace's sources that is the README's
 * `npx -y pnpm@12.21.0 tally serve` (pnpm need not be installed), run at the workspace's root;
 * from an installed package, the `tally` executable itself.
 */
import { isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Whether this runs from the workspace's TypeScript sources (the build emits `.js`). */
const fromSources = import.meta.url.endsWith(".ts");

/** The workspace's root, seen from `packages/server/src/cli/`. */
const workspaceRoot = resolve(fileURLToPath(new URL("../../../../", import.meta.url)));

/** `text` as one shell word. */
const shellWord = (text: string): string =>
  /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;

/** The shell command that serves the SQLite file `database`, pasted in `cwd`. */
export const serveCommandHint = (database: string, cwd: string = process.cwd()): string => {
  const runsIn = fromSources ? workspaceRoot : resolve(cwd);
  const cd = runsIn === resolve(cwd) ? "" : `cd ${shellWord(runsIn)} && `;
  const path = relative(runsIn, database);
  const shown = path === "" || path.startsWith("..") || isAbsolute(path) ? database : path;
  const tally = fromSources ? "npx -y pnpm@12.21.0 tally" : "tally";
  return `${cd}TALLY_STORAGE=${shellWord(shown)} ${tally} serve`;
};
