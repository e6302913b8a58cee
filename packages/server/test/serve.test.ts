/**
 * `tally serve` as a child process on an ephemeral port over a SQLite file: a face-1 report
 * requested over HTTP with Basic auth, polled and downloaded; and the graceful shutdown — a
 * SIGTERM during a running report ends the process within the deadline, and the task is then
 * finished or back in the queue (read from the SQLite file afterwards), never stuck Running,
 * never half a report. A `tally worker` started afterwards runs the released task to the end.
 */
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScryptPasswordHasher, type StoragePorts } from "@tally/adapters-storage";
import {
  type PasswordHasher,
  type ProtectionPeriod,
  ProtectionPeriodStore,
  ReportStore,
  type ReportTask,
  TaskStore,
  TenantDirectory,
} from "@tally/core";
import { Effect, Layer, Option, Stream } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import { loadDemoData } from "../src/demo/loadDemoData.ts";
import { storageLayer } from "../src/wiring/StorageLayer.ts";
import { processTestTimeoutMs, waitDeadlineMs } from "./support/LoadedMachine.ts";
import { quiet } from "./support/quiet.ts";
import { startTally, type TallyServer } from "./support/TallyProcess.ts";

/** Runs a test program without log output. */
const runQuiet = <A, E>(effect: Effect.Effect<A, E>): Promise<A> =>
  Effect.runPromise(quiet(effect));

const basic = `Basic ${Buffer.from("admin:admin").toString("base64")}`;
const running: TallyServer[] = [];

afterEach(() => {
  for (const server of running.splice(0)) {
    if (server.child.exitCode === null && server.child.signalCode === null)
      server.child.kill("SIGKILL");
  }
});

const inStore = <A, E>(
  path: string,
  program: Effect.Effect<A, E, StoragePorts | PasswordHasher>,
): Promise<A> =>
  runQuiet(
    program.pipe(
      Effect.provide(
        Layer.merge(storageLayer({ _tag: "Sqlite", filename: path }), ScryptPasswordHasher.layer),
      ),
    ),
  ) as Promise<A>;

const serve = async (
  args: ReadonlyArray<string>,
  cwd: string,
  env: Readonly<Record<string, string>>,
) => {
  const server = startTally(args, { cwd, env: { TALLY_PORT: "0", ...env } });
  running.push(server);
  const listening = await server.waitForLog((line) => line.message === "listening");
  return { server, url: String(listening.url) };
};

/** GETs the task as JSON until `done` holds; returns it. */
const pollTask = async (
  url: string,
  location: string,
  done: (task: Record<string, unknown>) => boolean,
  intervalMs = 50,
  timeoutMs = waitDeadlineMs,
): Promise<Record<string, unknown>> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${url}${location}`, {
      headers: { authorization: basic, accept: "application/json" },
    });
    expect(response.status).toBe(200);
    const task = (await response.json()) as Record<string, unknown>;
    if (done(task)) return task;
    if (Date.now() > until) throw new Error(`task never got there: ${JSON.stringify(task)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};

const requestTenantReport = async (url: string, query: string, accept: string) => {
  const response = await fetch(`${url}/api/2.0/virtualization/reports/tenants?${query}`, {
    method: "POST",
    headers: { authorization: basic, accept },
  });
  expect(response.status).toBe(202);
  const location = response.headers.get("location");
  expect(location).toMatch(/^\/api\/2\.0\/virtualization\/tasks\/task-/);
  return location as string;
};

describe("tally serve", { timeout: processTestTimeoutMs }, () => {
  it("answers a face-1 tenant report over HTTP with Basic auth: 202, poll, download", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "tally-serve-"));
    const database = join(cwd, "tally.sqlite");
    await inStore(database, loadDemoData());

    const { server, url } = await serve(["serve"], cwd, { TALLY_STORAGE: database });
    const location = await requestTenantReport(
      url,
      "tenantId=romashka&from=2024-01-01T00:00:00&to=2025-01-01T00:00:00",
      "application/csv",
    );
    const task = await pollTask(
      url,
      location,
      (t) => t.state === "Completed" || t.state === "Failed",
    );
    expect(task).toMatchObject({ state: "Completed", type: "CreateTenantReport", progress: 100 });

    const download = await fetch(
      `${url}/api/2.0/virtualization/reports/tenants/${String(task.result)}`,
      {
        headers: { authorization: basic, accept: "application/csv" },
      },
    );
    expect(download.status).toBe(200);
    const csv = await download.text();
    expect(csv.split("\r\n")).toEqual([
      "tenantId;tenantName;vmId;vmName;protectionStart;protectionEnd",
      "romashka;ООО «Ромашка»;romashka-1c;1С:Бухгалтерия;2024-03-30T22:00:00+00:00;2024-04-02T00:00:00+00:00",
      "romashka;ООО «Ромашка»;romashka-1c;1С:Бухгалтерия;2024-10-26T20:00:00+00:00;2024-10-27T03:30:00+00:00",
      "romashka;ООО «Ромашка»;romashka-mail;почтовый-сервер;2024-01-01T00:00:00+00:00;2025-01-01T00:00:00+00:00",
      "",
    ]);

    // The worker logged the task by id, as one JSON line.
    expect(server.logs).toContainEqual(
      expect.objectContaining({
        message: "task finished",
        taskId: String(location.split("/").at(-1)),
      }),
    );

    server.child.kill("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });
});

/** A tenant with enough protection periods that a PDF of them takes several seconds. */
const loadBigTenant = (database: string, periods: number) =>
  inStore(
    database,
    Effect.gen(function* () {
      const directory = yield* TenantDirectory;
      const store = yield* ProtectionPeriodStore;
      const vms = 500;
      yield* directory.upsertTenants([{ id: "big", name: "Большой клиент" }]);
      yield* directory.upsertVms(
        Array.from({ length: vms }, (_, i) => ({
          id: `vm-${i}`,
          name: `VM ${i}`,
          tenantId: "big",
        })),
      );
      const start = Date.UTC(2024, 0, 1);
      for (let offset = 0; offset < periods; offset += 10_000) {
        const batch: ProtectionPeriod[] = [];
        for (let i = offset; i < Math.min(periods, offset + 10_000); i++) {
          const at = start + Math.floor(i / vms) * 3 * 3_600_000;
          batch.push({ id: `p-${i}`, vmId: `vm-${i % vms}`, start: at, end: at + 3_600_000 });
        }
        yield* store.upsertPeriods(batch);
      }
    }),
  );

const storedTask = (database: string, id: string) =>
  inStore(
    database,
    Effect.gen(function* () {
      const task = Option.getOrThrow(yield* (yield* TaskStore).get(id)) as ReportTask;
      const reports = yield* (yield* ReportStore).list({ limit: 1000 });
      return { task, reports: reports.filter((r) => r.taskId === id) };
    }),
  );

describe("graceful shutdown", { timeout: processTestTimeoutMs }, () => {
  it("on SIGTERM during a running report, exits 0 within the deadline, leaving the task finished or back in the queue", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "tally-sigterm-"));
    const database = join(cwd, "tally.sqlite");
    await loadBigTenant(database, 80_000);
    const config = join(cwd, "tally.json");
    writeFileSync(
      config,
      JSON.stringify({ users: [{ username: "admin", password: "admin", role: "administrator" }] }),
    );
    const deadlineMs = 300;
    const env = {
      TALLY_STORAGE: database,
      TALLY_CONFIG: config,
      TALLY_WORKERS: "1",
      TALLY_SHUTDOWN_DEADLINE: `${deadlineMs}ms`,
    };

    const { server, url } = await serve(["serve"], cwd, env);
    const location = await requestTenantReport(
      url,
      "tenantId=big&from=2024-01-01T00:00:00&to=2025-01-01T00:00:00",
      "application/pdf",
    );
    const taskId = location.split("/").at(-1) as string;
    await pollTask(url, location, (t) => t.state === "Running", 20);

    const signalledAt = Date.now();
    server.child.kill("SIGTERM");
    const exit = await server.exited;
    const elapsed = Date.now() - signalledAt;
    expect(exit).toEqual({ code: 0, signal: null });
    // The deadline, plus closing the HTTP server and the database — on a loaded machine as
    // well: well short of the time the 80,000-row PDF takes, so the report was not waited for.
    expect(elapsed).toBeLessThan(deadlineMs + 20_000);

    const after = await storedTask(database, taskId);
    if (after.task.state._tag === "Succeeded") {
      // It finished within the deadline: then the report is there, whole.
      expect(after.reports).toHaveLength(1);
    } else {
      expect(after.task).toMatchObject({
        state: { _tag: "Queued" },
        lease: null,
        progress: 0,
        attempts: 0,
      });
      expect(after.reports).toEqual([]);
      expect(server.logs).toContainEqual(
        expect.objectContaining({ releasedTaskIds: expect.arrayContaining([taskId]) }),
      );
    }
    // No partial report file stays behind.
    expect(readdirSync(`${database}.reports`).length).toBe(
      (
        await inStore(
          database,
          Effect.flatMap(ReportStore, (s) => s.list({ limit: 1000 })),
        )
      ).length,
    );

    // Not stuck: a worker started afterwards runs it to the end.
    const worker = startTally(["worker"], { cwd, env: { ...env, TALLY_SHUTDOWN_DEADLINE: "20s" } });
    running.push(worker);
    await worker.waitForLog((l) => l.message === "task finished" && l.taskId === taskId, 120_000);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });

    const finished = await storedTask(database, taskId);
    expect(finished.task.state._tag).toBe("Succeeded");
    expect(finished.reports).toHaveLength(1);
    const report = finished.reports[0];
    const bytes = await inStore(
      database,
      Effect.flatMap(ReportStore, (s) =>
        Stream.runFold(
          s.read(report?.id ?? ""),
          () => 0,
          (n, chunk: Uint8Array) => n + chunk.length,
        ),
      ),
    );
    expect(bytes).toBe(report?.byteSize);
  });
});
