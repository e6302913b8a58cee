/**
 * Preloaded into a `tally` process (`--import`) by tests of what a command loads: records the URL
 * of every module the process loads and writes them, one a line, to the file named by
 * `RECORD_MODULE_LOADS` when the process exits.
 */
import { writeFileSync } from "node:fs";
import { registerHooks } from "node:module";

const out = process.env.RECORD_MODULE_LOADS;
if (out !== undefined) {
  const urls: Array<string> = [];
  registerHooks({
    load: (url, context, next) => {
      urls.push(url);
      return next(url, context);
    },
  });
  process.on("exit", () => writeFileSync(out, urls.join("\n")));
}
