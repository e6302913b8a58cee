/**
 * `pnpm bench`: runs every package benchmark (packages/<pkg>/bench/*.bench.ts), one process
 * each so that peak RSS figures do not leak between cases, and prints their tables.
 * Not part of `pnpm test`: benchmarks compare against a reference in the same run, they do
 * not pass or fail on time.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const only = process.argv.slice(2);
const files: string[] = [];
for (const pkg of readdirSync(join(root, "packages"))) {
  const dir = join(root, "packages", pkg, "bench");
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    continue;
  }
  for (const file of entries.sort()) {
    if (!file.endsWith(".bench.ts")) continue;
    const path = join(dir, file);
    // Match the path inside the repository: a checkout's own directory name (`…/wt-fuzz/`)
    // must not select every benchmark.
    const inRepo = path.slice(root.length);
    if (only.length === 0 || only.some((o) => inRepo.includes(o))) files.push(path);
  }
}

let failed = 0;
for (const file of files) {
  console.log(`\n### ${file.slice(root.length)}`);
  const run = spawnSync(process.execPath, [file], { stdio: "inherit", cwd: root });
  if (run.status !== 0) {
    failed++;
    console.log(`(exited with ${run.status ?? run.signal})`);
  }
}
console.log(`\n${files.length} benchmark files run, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
