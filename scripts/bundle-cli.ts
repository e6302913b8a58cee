/**
 * The last step of `@tally/server`'s build: the `tally` executable (`dist/bin/`) made into a
 * bundle, so that starting it reads a few large files instead of ~800 small ones.
 *
 * `tsc` leaves `dist/bin/tally.js` importing the compiled modules of Tally's packages, effect,
 * kysely and the rest one file at a time: a CSV report loads 806 modules (281 of effect, 257 of
 * kysely), and resolving, reading and compiling them is most of what a `tally` process does
 * before its first row (the README's performance section, "Start-up" and the report path). Here
 * rolldown bundles that entry, from the compiled JavaScript of `dist/`, into `dist/bin/`: the
 * entry stays tiny (it checks the Node version and answers `--version` before anything loads),
 * and each command's modules become one chunk loaded when the command runs (the dynamic imports
 * of `TallyCommand.ts` are the split points). The chunks sit next to the entry, two directories
 * below the package root as the compiled `dist/cli/` modules are, so that `TallyVersion` still
 * finds the package's own package.json.
 *
 * Left outside the bundle, imported from node_modules at run time: Node's own modules;
 * better-sqlite3 (a native addon), pdfkit (it reads its font metrics from files beside its
 * code) and the DejaVu fonts (files, resolved from the package). @tally/server depends on
 * them directly, so that they resolve from the bundle under any package manager's layout.
 * pg's optional native driver and Cloudflare socket are never used and stay out.
 *
 * The library entry (`dist/index.js`, what `import "@tally/server"` loads) is not bundled: it
 * shares effect and the other packages with the service that embeds it.
 */
import { mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "rolldown";

const packageDir = process.cwd();
const bin = join(packageDir, "dist", "bin");
const staging = mkdtempSync(join(packageDir, "dist", ".bin-bundle-"));

/** Imported from node_modules at run time (see above). */
const external = [
  /^node:/,
  "better-sqlite3",
  "pdfkit",
  "pg-native",
  "pg-cloudflare",
  "cloudflare:sockets",
];

try {
  await build({
    input: join(bin, "tally.js"),
    platform: "node",
    external,
    // The package says it has no side effects, which holds for everything it exports; its
    // executable's modules (`dist/bin/`) are run for their effect: keep them.
    treeshake: {
      moduleSideEffects: (id: string) => (id.startsWith(`${bin}/`) ? true : undefined),
    },
    logLevel: "warn",
    output: {
      dir: staging,
      format: "esm",
      entryFileNames: "[name].js",
      chunkFileNames: "[name]-[hash].js",
    },
  });
  rmSync(bin, { recursive: true, force: true });
  renameSync(staging, bin);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
console.log(`server: dist/bin/ bundled (${readdirSync(bin).length} files)`);
