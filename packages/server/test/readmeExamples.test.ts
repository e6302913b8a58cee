/**
 * The README's shell examples work as pasted. Every ```sh block runs, in README order, with
 * `bash -euo pipefail` in a fresh copy of the repository (the working tree without
 * node_modules, .tally and dist; the installed node_modules are linked in, so nothing is
 * installed), in a reader's environment (the machine's own `node` first on PATH, no TALLY_*
 * settings), against the server a README example starts. See `support/ShellExamples.ts` for
 * what fails an example and for the markers of examples that cannot run here.
 *
 * The demo's last words — the command that serves its data — must be one of the README's
 * server examples, so running the README runs the command the demo prints.
 *
 * The runner itself is tested first: a failing command, a 500 answer (also inside a condition,
 * where it does not stop the script), a refused request and a file named with `-o` but not
 * written each fail an example; a 409 and a written file do not.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  type ExampleOutcome,
  type ExampleRunner,
  makeExampleRunner,
  type ShellExample,
  shellExamples,
} from "./support/ShellExamples.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");

/** Generous: each example starts processes (npx, pnpm, Node) on a loaded 2-core machine. */
const exampleTimeoutMs = 240_000;

/** What the copy leaves out: installed, built, generated or large. */
const notCopied = new Set([
  "node_modules",
  ".git",
  ".tally",
  "dist",
  "artifacts",
  "bench-data",
  "coverage",
  ".stryker-tmp",
]);

/** The working tree in `target`, as a clone has it: nothing installed, built or generated. */
const copyRepository = (target: string): void => {
  cpSync(root, target, { recursive: true, filter: (source) => !notCopied.has(basename(source)) });
};

const scratches: string[] = [];
const runners: ExampleRunner[] = [];
const servers: Server[] = [];

const scratch = (name: string): string => {
  const dir = mkdtempSync(join(tmpdir(), `tally-${name}-`));
  scratches.push(dir);
  return dir;
};

afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  await Promise.all(
    servers.splice(0).map((server) => new Promise<void>((done) => server.close(() => done()))),
  );
});

afterAll(() => {
  for (const dir of scratches.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The last `lines` lines of `text`. */
const tail = (text: string, lines = 40): string => text.split("\n").slice(-lines).join("\n");

/** What a failed example did, for the test's message. */
const explain = (outcome: ExampleOutcome, serverLog: string): string =>
  [
    `README.md line ${outcome.example.line}: ${outcome.failures.join("; ")}`,
    `--- example\n${outcome.example.text}`,
    `--- stdout\n${tail(outcome.stdout)}`,
    `--- stderr\n${tail(outcome.stderr)}`,
    `--- server\n${tail(serverLog, 20)}`,
  ].join("\n");

const pnpmEnv = { pnpm_config_verify_deps_before_run: "false" };

describe("the README's example runner", () => {
  const example = (text: string): ShellExample => ({ line: 1, text, mode: { _tag: "Run" } });

  const withTestServer = async () => {
    const dir = scratch("readme-runner");
    const runner = await makeExampleRunner({ cwd: dir, scratch: dir, timeoutMs: 60_000 });
    runners.push(runner);
    const statuses: Record<string, number> = { "/ok": 200, "/boom": 500, "/empty": 204 };
    const server = createServer((request, response) => {
      const status = statuses[request.url ?? ""] ?? (request.url === "/taken" ? 409 : 404);
      response.writeHead(status).end(status === 204 ? undefined : `answer ${status}\n`);
    });
    servers.push(server);
    await new Promise<void>((listening) => server.listen(runner.port, "127.0.0.1", listening));
    return runner;
  };

  it("finds the blocks and their markers", () => {
    const markdown = [
      "```sh",
      "echo run",
      "```",
      "<!-- not run: needs another machine -->",
      "```sh",
      "echo skipped",
      "```",
      "<!-- runs in the background -->",
      "```sh",
      "echo served",
      "```",
      "```ts",
      "const notShell = 1;",
      "```",
    ].join("\n");
    expect(shellExamples(markdown)).toEqual([
      { line: 1, text: "echo run", mode: { _tag: "Run" } },
      { line: 5, text: "echo skipped", mode: { _tag: "NotRun", reason: "needs another machine" } },
      { line: 9, text: "echo served", mode: { _tag: "Background" } },
    ]);
  });

  it("fails an example on a failing command, a 5xx, a refused request or a file not written", async () => {
    const runner = await withTestServer();
    const failuresOf = async (text: string) => (await runner.run(example(text))).failures;
    const url = "http://127.0.0.1:8080";
    expect(await failuresOf("echo before\nfalse\necho after")).toEqual(["exit code 1"]);
    expect(await failuresOf(`curl -s ${url}/boom`)).toEqual([
      "exit code 22",
      `HTTP 500 from curl -s http://127.0.0.1:${runner.port}/boom`,
    ]);
    expect(await failuresOf(`if curl -s ${url}/boom; then :; fi`)).toEqual([
      `HTTP 500 from curl -s http://127.0.0.1:${runner.port}/boom`,
    ]);
    expect(await failuresOf(`curl -s ${url}/nothing-here`)).toEqual([
      "exit code 22",
      `HTTP 404 from curl -s http://127.0.0.1:${runner.port}/nothing-here`,
    ]);
    const missing = await failuresOf(`curl -s ${url}/empty -o empty.txt`);
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatch(/it says it writes .*\/empty\.txt, which is missing or empty$/);
  }, 180_000);

  it("passes an example whose answers are 2xx or 409 and whose files are written", async () => {
    const runner = await withTestServer();
    const outcome = await runner.run(
      example("curl -s http://127.0.0.1:8080/ok -o ok.txt\ncurl -s http://127.0.0.1:8080/taken"),
    );
    expect({ failures: outcome.failures, stdout: outcome.stdout }).toEqual({
      failures: [],
      stdout: "answer 409\n",
    });
    expect(outcome.answers.map((answer) => answer.status)).toEqual([200, 409]);
  }, 180_000);
});

describe("the README's shell examples", () => {
  it(
    "run as pasted, in a copy of the repository, against a server started as the README shows",
    async () => {
      const examples = shellExamples(readme);
      const dir = scratch("readme");
      const repo = join(dir, "repo");
      copyRepository(repo);
      const runner = await makeExampleRunner({
        cwd: repo,
        scratch: dir,
        env: pnpmEnv,
        timeoutMs: exampleTimeoutMs,
      });
      runners.push(runner);
      const outcomes: ExampleOutcome[] = [];
      for (const example of examples) {
        if (example.mode._tag === "NotRun") continue;
        const outcome = await runner.run(example);
        expect(outcome.failures, explain(outcome, runner.serverOutput())).toEqual([]);
        outcomes.push(outcome);
      }
      // The README shows a server and examples against it; the demo's hint is among them.
      const ran = outcomes.map((outcome) => outcome.example.mode._tag);
      expect(ran.filter((tag) => tag === "Background").length).toBeGreaterThanOrEqual(1);
      expect(ran.filter((tag) => tag === "Run").length).toBeGreaterThanOrEqual(4);
      const demo = outcomes.map((o) => o.stdout).find((out) => out.includes("Serve this data"));
      const hint = /^Serve this data.*\n\s+(.+)$/m.exec(demo ?? "")?.[1];
      const servers = examples
        .filter((example) => example.mode._tag === "Background")
        .map((example) => example.text.trim());
      expect(servers).toContain(hint);
    },
    30 * 60_000,
  );
});
