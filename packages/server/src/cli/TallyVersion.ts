/**
 * The version `tally --version` prints: the server package's own, read from its package.json
 * (two directories up from this file both in `src/cli/` and in the compiled `dist/cli/`), so
 * that it is written in one place and loading it costs no dependency.
 */
import { readFileSync } from "node:fs";

/** The version of the `@tally/server` package. */
export const tallyVersion: string = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    readonly version: string;
  }
).version;
