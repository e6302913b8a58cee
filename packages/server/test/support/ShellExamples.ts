/**
 * The shell examples of a Markdown file, and a runner that runs each as pasted: `bash -euo
 * pipefail` in a given folder, with every `curl` going through a wrapper that records the HTTP
 * status of each transfer.
 *
 * An example fails on a non-zero exit, on an HTTP answer of 500 or more, on a 4xx other than 409
 * (an example refused for bad input or a wrong id is a broken example; 409 is the documented
 * answer of some state changes, such as cancelling a finished task), and when a file it says it
 * writes (`-o FILE`, `--output FILE`, `--out FILE`) is missing or empty afterwards.
 *
 * Markers, an HTML comment on the line just above the fence:
 * - `<!-- not run: <reason> -->` — the example cannot run in a test (another machine, the test
 *   suite itself, an install already done);
 * - `<!-- runs in the background -->` — it starts a server: it runs in the background until
 *   `/v1/ready` answers, and serves the examples after it until the next background example or
 *   the end.
 *
 * The README's port 8080 is replaced by a free port, which is also TALLY_PORT, so that runs
 * never collide.
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { freePort } from "./FreePort.ts";

/** How an example is run. */
export type ExampleMode =
  | { readonly _tag: "Run" }
  | { readonly _tag: "Background" }
  | { readonly _tag: "NotRun"; readonly reason: string };

/** One fenced shell block. */
export interface ShellExample {
  /** The line of the opening fence (1-based). */
  readonly line: number;
  readonly text: string;
  readonly mode: ExampleMode;
}

const fence = /^```(sh|bash|shell)\s*$/;
const notRun = /^<!--\s*not run:\s*(.*?)\s*-->$/;
const background = /^<!--\s*runs in the background\s*-->$/;

/** Every ```sh (or bash, shell) block of `markdown`, with its marker. */
export const shellExamples = (markdown: string): ReadonlyArray<ShellExample> => {
  const lines = markdown.split("\n");
  const examples: ShellExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!fence.test(lines[i] ?? "")) continue;
    const end = lines.findIndex((line, j) => j > i && line.trimEnd() === "```");
    if (end < 0) throw new Error(`the shell block at line ${i + 1} is not closed`);
    const above = (lines[i - 1] ?? "").trim();
    const skip = notRun.exec(above);
    if (skip !== null && skip[1] === "") {
      throw new Error(`the "not run" marker above line ${i + 1} gives no reason`);
    }
    const mode: ExampleMode =
      skip !== null
        ? { _tag: "NotRun", reason: skip[1] ?? "" }
        : background.test(above)
          ? { _tag: "Background" }
          : { _tag: "Run" };
    examples.push({ line: i + 1, text: lines.slice(i + 1, end).join("\n"), mode });
    i = end;
  }
  return examples;
};

/** The files an example says it writes (`-o FILE`, `--output FILE`, `--out FILE`). */
export const filesWritten = (text: string): ReadonlyArray<string> =>
  [...text.matchAll(/(?:^|\s)(?:-o|--output|--out)[\s=]+(?:"([^"]+)"|'([^']+)'|([^\s;|&)]+))/g)]
    .map((m) => m[1] ?? m[2] ?? m[3] ?? "")
    .filter((file) => file !== "-" && file !== "/dev/null");

/** What one example did. */
export interface ExampleOutcome {
  readonly example: ShellExample;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The HTTP status of every curl transfer, with its arguments. */
  readonly answers: ReadonlyArray<{ readonly status: number; readonly args: string }>;
  /** Why it failed; empty when it passed. */
  readonly failures: ReadonlyArray<string>;
}

const statusMark = "@@readme-example-status";

/** The curl that records statuses: the real one, with a `-w` that reports to stderr. */
const curlWrapper = (realCurl: string, log: string): string => `#!/usr/bin/env bash
# Written by the README test (ShellExamples.ts): the real curl, and each transfer's HTTP status
# appended to ${log}; exits 22 on an answer >= 500 or a 4xx other than 409.
marks=$(mktemp)
${realCurl} "$@" -w '%{stderr}${statusMark} %{http_code}\\n' 2>"$marks"
rc=$?
bad=0
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    *"${statusMark} "*)
      before=\${line%"${statusMark} "*}
      status=\${line##*"${statusMark} "}
      [ -n "$before" ] && printf '%s\\n' "$before" >&2
      printf '%s\\t%s\\n' "$status" "$*" >>'${log}'
      if [ "$status" -ge 500 ] || { [ "$status" -ge 400 ] && [ "$status" -ne 409 ]; }; then
        echo "curl (README test): HTTP $status from curl $*" >&2
        bad=1
      fi
      ;;
    *) printf '%s\\n' "$line" >&2 ;;
  esac
done <"$marks"
rm -f "$marks"
[ "$rc" -ne 0 ] && exit "$rc"
[ "$bad" -ne 0 ] && exit 22
exit 0
`;

/** Where examples run, and how. */
export interface ExampleRunner {
  readonly port: number;
  /** Runs one example to the end (or starts it, in the background) and tells how it went. */
  readonly run: (example: ShellExample) => Promise<ExampleOutcome>;
  /** Stops the background example, if one runs. */
  readonly stop: () => Promise<void>;
  /** What the background example has printed so far (its server's log). */
  readonly serverOutput: () => string;
}

/** Options of `makeExampleRunner`. */
export interface ExampleRunnerOptions {
  /** The folder the examples run in (a copy of the repository). */
  readonly cwd: string;
  /** A scratch folder of the runner's own (the curl wrapper, the status log). */
  readonly scratch: string;
  /** Added to the environment (after TALLY_*, NODE_OPTIONS and npm/pnpm variables are removed). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long one example may take, and a background one to become ready. */
  readonly timeoutMs: number;
}

const findOnPath = (name: string, path: string): string => {
  for (const dir of path.split(delimiter)) {
    const candidate = join(dir, name);
    if (dir !== "" && existsSync(candidate)) return candidate;
  }
  throw new Error(`${name} is not on PATH`);
};

/**
 * The environment a reader's shell would have: no TALLY_* settings, no NODE_OPTIONS and no
 * variables of the package manager running the tests, and no `node_modules/.bin` on PATH (so
 * `node` is the machine's own, as for a reader who pastes the examples).
 */
const readerEnvironment = (bin: string): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(TALLY_|NODE_OPTIONS$|npm_|pnpm_|PNPM_)/i.test(key)) continue;
    env[key] = value;
  }
  const path = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => !/\/node_modules(\/|$)/.test(dir));
  env.PATH = [bin, ...path].join(delimiter);
  return env;
};

/** Kills a process group and waits for its leader to end. */
const stopGroup = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const ended = new Promise<void>((done) => child.once("close", () => done()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // The group is gone already.
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 30_000);
  await ended;
  clearTimeout(timer);
  signal("SIGKILL"); // whatever of the group outlived its leader
};

/** A runner for the examples of one copy of the repository, on a free port of its own. */
export const makeExampleRunner = async (options: ExampleRunnerOptions): Promise<ExampleRunner> => {
  const port = await freePort();
  const bin = join(options.scratch, "bin");
  const log = join(options.scratch, "curl-statuses.tsv");
  mkdirSync(bin, { recursive: true });
  const baseEnv = readerEnvironment(bin);
  writeFileSync(join(bin, "curl"), curlWrapper(findOnPath("curl", baseEnv.PATH ?? ""), log));
  chmodSync(join(bin, "curl"), 0o755);
  const env = { ...baseEnv, ...options.env, TALLY_PORT: String(port) };
  let server: { readonly child: ChildProcess; readonly output: () => string } | undefined;

  const start = (example: ShellExample) => {
    const script = example.text.replaceAll(/(127\.0\.0\.1|localhost):8080\b/g, `$1:${port}`);
    const child = spawn("bash", ["-euo", "pipefail", "-c", script], {
      cwd: options.cwd,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
    return { child, exited, stdout: () => stdout, stderr: () => stderr };
  };

  const answersSoFar = () =>
    existsSync(log)
      ? readFileSync(log, "utf8")
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => {
            const [status = "", ...args] = line.split("\t");
            return { status: Number(status), args: args.join("\t") };
          })
      : [];

  const stop = async () => {
    const running = server;
    server = undefined;
    if (running !== undefined) await stopGroup(running.child);
  };

  const ready = async (exited: Promise<number | null>): Promise<string | undefined> => {
    const until = Date.now() + options.timeoutMs;
    let ended = false;
    void exited.then(() => {
      ended = true;
    });
    while (Date.now() < until) {
      if (ended) return "it ended before /v1/ready answered";
      const answer = await fetch(`http://127.0.0.1:${port}/v1/ready`).catch(() => undefined);
      if (answer?.status === 200) return undefined;
      await new Promise((wait) => setTimeout(wait, 250));
    }
    return `/v1/ready did not answer 200 within ${options.timeoutMs} ms`;
  };

  const run = async (example: ShellExample): Promise<ExampleOutcome> => {
    rmSync(log, { force: true });
    const files = filesWritten(example.text).map((file) => resolve(options.cwd, file));
    for (const file of files) rmSync(file, { force: true });
    const failures: string[] = [];
    if (example.mode._tag === "Background") {
      await stop();
      const started = start(example);
      server = { child: started.child, output: () => started.stdout() + started.stderr() };
      const problem = await ready(started.exited);
      if (problem !== undefined) failures.push(`the background example did not serve: ${problem}`);
      return {
        example,
        code: started.child.exitCode,
        stdout: started.stdout(),
        stderr: started.stderr(),
        answers: answersSoFar(),
        failures,
      };
    }
    const started = start(example);
    const timer = setTimeout(() => {
      failures.push(`it did not end within ${options.timeoutMs} ms`);
      void stopGroup(started.child);
    }, options.timeoutMs);
    const code = await started.exited;
    clearTimeout(timer);
    const answers = answersSoFar();
    if (code !== 0) failures.push(`exit code ${code}`);
    for (const answer of answers) {
      if (answer.status >= 500 || (answer.status >= 400 && answer.status !== 409)) {
        failures.push(`HTTP ${answer.status} from curl ${answer.args}`);
      }
    }
    for (const file of files) {
      if (!existsSync(file) || statSync(file).size === 0) {
        failures.push(`it says it writes ${file}, which is missing or empty`);
      }
    }
    return {
      example,
      code,
      stdout: started.stdout(),
      stderr: started.stderr(),
      answers,
      failures,
    };
  };

  return { port, run, stop, serverOutput: () => server?.output() ?? "" };
};
