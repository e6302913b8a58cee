/**
 * `pnpm outside-check`: Tally tried the way an outside service uses it, from packed tarballs.
 *
 * 1. Builds every package and packs it with pnpm (workspace ranges become real ones), then
 *    checks each tarball: not private, compiled JavaScript and declarations behind every export,
 *    no TypeScript sources, tests, benchmarks, examples or tsconfig, a README and the LICENSE.
 * 2. Makes a scratch project in a temporary directory outside the repository and installs the
 *    tarballs there with npm — with the newest effect 4.x, vitest, fast-check and TypeScript —
 *    and checks that effect is installed exactly once.
 * 3. With plain `node` (no TypeScript stripping of node_modules, no workspace condition) runs:
 *    the embedding example; the `tally` executable (`--version`, `demo-report`); the JSON-file
 *    TaskStore from examples/ through the TaskStore contract suite with vitest, which must pass,
 *    and the same adapter with each planted bug, which must fail; `tsc --noEmit` (strict,
 *    `module: nodenext`, library declarations checked) over everything copied there, including
 *    every TypeScript example in the published packages' headers and READMEs.
 *
 * It prints each step and its outcome and exits non-zero at the first failure, keeping the
 * scratch directory for a look. Run it through pnpm (it packs with the pnpm running it).
 */
import { type SpawnSyncOptions, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { stripVTControlCharacters } from "node:util";

const root = new URL("..", import.meta.url).pathname;
const started = Date.now();

const step = (title: string): void => {
  console.log(`\n== ${title} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
};

class CheckFailed extends Error {}

const fail = (message: string): never => {
  throw new CheckFailed(message);
};

/** Runs a command, echoing it; returns its output, failing the check on a non-zero exit. */
const run = (
  command: string,
  args: ReadonlyArray<string>,
  options: SpawnSyncOptions & { readonly expectFailure?: boolean } = {},
): string => {
  console.log(`$ ${[command, ...args].join(" ")}${options.cwd ? `   (in ${options.cwd})` : ""}`);
  const result = spawnSync(command, args, {
    encoding: "utf8",
    maxBuffer: 1 << 28,
    ...options,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  const failed = result.status !== 0;
  if (failed !== (options.expectFailure ?? false)) {
    console.log(output.slice(-6000));
    fail(
      `${command} ${args.join(" ")} ${failed ? `exited with ${result.status ?? result.signal}` : "succeeded but must fail"}`,
    );
  }
  return output;
};

// --- 1. build and pack ----------------------------------------------------------------------

interface PackageJson {
  readonly name: string;
  readonly private?: boolean;
  readonly exports?: Record<string, Record<string, string>>;
  readonly bin?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

const readJson = <A>(path: string): A => JSON.parse(readFileSync(path, "utf8")) as A;

const packageDirs = readdirSync(join(root, "packages"))
  .map((name) => join(root, "packages", name))
  .filter((dir) => existsSync(join(dir, "package.json")));

/** Packages in dependency order, so each builds against its dependencies' declarations. */
const buildOrder = (): Array<string> => {
  const byName = new Map(
    packageDirs.map((dir) => [readJson<PackageJson>(join(dir, "package.json")).name, dir]),
  );
  const ordered: Array<string> = [];
  const visit = (dir: string): void => {
    if (ordered.includes(dir)) return;
    const pkg = readJson<PackageJson>(join(dir, "package.json"));
    for (const dependency of Object.keys(pkg.dependencies ?? {})) {
      const local = byName.get(dependency);
      if (local !== undefined) visit(local);
    }
    ordered.push(dir);
  };
  for (const dir of packageDirs) visit(dir);
  return ordered;
};

const pnpm = process.env.npm_execpath;
const packDir = mkdtempSync(join(tmpdir(), "tally-packs-"));
const scratch = mkdtempSync(join(tmpdir(), "tally-outside-"));

const buildAndPack = (): Array<string> => {
  if (pnpm === undefined || !existsSync(pnpm)) {
    fail("run this through pnpm (`npx -y pnpm@12.21.0 run outside-check`): it packs with pnpm");
  }
  step("build every package with its own build script (tsc → dist/; the tally executable bundled)");
  for (const dir of buildOrder()) run(pnpm as string, ["run", "build"], { cwd: dir });
  step("pack every package with pnpm");
  const tarballs: Array<string> = [];
  for (const dir of packageDirs) {
    const output = run(pnpm as string, ["pack", "--pack-destination", packDir], { cwd: dir });
    const tarball = output.trim().split("\n").pop()?.trim() ?? "";
    if (!tarball.endsWith(".tgz") || !existsSync(tarball))
      fail(`no tarball from ${dir}: ${output}`);
    tarballs.push(tarball);
  }
  return tarballs;
};

// --- the tarballs themselves ------------------------------------------------------------------

const checkTarball = (tarball: string): void => {
  const files = run("tar", ["-tzf", tarball])
    .trim()
    .split("\n")
    .map((line) => line.replace(/^package\//, ""));
  const manifest = readJson<PackageJson>(join(extract(tarball), "package.json"));
  const problems: Array<string> = [];
  if (manifest.private === true) problems.push("it is private");
  const shipped = new Set(files);
  for (const [entry, conditions] of Object.entries(manifest.exports ?? {})) {
    for (const [condition, target] of Object.entries(conditions)) {
      const path = target.replace(/^\.\//, "");
      if (!shipped.has(path))
        problems.push(`export ${entry} (${condition}) → ${target} is not in it`);
      if (/\.(m|c)?ts$/.test(path) && !/\.d\.(m|c)?ts$/.test(path)) {
        problems.push(`export ${entry} (${condition}) is TypeScript source: ${target}`);
      }
    }
    if (conditions.import === undefined || conditions.types === undefined) {
      problems.push(`export ${entry} lacks an import or types condition`);
    }
  }
  for (const target of Object.values(manifest.bin ?? {})) {
    if (!shipped.has(target.replace(/^\.\//, ""))) problems.push(`bin ${target} is not in it`);
  }
  for (const [name, range] of Object.entries({
    ...manifest.dependencies,
    ...manifest.peerDependencies,
  })) {
    if (range.startsWith("workspace:")) problems.push(`dependency ${name} is still ${range}`);
  }
  for (const file of files) {
    if (/(^|\/)(test|tests|bench|examples)\//.test(file)) problems.push(`ships ${file}`);
    if (/(^|\/)tsconfig[^/]*\.json$/.test(file)) problems.push(`ships ${file}`);
    if (/\.(m|c)?ts$/.test(file) && !/\.d\.(m|c)?ts$/.test(file))
      problems.push(`ships source ${file}`);
  }
  for (const required of ["README.md", "LICENSE", "package.json"]) {
    if (!shipped.has(required)) problems.push(`lacks ${required}`);
  }
  console.log(`${basename(tarball)}: ${files.length} files${problems.length ? "" : ", fine"}`);
  if (problems.length > 0) fail(`${basename(tarball)}:\n  ${problems.join("\n  ")}`);
};

const extract = (tarball: string): string => {
  const into = mkdtempSync(join(packDir, "unpacked-"));
  run("tar", ["-xzf", tarball, "-C", into]);
  return join(into, "package");
};

// --- 2. the scratch project -------------------------------------------------------------------

const install = (tarballs: ReadonlyArray<string>): void => {
  step(`a scratch project outside the repository: ${scratch}`);
  writeFileSync(
    join(scratch, "package.json"),
    `${JSON.stringify({ name: "tally-outside-check", private: true, type: "module" }, null, 2)}\n`,
  );
  run(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      ...tarballs,
      "effect@^4.1.0",
      "vitest@^5.1.1",
      "fast-check@^4.10.2",
      "typescript@~5.9",
      "@types/node@^24",
    ],
    { cwd: scratch },
  );
  const copies = effectCopies(join(scratch, "node_modules"));
  const version = readJson<{ version: string }>(
    join(scratch, "node_modules/effect/package.json"),
  ).version;
  console.log(`effect ${version}, installed ${copies.length} time(s)`);
  if (copies.length !== 1)
    fail(`effect is installed ${copies.length} times:\n  ${copies.join("\n  ")}`);
};

/** Every `node_modules/effect` below `dir`. */
const effectCopies = (dir: string): Array<string> => {
  const found: Array<string> = [];
  const walk = (modules: string): void => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(modules, entry.name);
      if (entry.name.startsWith("@")) {
        for (const scoped of readdirSync(path)) walk(join(path, scoped, "node_modules"));
        continue;
      }
      if (entry.name === "effect") found.push(path);
      walk(join(path, "node_modules"));
    }
  };
  walk(dir);
  return found;
};

// --- 3. use it --------------------------------------------------------------------------------

const examples = join(root, "examples");

const embed = (): void => {
  step("the embedding example with plain node");
  cpSync(join(examples, "embed-tenant-report.ts"), join(scratch, "embed-tenant-report.ts"));
  const output = run(process.execPath, ["embed-tenant-report.ts", "acme.pdf"], { cwd: scratch });
  console.log(output.trim());
  const pdf = readFileSync(join(scratch, "acme.pdf"));
  if (pdf.subarray(0, 5).toString() !== "%PDF-") fail("the embedding example wrote no PDF");
  if (!output.includes("Acme GmbH") || !output.includes("web-01")) {
    fail("the embedding example did not print the summary and the line");
  }
};

const tallyCommand = (): void => {
  step("the tally executable from node_modules/.bin");
  const tally = join(scratch, "node_modules/.bin/tally");
  console.log(run(tally, ["--version"], { cwd: scratch }).trim());
  tallyIsBundled(tally);
  const output = run(tally, ["demo-report", "--dir", "tally-demo"], { cwd: scratch });
  console.log(output.trim().split("\n").slice(-6).join("\n"));
  const reports = readdirSync(join(scratch, "tally-demo/reports"));
  if (reports.filter((name) => name.endsWith(".pdf")).length < 2) {
    fail(`demo-report wrote ${reports.join(", ")}`);
  }
  tallyOnPostgres(tally);
};

/**
 * The installed executable is the bundle (scripts/bundle-cli.ts), not the compiled modules one by
 * one: `tally report … --help` must load none of effect's or kysely's modules from node_modules.
 */
const tallyIsBundled = (tally: string): void => {
  const recorder = join(scratch, "record-loads.mjs");
  const list = join(scratch, "loaded.txt");
  writeFileSync(
    recorder,
    [
      'import { writeFileSync } from "node:fs";',
      'import { registerHooks } from "node:module";',
      "const urls = [];",
      "registerHooks({ load: (url, context, next) => (urls.push(url), next(url, context)) });",
      `process.on("exit", () => writeFileSync(${JSON.stringify(list)}, urls.join("\\n")));`,
      "",
    ].join("\n"),
  );
  run(tally, ["report", "tenants", "--help"], {
    cwd: scratch,
    env: { ...process.env, NODE_OPTIONS: `--import=${recorder}` },
  });
  const loaded = readFileSync(list, "utf8").split("\n");
  const unbundled = loaded.filter((url) => /\/node_modules\/(effect|kysely)\//.test(url));
  console.log(`tally report tenants --help loaded ${loaded.length} modules`);
  if (unbundled.length > 0 || loaded.length > 50) {
    fail(
      `the tally executable is not bundled: it loaded ${loaded.length} modules, e.g. ${unbundled[0]}`,
    );
  }
};

/**
 * The executable against PostgreSQL (TALLY_TEST_POSTGRES_URL, as the tests use; CI sets it):
 * facts imported from CSV files into a schema of its own, then a CSV and a PDF report of them.
 * The executable is a bundle (scripts/bundle-cli.ts): this proves the PostgreSQL driver in it
 * and the modules it leaves to node_modules (better-sqlite3, pdfkit, the fonts) work installed.
 */
const tallyOnPostgres = (tally: string): void => {
  const url = process.env.TALLY_TEST_POSTGRES_URL;
  if (url === undefined || url === "") {
    console.log("(TALLY_TEST_POSTGRES_URL is not set: the executable was not tried on PostgreSQL)");
    return;
  }
  step("the tally executable on PostgreSQL: import, then a CSV and a PDF report");
  const schema = `tally_outside_${process.pid}`;
  const env = { ...process.env, TALLY_STORAGE: `${url}?schema=${schema}` };
  const files: ReadonlyArray<readonly [string, string]> = [
    ["tenants", "id,name\nacme,Acme GmbH\n"],
    ["vms", "id,name,tenantId\nvm-1,web-01,acme\nvm-2,db-01,acme\n"],
    [
      "protection-periods",
      "id,vmId,start,end\np-1,vm-1,2025-01-03T00:00:00Z,2025-02-01T00:00:00Z\n" +
        "p-2,vm-2,2025-01-10T12:00:00Z,\n",
    ],
  ];
  try {
    for (const [kind, text] of files) {
      writeFileSync(join(scratch, `${kind}.csv`), text);
      run(tally, ["import", kind, `${kind}.csv`], { cwd: scratch, env });
    }
    for (const format of ["csv", "pdf"]) {
      const out = `postgres-report.${format}`;
      const args = ["report", "tenants", "--from", "2025-01-01", "--to", "2025-03-01"];
      run(tally, [...args, "--format", format, "--out", out], { cwd: scratch, env });
    }
    const csv = readFileSync(join(scratch, "postgres-report.csv"), "utf8");
    if (!csv.includes("web-01") || !csv.includes("db-01"))
      fail(`the PostgreSQL report holds:\n${csv}`);
    const pdf = readFileSync(join(scratch, "postgres-report.pdf"));
    if (pdf.subarray(0, 5).toString() !== "%PDF-") fail("the PostgreSQL PDF report is no PDF");
    console.log(csv.trim());
  } finally {
    spawnSync("psql", [url, "-X", "-q", "-c", `drop schema if exists "${schema}" cascade`]);
  }
};

/** Textual bugs planted into the JSON-file TaskStore; the contract suite must catch each. */
const plantedBugs = [
  {
    name: "claims and listings break createdAt ties by UTF-16 code unit",
    find: /\.sort\(compareByCreation\)/g,
    replace:
      ".sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))",
  },
  {
    name: "a lease that expires exactly now is not listed as expired",
    find: /\(task\.lease\?\.expiresAt \?\? 0\) <= now/g,
    replace: "(task.lease?.expiresAt ?? 0) < now",
  },
  {
    name: "replace ignores the version (last writer wins)",
    find: /stored\.version !== next\.version - 1/g,
    replace: "false",
  },
] as const;

const adapterSuite = (): void => {
  const source = join(examples, "json-file-task-store");
  const adapter = readFileSync(join(source, "JsonFileTaskStore.ts"), "utf8");
  const test = readFileSync(join(source, "JsonFileTaskStore.test.ts"), "utf8");
  const vitest = join(scratch, "node_modules/vitest/vitest.mjs");
  const suite = (dir: string, expectFailure: boolean): string =>
    run(process.execPath, [vitest, "run", "--dir", dir, "--reporter=dot"], {
      cwd: scratch,
      expectFailure,
    });

  step("an outside TaskStore (JSON file) through the contract suite: it must pass");
  mkdirSync(join(scratch, "json-file-task-store"));
  writeFileSync(join(scratch, "json-file-task-store/JsonFileTaskStore.ts"), adapter);
  writeFileSync(join(scratch, "json-file-task-store/JsonFileTaskStore.test.ts"), test);
  console.log(lastLines(suite("json-file-task-store", false)));

  for (const [i, bug] of plantedBugs.entries()) {
    step(`planted bug ${i + 1}: ${bug.name} — the suite must fail`);
    if (adapter.match(bug.find) === null) fail(`the planted bug no longer applies: ${bug.find}`);
    const dir = `planted-bug-${i + 1}`;
    mkdirSync(join(scratch, dir));
    writeFileSync(
      join(scratch, dir, "JsonFileTaskStore.ts"),
      adapter.replace(bug.find, bug.replace),
    );
    writeFileSync(join(scratch, dir, "JsonFileTaskStore.test.ts"), test);
    const summary = lastLines(suite(dir, true));
    if (!/Tests\s+\d+ failed/.test(summary)) fail(`the suite did not fail on a test:\n${summary}`);
    console.log(summary);
  }
};

const lastLines = (output: string): string =>
  stripVTControlCharacters(output)
    .trim()
    .split("\n")
    .filter((line) => /Test Files|Tests|✓|×|FAIL|AssertionError/.test(line))
    .slice(-12)
    .join("\n");

/** The ```ts blocks of the packages' module headers and READMEs, as consumer modules. */
const publishedExamples = (): void => {
  const out = join(scratch, "published-examples");
  mkdirSync(out);
  let count = 0;
  const take = (file: string, text: string): void => {
    for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
      const code = (match[1] ?? "").replace(/^ \* ?/gm, "");
      const name = `${file.replace(root, "").replace(/[^A-Za-z0-9]+/g, "-")}-${++count}.ts`;
      writeFileSync(join(out, name), `${code}\nexport {};\n`);
    }
  };
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) {
        const header = /^\/\*\*[\s\S]*?\*\//.exec(readFileSync(path, "utf8"))?.[0] ?? "";
        take(path, header);
      }
    }
  };
  for (const dir of packageDirs) {
    walk(join(dir, "src"));
    if (existsSync(join(dir, "README.md")))
      take(join(dir, "README.md"), readFileSync(join(dir, "README.md"), "utf8"));
  }
  console.log(`${count} published examples copied to published-examples/`);
};

const typecheck = (): void => {
  step("tsc --noEmit over the consumer (strict, module nodenext, declarations checked)");
  publishedExamples();
  writeFileSync(
    join(scratch, "entry-points.ts"),
    [
      'import * as Core from "@tally/core";',
      'import * as Arbitraries from "@tally/core/arbitraries";',
      'import * as Testing from "@tally/core/testing";',
      'import * as Storage from "@tally/adapters-storage";',
      'import * as Renderers from "@tally/renderers";',
      'import * as Http from "@tally/adapters-http";',
      'import * as Server from "@tally/server";',
      "export const entryPoints = [Core, Arbitraries, Testing, Storage, Renderers, Http, Server];",
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(scratch, "tsconfig.json"),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: "es2023",
          lib: ["es2023"],
          module: "nodenext",
          moduleResolution: "nodenext",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          allowImportingTsExtensions: true,
          types: ["node"],
        },
        include: ["**/*.ts"],
        exclude: ["node_modules"],
      },
      null,
      2,
    )}\n`,
  );
  const tsc = join(scratch, "node_modules/typescript/bin/tsc");
  const version = run(process.execPath, [tsc, "--version"], { cwd: scratch }).trim();
  run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: scratch });
  console.log(`${version}: no errors`);
};

try {
  const tarballs = buildAndPack();
  step("check the tarballs");
  for (const tarball of tarballs) checkTarball(tarball);
  install(tarballs);
  embed();
  tallyCommand();
  adapterSuite();
  typecheck();
  console.log(`\noutside check passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  rmSync(scratch, { recursive: true, force: true });
  rmSync(packDir, { recursive: true, force: true });
} catch (error) {
  if (!(error instanceof CheckFailed)) throw error;
  console.error(`\nOUTSIDE CHECK FAILED: ${error.message}\n(scratch project kept at ${scratch})`);
  process.exitCode = 1;
}
