/**
 * `pnpm build` of one package (run in its folder by `pnpm -r build`): compiles `src/` to ESM
 * JavaScript, declarations and source maps in `dist/`, from a clean folder.
 *
 * The sources import each other with `.ts` extensions (Node runs them directly in the
 * workspace). TypeScript rewrites those specifiers to `.js` in the JavaScript it emits, but not
 * in declarations; a consumer's compiler would then look for `.ts` files the package does not
 * ship. So the relative specifiers of every emitted `.d.ts` are rewritten here too.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const packageDir = process.cwd();
const dist = join(packageDir, "dist");
rmSync(dist, { recursive: true, force: true });

const typescript = createRequire(join(packageDir, "package.json")).resolve(
  "typescript/package.json",
);
const tsc = join(dirname(typescript), "bin", "tsc");
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" });

/** `from "./x.ts"`, `import("../y.ts")`, `declare module "./z.ts"`: relative specifiers only. */
const relativeTsSpecifier = /(["'])(\.{1,2}\/[^"'\n]*?)\.(m|c)?ts\1/g;

const declarations = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarations(path);
    return entry.name.endsWith(".d.ts") ? [path] : [];
  });

let rewritten = 0;
for (const file of declarations(dist)) {
  const text = readFileSync(file, "utf8");
  const fixed = text.replace(
    relativeTsSpecifier,
    (_, quote: string, path: string, flavour: string | undefined) =>
      `${quote}${path}.${flavour ?? ""}js${quote}`,
  );
  if (fixed !== text) {
    writeFileSync(file, fixed);
    rewritten++;
  }
}
console.log(`${packageDir.split("/").pop()}: dist/ built, ${rewritten} declaration files relinked`);
