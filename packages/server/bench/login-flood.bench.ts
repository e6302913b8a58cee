/**
 * `pnpm bench login-flood`: a small tenant report (face 1, every tenant, 2024: 13 lines) on a
 * real `tally serve` (SQLite, one worker), timed quiet and under a wrong-password flood — 64
 * keep-alive connections sending wrong Basic passwords for `admin` as fast as they are
 * answered — alternating in the same run, TALLY_BENCH_RUNS times each (default 5). During each
 * flood another user also gets a token with the password grant (a fresh scrypt check) from
 * another address, timed. Prints medians, the flood's answers and rate.
 */
import { mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { httpFrom } from "../test/support/HttpFrom.ts";
import { startFlood, timeTenantReport } from "../test/support/LoginFlood.ts";
import { runTally, startTally } from "../test/support/TallyProcess.ts";

const runs = Math.max(1, Number(process.env.TALLY_BENCH_RUNS ?? 5));
const connections = 64;

const dir = mkdtempSync(join(tmpdir(), "tally-login-flood-"));
const env = { TALLY_STORAGE: join(dir, "tally.sqlite"), TALLY_PORT: "0", TALLY_WORKERS: "1" };
const demo = await runTally(["demo"], { cwd: dir, env });
if (demo.code !== 0) throw new Error(`tally demo failed: ${demo.stderr}`);
const server = startTally(["serve"], { cwd: dir, env });
const url = String((await server.waitForLog((line) => line.message === "listening")).url);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const tokenLogin = async (username: string, from: string) => {
  const started = performance.now();
  const answer = await httpFrom(`${url}/v6/Token`, {
    method: "POST",
    from,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", username, password: username }).toString(),
  });
  if (answer.status !== 200) throw new Error(`${username} could not log in: ${answer.status}`);
  return {
    ms: performance.now() - started,
    body: JSON.parse(answer.body) as { access_token: string },
  };
};

try {
  const bearer = `Bearer ${(await tokenLogin("admin", "127.0.0.2")).body.access_token}`;
  await timeTenantReport(url, bearer); // warms the worker and the report path
  const quiet: number[] = [];
  const flooded: number[] = [];
  const bystander: number[] = [];
  const answers = new Map<number, number>();
  let floodSeconds = 0;
  for (let run = 0; run < runs; run++) {
    quiet.push(await timeTenantReport(url, bearer));
    const started = performance.now();
    const flood = startFlood(url, { connections, from: "127.0.0.1", username: "admin" });
    await sleep(1_000);
    flooded.push(await timeTenantReport(url, bearer, 120_000));
    bystander.push((await tokenLogin("romashka-operator", "127.0.0.3")).ms);
    for (const [status, count] of await flood.stop()) {
      answers.set(status, (answers.get(status) ?? 0) + count);
    }
    floodSeconds += (performance.now() - started) / 1000;
  }
  const attempts = [...answers.values()].reduce((a, b) => a + b, 0);
  console.table([
    { case: "report, quiet", "median ms": median(quiet).toFixed(0), "vs quiet": "1.00×" },
    {
      case: `report, ${connections} connections of wrong passwords`,
      "median ms": median(flooded).toFixed(0),
      "vs quiet": `${(median(flooded) / median(quiet)).toFixed(2)}×`,
    },
    {
      case: "another user's token login during the flood",
      "median ms": median(bystander).toFixed(0),
      "vs quiet": "",
    },
  ]);
  const listed = (values: ReadonlyArray<number>) => values.map((v) => v.toFixed(0)).join(", ");
  const statuses = [...answers].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
  console.log(
    `flood: ${attempts} attempts in ${floodSeconds.toFixed(1)} s ` +
      `(${(attempts / floodSeconds).toFixed(0)}/s), answers ${statuses.join(" · ")}`,
  );
  console.log(`runs: quiet ${listed(quiet)} ms; flooded ${listed(flooded)} ms`);
  console.log(
    `load average: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
} finally {
  server.child.kill("SIGTERM");
  await server.exited;
}
