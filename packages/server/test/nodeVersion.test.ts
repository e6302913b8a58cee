/**
 * The `tally` entry point on a Node older than `engines` (>= 22.19) — what the built
 * `dist/bin/tally.js` meets when started with the machine's own old `node`: one line saying which
 * Node it needs and which it got, exit code 1. The entry point's own source, type-stripped as the
 * build would emit it, runs under this Node with `process.versions.node` set to an older version,
 * and under the system's old Node itself when there is one.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { stripTypeScriptTypes } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tallyBin } from "./support/TallyProcess.ts";

/** The entry point as JavaScript, in a scratch folder (it stops before importing anything). */
const strippedEntry = (): string => {
  const file = join(mkdtempSync(join(tmpdir(), "tally-node-version-")), "tally.mjs");
  writeFileSync(file, stripTypeScriptTypes(readFileSync(tallyBin, "utf8")));
  return file;
};

const run = (node: string, args: ReadonlyArray<string>) => {
  const result = spawnSync(node, [...args], { encoding: "utf8", env: { PATH: "/usr/bin:/bin" } });
  return { code: result.status, stderr: result.stderr, stdout: result.stdout };
};

const systemNode = "/usr/bin/node";
const systemNodeVersion = existsSync(systemNode)
  ? execFileSync(systemNode, ["--version"], { encoding: "utf8" }).trim()
  : "none";
const systemNodeIsOld = /^v(1\d|20|21|22\.(1[0-8]|\d))\./.test(systemNodeVersion);

describe("the tally entry point on an old Node", () => {
  it("stops with exit code 1 and names the Node it needs and the one it got", () => {
    const pretend = `--import=data:text/javascript,Object.defineProperty(process.versions,"node",{value:"22.18.0"})`;
    const result = run(process.execPath, [pretend, strippedEntry(), "--version"]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: `tally needs Node.js 22.19 or newer; this is Node.js 22.18.0 (${process.execPath})\n`,
    });
  });

  it.runIf(systemNodeIsOld)(`says so under the system's own ${systemNodeVersion}`, () => {
    const result = run(systemNode, [strippedEntry(), "serve"]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: `tally needs Node.js 22.19 or newer; this is Node.js ${systemNodeVersion.slice(1)} (${systemNode})\n`,
    });
  });
});
