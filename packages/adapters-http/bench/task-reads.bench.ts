/**
 * `pnpm bench task-reads`: how fast a real `tally serve` answers task reads, against a bare
 * `node:http` server answering the same bytes (target: task reads ≥ 50% of bare node:http).
 *
 * Task reads are what clients do most: every client of an asynchronous report polls its task.
 * So the case is the whole path of a poll — a real `tally serve` process over a SQLite file
 * with the demo data, an account, and one tenant report task already run to the end, read with
 * `GET /v1/tasks/{id}` (native JSON, the realistic one) with HTTP Basic and with a Bearer
 * token, and with face 1's `GET /api/2.0/virtualization/tasks/{id}` (`Accept:
 * application/json`, Basic). The reference is `bareHttpServer.ts`: a bare `node:http` server
 * returning the very body Tally returned, with the same headers.
 *
 * Load comes from `wrk` (installed with apt-get when missing): `-t2 -c32`, one process per
 * server, runs alternated (bare, tally, …) so that drift of the machine hits both sides; each
 * case reports its median over the runs. The machine has 2 cores, which wrk and the server
 * share: absolute figures are low, the ratio is what counts. Peak RSS is each server
 * process's VmHWM at the end; the server's CPU time per request (from /proc/<pid>/stat) is
 * printed too, as it moves less than req/s when other work shares the machine. Not a test: it
 * prints, it does not fail on time.
 *
 * Where a Tally task read spends its time (`--cpu-prof` on the serve process): the two SQLite
 * point reads (the account, re-read on every request so that a changed password or a removed
 * account takes effect at once, and the task) are the largest part, then the effect runtime
 * and routing, the task's JSON, and the credential hash. A bare server does none of that, so
 * the target is out of reach without changing what a read guarantees.
 *
 * Options (environment): TALLY_BENCH_RUNS (default 5), TALLY_BENCH_SECONDS (per run, default 5),
 * TALLY_BENCH_BEFORE (the root of another checkout with its dependencies installed, e.g. the
 * commit before a change: its `tally serve` is measured too, on the same database, alternated
 * with this checkout's, so that a change is judged within one run), TALLY_BENCH_BEFORE_MIGRATION
 * (the last migration that checkout knows, default 0001_initial_schema; later ones are removed
 * from the database's record before it opens it; needs the `sqlite3` command).
 */
import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const runs = Number(process.env.TALLY_BENCH_RUNS ?? 5);
const seconds = Number(process.env.TALLY_BENCH_SECONDS ?? 5);
const connections = 32;
const threads = 2;
const targetRatio = 0.5;
const username = "bench";
const password = "bench-password";
const basic = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;

const tallyBin = fileURLToPath(new URL("../../server/src/bin/tally.ts", import.meta.url));
const beforeRoot = process.env.TALLY_BENCH_BEFORE;
const beforeBin =
  beforeRoot === undefined ? undefined : join(beforeRoot, "packages/server/src/bin/tally.ts");
/** The last migration the other checkout knows (fec278a, before HttpApi: the first one). */
const lastMigrationBefore = process.env.TALLY_BENCH_BEFORE_MIGRATION ?? "0001_initial_schema";
const bareServer = fileURLToPath(new URL("./bareHttpServer.ts", import.meta.url));
const startedAt = performance.now();

/** Ends the benchmark with a message (exit code 1). */
const giveUp = (message: string): never => {
  console.error(`task-reads bench: ${message}`);
  process.exit(1);
};

/** Makes sure `wrk` is on the PATH, installing it with apt-get if needed. */
const ensureWrk = (): void => {
  const found = () => spawnSync("sh", ["-c", "command -v wrk"], { encoding: "utf8" });
  const before = found();
  if (before.status === 0) {
    console.log(`wrk: already installed (${before.stdout.trim()})`);
    return;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => spawnSync("apt-get", ["install", "-y", "-qq", "wrk"], { env });
  console.log("wrk: not found; running apt-get install -y -qq wrk");
  let installed = install();
  if (installed.status !== 0) {
    console.log("wrk: install failed; running apt-get update -qq, then installing again");
    spawnSync("apt-get", ["update", "-qq"], { env, stdio: "ignore" });
    installed = install();
  }
  const after = found();
  if (installed.status !== 0 || after.status !== 0) {
    giveUp(
      "wrk is needed and could not be installed with apt-get " +
        `(${String(installed.error ?? installed.stderr ?? "").trim() || `exit ${installed.status}`}). ` +
        "Install it (`apt-get install wrk`) and run again.",
    );
  }
  console.log(`wrk: installed (${after.stdout.trim()})`);
};

/** The environment of a `tally` command: no TALLY_* from outside, this run's database. */
const tallyEnv = (database: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("TALLY_")) env[key] = value;
  }
  return { ...env, TALLY_STORAGE: database, TALLY_LOCAL_ZONE: "UTC", ...extra };
};

/** Runs `tally args…` to the end; gives up if it fails. */
const tally = (args: ReadonlyArray<string>, database: string): void => {
  const run = spawnSync(process.execPath, [tallyBin, ...args], {
    env: tallyEnv(database),
    encoding: "utf8",
  });
  if (run.status !== 0) giveUp(`tally ${args.join(" ")} failed: ${run.stderr}`);
};

/** A server child process and the URL it printed. */
interface RunningServer {
  readonly child: ChildProcess;
  readonly url: string;
}

const children: ChildProcess[] = [];

/** Starts a server process and waits for the first stdout JSON line that carries a `url`. */
const startServer = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Promise<RunningServer> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let pending = "";
    let stderr = "";
    let found = false;
    const timer = setTimeout(() => reject(new Error(`no URL in 30 s; stderr: ${stderr}`)), 30_000);
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      if (found) return;
      pending += chunk;
      for (const line of pending.split("\n")) {
        try {
          const url = (JSON.parse(line) as { url?: unknown }).url;
          if (typeof url === "string") {
            found = true;
            clearTimeout(timer);
            resolve({ child, url });
            return;
          }
        } catch {
          // not a whole JSON line yet
        }
      }
    });
    child.on("exit", (code) => {
      if (!found) reject(new Error(`${args.join(" ")} exited (${code}); stderr: ${stderr}`));
    });
  });

/** Peak resident set of a process so far (VmHWM), in MiB. */
const peakRssMiB = (pid: number | undefined): number => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kib === undefined ? Number.NaN : Number(kib) / 1024;
};

/** Sends SIGTERM and waits (at most 20 s) for the process to end. */
const stopped = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, 20_000);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });

/** GETs a URL and gives up unless it answers 200; returns the body. */
const fetchOk = async (url: string, headers: Record<string, string>): Promise<string> => {
  const response = await fetch(url, { headers });
  const body = await response.text();
  if (response.status !== 200) giveUp(`GET ${url} answered ${response.status}: ${body}`);
  return body;
};

/** Clock ticks per second, the unit of CPU times in /proc/<pid>/stat. */
const clockTicks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

/** CPU time (user + system) a process has used so far, in ms. */
const cpuMs = (pid: number | undefined): number => {
  // Fields after the command name (which is in parentheses and may hold spaces).
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
};

/** One wrk run's figures. */
interface WrkFigures {
  readonly requests: number;
  /** CPU time of the server per request (µs): less sensitive than req/s to a busy machine. */
  readonly serverCpuUs: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly socketErrors: string | null;
}

const toMs = (value: string, unit: string): number =>
  Number(value) * (unit === "us" ? 0.001 : unit === "s" ? 1000 : unit === "m" ? 60_000 : 1);

const wrk = (url: string, headers: Record<string, string>, durationS: number, pid?: number) =>
  new Promise<WrkFigures>((resolve, reject) => {
    const cpuBefore = cpuMs(pid);
    const args = [`-t${threads}`, `-c${connections}`, `-d${durationS}s`, "--latency"];
    for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}: ${value}`);
    execFile("wrk", [...args, url], { encoding: "utf8" }, (error, stdout) => {
      if (error !== null) return reject(error);
      const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
      if (non2xx !== null) return reject(new Error(`${non2xx[1]} error answers from ${url}`));
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
      const p50 = /^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(stdout);
      const p99 = /^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(stdout);
      const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
      if (rps?.[1] === undefined || !(requests > 0)) {
        return reject(new Error(`unreadable wrk output:\n${stdout}`));
      }
      resolve({
        requests,
        serverCpuUs: ((cpuMs(pid) - cpuBefore) * 1000) / requests,
        requestsPerSecond: Number(rps[1]),
        p50Ms: p50 === null ? Number.NaN : toMs(p50[1] as string, p50[2] as string),
        p99Ms: p99 === null ? Number.NaN : toMs(p99[1] as string, p99[2] as string),
        socketErrors: /Socket errors: (.*)/.exec(stdout)?.[1] ?? null,
      });
    });
  });

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** A measured case: what is read, where, how, and against which reference. */
interface BenchCase {
  readonly name: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly server: RunningServer;
  /** The bare case a Tally case is compared with (none for a bare case). */
  readonly reference?: BenchCase;
  readonly figures: WrkFigures[];
}

ensureWrk();
const dir = mkdtempSync(join(tmpdir(), "tally-bench-http-"));
const database = join(dir, "tally.sqlite");

const cleanUp = () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  rmSync(dir, { recursive: true, force: true });
};
process.on("exit", cleanUp);

try {
  // A database with the demo data, the bench account, and one finished tenant report task.
  tally(["demo"], database);
  tally(["users", "add", username, "--role", "administrator", "--password", password], database);
  const tallyServer = await startServer(
    // As `pnpm tally serve` runs it (see packages/server/src/bin/tally.ts).
    ["--max-semi-space-size=4", tallyBin, "serve"],
    tallyEnv(database, { TALLY_HOST: "127.0.0.1", TALLY_PORT: "0" }),
  );
  const submitted = await fetch(`${tallyServer.url}/v1/reports`, {
    method: "POST",
    headers: { authorization: basic, "content-type": "application/json" },
    body: JSON.stringify({
      type: "tenant-protection",
      start: "2024-01-01T00:00:00Z",
      end: "2025-01-01T00:00:00Z",
      timezone: "UTC",
      format: "csv",
    }),
  });
  if (submitted.status !== 202) giveUp(`POST /v1/reports answered ${submitted.status}`);
  const taskId = String(((await submitted.json()) as { id: unknown }).id);
  const nativePath = `/v1/tasks/${taskId}`;
  const face1Path = `/api/2.0/virtualization/tasks/${taskId}`;
  const until = Date.now() + 30_000;
  let nativeBody = await fetchOk(`${tallyServer.url}${nativePath}`, { authorization: basic });
  while ((JSON.parse(nativeBody) as { state: string }).state !== "Succeeded") {
    if (Date.now() > until) giveUp(`the report task did not succeed in 30 s: ${nativeBody}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    nativeBody = await fetchOk(`${tallyServer.url}${nativePath}`, { authorization: basic });
  }
  const face1Body = await fetchOk(`${tallyServer.url}${face1Path}`, {
    authorization: basic,
    accept: "application/json",
  });
  const tokenResponse = await fetch(`${tallyServer.url}/v6/Token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", username, password }).toString(),
  });
  const accessToken = ((await tokenResponse.json()) as { access_token?: unknown }).access_token;
  if (typeof accessToken !== "string") giveUp(`POST /v6/Token answered ${tokenResponse.status}`);
  const bearer = `Bearer ${String(accessToken)}`;
  // The other checkout reads the same database, task and account. It would refuse a database
  // that records migrations it does not know (this one's server has already opened it, and
  // checks only then): they are forgotten first, as the report-path bench does.
  if (beforeBin !== undefined) {
    const forget = spawnSync(
      "sqlite3",
      [database, `delete from kysely_migration where name > '${lastMigrationBefore}'`],
      { encoding: "utf8" },
    );
    if (forget.status !== 0) giveUp(`sqlite3 could not forget migrations: ${forget.stderr}`);
  }
  const beforeServer =
    beforeBin === undefined
      ? undefined
      : await startServer(
          ["--max-semi-space-size=4", beforeBin, "serve"],
          tallyEnv(database, { TALLY_HOST: "127.0.0.1", TALLY_PORT: "0", TALLY_WORKERS: "0" }),
        );

  // The reference answers the very bytes Tally answered.
  writeFileSync(join(dir, "native.json"), nativeBody);
  writeFileSync(join(dir, "face1.json"), face1Body);
  const bare = await startServer(
    [bareServer, join(dir, "native.json"), join(dir, "face1.json")],
    process.env,
  );
  const nativeBytes = Buffer.byteLength(nativeBody);
  const face1Bytes = Buffer.byteLength(face1Body);
  const json = { accept: "application/json" };
  const bareNative: BenchCase = {
    name: `bare node:http, native body (${nativeBytes} B)`,
    url: `${bare.url}${nativePath}`,
    headers: { authorization: basic },
    server: bare,
    figures: [],
  };
  const bareFace1: BenchCase = {
    name: `bare node:http, face-1 body (${face1Bytes} B)`,
    url: `${bare.url}${face1Path}`,
    headers: { authorization: basic, ...json },
    server: bare,
    figures: [],
  };
  // Each Tally case runs right after its bare reference or another Tally case of it; with a
  // checkout to compare, its server's case runs right before this one's.
  const measured = (
    name: string,
    path: string,
    headers: Record<string, string>,
    reference: BenchCase,
  ): BenchCase[] => [
    ...(beforeServer === undefined
      ? []
      : [
          {
            name: `before: ${name}`,
            url: `${beforeServer.url}${path}`,
            headers,
            server: beforeServer,
            reference,
            figures: [],
          },
        ]),
    {
      name,
      url: `${tallyServer.url}${path}`,
      headers,
      server: tallyServer,
      reference,
      figures: [],
    },
  ];
  const cases: BenchCase[] = [
    bareNative,
    ...measured(
      "tally GET /v1/tasks/{id}, Basic",
      nativePath,
      { authorization: basic },
      bareNative,
    ),
    ...measured(
      "tally GET /v1/tasks/{id}, Bearer",
      nativePath,
      { authorization: bearer },
      bareNative,
    ),
    bareFace1,
    ...measured(
      "tally face 1 GET …/tasks/{id} JSON, Basic",
      face1Path,
      { authorization: basic, ...json },
      bareFace1,
    ),
  ];

  console.log(
    `task-reads bench: wrk -t${threads} -c${connections} -d${seconds}s, ${runs} runs per case, ` +
      `alternated bare/tally; task ${taskId} (Succeeded) in SQLite ${database}`,
  );
  console.log(
    "note: this machine has 2 cores; wrk (2 threads) and the server under test share them, " +
      "so absolute req/s are low and the tally/bare ratio is the figure that counts.",
  );
  // Warm-up (not counted): JIT, SQLite page cache, the Basic credential cache. Each case is
  // read once first: on a busy machine, 32 connections checking a password nobody has checked
  // yet can answer nothing in the warm-up's second, which is then not a failure.
  for (const c of cases) {
    await fetchOk(c.url, c.headers);
    await wrk(c.url, c.headers, 1, c.server.child.pid).catch(() => undefined);
  }
  for (let round = 1; round <= runs; round++) {
    for (const c of cases) c.figures.push(await wrk(c.url, c.headers, seconds, c.server.child.pid));
    const line = cases.map((c) => Math.round(c.figures.at(-1)?.requestsPerSecond ?? 0));
    console.log(`round ${round}/${runs}: req/s ${line.join(" / ")}`);
  }

  const servers = [tallyServer, bare, ...(beforeServer === undefined ? [] : [beforeServer])];
  const rss = new Map(servers.map((s) => [s, peakRssMiB(s.child.pid)]));
  const medianOf = (c: BenchCase, figure: (f: WrkFigures) => number) =>
    median(c.figures.map(figure));
  const rpsOf = (c: BenchCase) => medianOf(c, (f) => f.requestsPerSecond);
  const ratioOf = (c: BenchCase) =>
    c.reference === undefined ? null : rpsOf(c) / rpsOf(c.reference);
  const verdict = (ratio: number) => (ratio >= targetRatio ? "PASS" : "MISS");
  const rows = cases.map((c) => {
    const all = c.figures.map((f) => f.requestsPerSecond);
    const ratio = ratioOf(c);
    const errors = c.figures.map((f) => f.socketErrors).filter((e) => e !== null);
    return {
      case: c.name,
      "req/s (median)": Math.round(rpsOf(c)),
      "req/s min–max": `${Math.round(Math.min(...all))}–${Math.round(Math.max(...all))}`,
      "p50 ms": Number(medianOf(c, (f) => f.p50Ms).toFixed(2)),
      "p99 ms": Number(medianOf(c, (f) => f.p99Ms).toFixed(2)),
      "server CPU µs/req": Number(medianOf(c, (f) => f.serverCpuUs).toFixed(1)),
      "server peak RSS MiB": Math.round(rss.get(c.server) ?? Number.NaN),
      "tally/bare": ratio === null ? "—" : `${(ratio * 100).toFixed(0)}%`,
      "target ≥ 50%": ratio === null ? "(reference)" : verdict(ratio),
      ...(errors.length > 0 ? { "socket errors": errors.join("; ") } : {}),
    };
  });
  console.table(rows);
  const realistic = cases.find((c) => c.name === "tally GET /v1/tasks/{id}, Basic") as BenchCase;
  const realisticRatio = ratioOf(realistic) ?? 0;
  console.log(
    `target: task reads ≥ ${targetRatio * 100}% of bare node:http — ${realistic.name}: ` +
      `${(realisticRatio * 100).toFixed(0)}%, ${verdict(realisticRatio)} ` +
      `(server CPU per request: bare ${medianOf(bareNative, (f) => f.serverCpuUs).toFixed(1)} µs, ` +
      `tally ${medianOf(realistic, (f) => f.serverCpuUs).toFixed(1)} µs); ` +
      `total time ${Math.round((performance.now() - startedAt) / 1000)} s`,
  );
  await Promise.all(servers.map((s) => stopped(s.child)));
} catch (error) {
  giveUp(error instanceof Error ? error.message : String(error));
}
