/**
 * Runs the real `tally` executable as a child process (Node 24: `process.execPath` under
 * pnpm), for end-to-end tests of the command line and of `serve`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { waitDeadlineMs } from "./LoadedMachine.ts";

/** The entry point under test. */
export const tallyBin = fileURLToPath(new URL("../../src/bin/tally.ts", import.meta.url));

/** What a finished command printed and how it exited. */
export interface TallyRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a test command: no TALLY_* from the outside, quiet logs unless asked. */
export const testEnv = (env: Readonly<Record<string, string>>): NodeJS.ProcessEnv => {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("TALLY_")) clean[key] = value;
  }
  return { ...clean, TALLY_LOCAL_ZONE: "UTC", ...env };
};

/** Runs `tally args…` to the end. */
export const runTally = (
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env?: Readonly<Record<string, string>> },
): Promise<TallyRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tallyBin, ...args], {
      cwd: options.cwd,
      env: testEnv(options.env ?? {}),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });

/** A long-running `tally` process (serve, worker) and its JSON log lines so far. */
export interface TallyServer {
  readonly child: ChildProcess;
  readonly logs: Array<Record<string, unknown>>;
  readonly stderr: () => string;
  /** Resolves with the first log line matching, or rejects after `timeoutMs`. */
  readonly waitForLog: (
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ) => Promise<Record<string, unknown>>;
  /** Resolves with the exit code and signal when the process ends. */
  readonly exited: Promise<{
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
  }>;
}

/** Starts `tally args…` and collects its stdout JSON lines. */
export const startTally = (
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env?: Readonly<Record<string, string>> },
): TallyServer => {
  const child = spawn(process.execPath, [tallyBin, ...args], {
    cwd: options.cwd,
    env: testEnv(options.env ?? {}),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  let pending = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ message: line, unparsed: true });
      }
      newline = pending.indexOf("\n");
    }
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => {
      for (const wake of waiters.splice(0)) wake();
      resolve({ code, signal });
    }),
  );
  const waitForLog = (
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs = waitDeadlineMs,
  ) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching log line in ${timeoutMs} ms; stderr: ${stderr}`)),
        timeoutMs,
      );
      const check = () => {
        const found = logs.find(match);
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(timer);
          reject(
            new Error(`tally exited (${child.exitCode ?? child.signalCode}); stderr: ${stderr}`),
          );
        } else waiters.push(check);
      };
      check();
    });
  return { child, logs, stderr: () => stderr, waitForLog, exited };
};
