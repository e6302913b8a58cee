/**
 * `pnpm bench fuzz`: the HTTP fuzzer of `@tally/adapters-http` at bench size against a real
 * `tally serve` process — a temporary database loaded by `tally demo`, two workers, the
 * production body limits — to see what 100,000 hostile requests do to a whole process: its
 * answers, whether it survives, how much memory it takes.
 *
 * Backend: `TALLY_FUZZ_BACKEND=sqlite` (default: a temporary SQLite file) or `postgres` (a fresh
 * schema of `TALLY_TEST_POSTGRES_URL`, default the local server, dropped afterwards).
 * Requests: `TALLY_FUZZ_REQUESTS` (default 100,000); seed: `TALLY_FUZZ_SEED`; parallel
 * connections: `TALLY_FUZZ_CONCURRENCY` (default 16). Prints the status histogram, the count of
 * 5xx answers, the faults the oracle found (with the bytes sent), whether the process is alive
 * and its peak RSS; exits 1 when there was a fault or the process died.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultHttpOptions } from "@tally/adapters-http";
import { runCampaign, summarize } from "../../adapters-http/test/fuzz/FuzzCampaign.ts";
import type { FuzzWorld } from "../../adapters-http/test/fuzz/HostileRequests.ts";
import {
  dropSchema,
  freshSchemaName,
  requirePostgres,
  testPostgresUrl,
} from "../../adapters-storage/test/support/TestPostgres.ts";
import { demoDataSet } from "../src/demo/DemoDataSet.ts";
import { runTally, tallyBin, testEnv } from "../test/support/TallyProcess.ts";

const requests = Number(process.env.TALLY_FUZZ_REQUESTS ?? 100_000);
const seed = Number(process.env.TALLY_FUZZ_SEED ?? 20_261_123);
const concurrency = Number(process.env.TALLY_FUZZ_CONCURRENCY ?? 16);
const backend = process.env.TALLY_FUZZ_BACKEND ?? "sqlite";
if (backend !== "sqlite" && backend !== "postgres") {
  throw new Error(
    `TALLY_FUZZ_BACKEND: expected sqlite or postgres, got ${JSON.stringify(backend)}`,
  );
}

const dir = mkdtempSync(join(tmpdir(), "tally-fuzz-"));
const schema = backend === "postgres" ? freshSchemaName() : undefined;
if (schema !== undefined) await requirePostgres();
const storage =
  schema === undefined
    ? join(dir, "tally.sqlite")
    : `${testPostgresUrl}${testPostgresUrl.includes("?") ? "&" : "?"}schema=${schema}`;
// The campaign's deliberate wrong passwords (about 2% of its requests, all from 127.0.0.1)
// must not throttle its valid Basic requests: login throttling has tests of its own.
const env = {
  TALLY_STORAGE: storage,
  TALLY_PORT: "0",
  TALLY_WORKERS: "2",
  TALLY_AUTH_FREE_FAILURES: "1000000000",
};

const demo = await runTally(["demo"], { cwd: dir, env });
if (demo.code !== 0) throw new Error(`tally demo failed: ${demo.stderr}`);

const server = spawn(process.execPath, [tallyBin, "serve"], {
  cwd: dir,
  env: testEnv(env),
  stdio: ["ignore", "pipe", "pipe"],
});
const logLevels = new Map<string, number>();
const errorLines: Array<string> = [];
let stderr = "";
const listening = new Promise<string>((resolve, reject) => {
  let pending = "";
  server.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    for (let newline = pending.indexOf("\n"); newline >= 0; newline = pending.indexOf("\n")) {
      const text = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        line = { level: "unparsed", message: text };
      }
      const level = String(line.level);
      logLevels.set(level, (logLevels.get(level) ?? 0) + 1);
      if ((level === "error" || level === "fatal") && errorLines.length < 10) {
        errorLines.push(text.slice(0, 600));
      }
      if (line.message === "listening") resolve(String(line.url));
    }
  });
  server.on("exit", (code) => reject(new Error(`tally serve exited (${code}): ${stderr}`)));
});
server.stderr.setEncoding("utf8").on("data", (chunk: string) => {
  stderr += chunk;
});
const exited = new Promise<number | null>((resolve) => server.on("exit", resolve));

/** Resident memory of the server process: now and its peak, in MiB (Linux). */
const memoryOf = (pid: number): { rss: number; peak: number } => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
};

const url = new URL(await listening);
const pid = server.pid as number;
const world: FuzzWorld = {
  accounts: demoDataSet.accounts,
  tenantIds: demoDataSet.tenants.map((t) => t.id),
  vmIds: demoDataSet.vms.map((v) => v.id),
  organizationIds: demoDataSet.organizations.map((o) => o.id),
  userIds: demoDataSet.users.map((u) => u.id),
  maxBodyBytes: defaultHttpOptions.maxBodyBytes,
  maxCsvBodyBytes: defaultHttpOptions.maxCsvBodyBytes,
  // 16 MiB and 64 MiB bodies: stream a few, declare the rest.
  streamedHugeBodies: 0.02,
};
console.log(
  `fuzzing ${url.origin} (pid ${pid}, ${backend === "postgres" ? `PostgreSQL schema ${schema}` : "SQLite"}) with ${requests} requests, seed ${seed}, ${concurrency} connections`,
);
const report = await runCampaign({
  host: url.hostname,
  port: Number(url.port),
  world,
  seed,
  requests,
  concurrency,
  timeoutMs: 120_000,
  progressEvery: 10_000,
  onProgress: (done, so) => {
    const { rss } = memoryOf(pid);
    console.log(
      `  ${done} sent, ${(so.elapsedMs / 1000).toFixed(0)} s, ${so.atLeast500} ≥500, ${so.faultCount} faults, RSS ${rss.toFixed(0)} MiB`,
    );
  },
});

const health = await fetch(new URL("/v1/health", url)).then(
  (res) => res.status,
  (error: unknown) => String(error),
);
const alive = server.exitCode === null && server.signalCode === null && health === 200;
const memory = alive ? memoryOf(pid) : undefined;

console.log(summarize(report, 20));
console.log(
  `endpoints: ${[...report.endpoints.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([e, n]) => `${e} ${n}`)
    .join("; ")}`,
);
const slowest = [...report.endpoints.entries()]
  .map(([endpoint, n]) => [endpoint, (report.endpointMs.get(endpoint) ?? 0) / n] as const)
  .sort(([, a], [, b]) => b - a)
  .slice(0, 5);
console.log(
  `slowest endpoints (mean ms): ${slowest.map(([e, ms]) => `${e} ${ms.toFixed(0)}`).join("; ")}`,
);
for (const [id, error] of [...report.failedTasks.entries()].slice(0, 5)) {
  console.log(`failed task ${id}: ${error}`);
}
console.log(
  `server log lines by level: ${[...logLevels.entries()].map(([l, n]) => `${l} ${n}`).join(", ")}`,
);
for (const line of errorLines) console.log(`  ${line}`);
console.log(
  `process alive: ${alive} (GET /v1/health → ${health}); peak RSS ${memory?.peak.toFixed(0) ?? "?"} MiB, RSS now ${memory?.rss.toFixed(0) ?? "?"} MiB`,
);

server.kill("SIGTERM");
const code = await exited;
console.log(`tally serve exited with ${code} after SIGTERM`);
rmSync(dir, { recursive: true, force: true });
if (schema !== undefined) await dropSchema(schema);
process.exitCode = alive && report.faultCount === 0 && report.atLeast500 === 0 ? 0 : 1;
