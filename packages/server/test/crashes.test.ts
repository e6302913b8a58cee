/**
 * Tally on SQLite killed with SIGKILL half-way through a write — no shutdown, no finalizer, no
 * rollback of its own. Two moments: a `tally worker` writing a large PDF report, and a
 * `tally import` ingesting a large CSV. Afterwards the same database is opened again (in this
 * process, as the next start would): it passes `pragma integrity_check`; the dead worker's task
 * is still Running with a lease that expires and the sweep puts it back in the queue; no report
 * is listed and the half-written report file is gone (the dead writer's temporary file is swept
 * when the store opens); a fresh worker then runs the task to a whole report. An import is one
 * transaction: killed mid-way — while it has written pages of its transaction to the WAL —
 * it leaves nothing of the file, and running it again imports it whole.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteDatabase, type StoragePorts } from "@tally/adapters-storage";
import {
  type Clock,
  defaultTallySettings,
  type IdGenerator,
  ProtectionPeriodStore,
  ReportStore,
  type ReportTask,
  SequentialIdGenerator,
  SystemClock,
  submitReport,
  sweepExpiredLeases,
  TallySettings,
  TaskStore,
  TenantDirectory,
} from "@tally/core";
import { Effect, Layer, Option, Stream } from "effect";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { commandLinePrincipal } from "../src/wiring/CommandLinePrincipal.ts";
import { storageLayer } from "../src/wiring/StorageLayer.ts";
import { processTestTimeoutMs, waitDeadlineMs } from "./support/LoadedMachine.ts";
import { quiet } from "./support/quiet.ts";
import { runTally, startTally, type TallyServer } from "./support/TallyProcess.ts";

const created: Array<string> = [];
const running: Array<TallyServer> = [];
afterEach(() => {
  for (const tally of running.splice(0)) {
    if (tally.child.exitCode === null && tally.child.signalCode === null) {
      tally.child.kill("SIGKILL");
    }
  }
});
afterAll(() => {
  for (const directory of created.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const workingDirectory = (): string => {
  const directory = mkdtempSync(join(tmpdir(), "tally-crash-"));
  created.push(directory);
  return directory;
};

/** Runs `program` over the SQLite file, with the services submitting a report needs. */
const inStore = <A, E>(
  filename: string,
  program: Effect.Effect<A, E, StoragePorts | Clock | IdGenerator | TallySettings>,
): Promise<A> =>
  Effect.runPromise(
    quiet(
      Effect.provide(
        program,
        Layer.mergeAll(
          storageLayer({ _tag: "Sqlite", filename }),
          SystemClock.layer,
          SequentialIdGenerator.layer,
          Layer.succeed(TallySettings, TallySettings.of(defaultTallySettings)),
        ),
      ),
    ),
  );

/** What `pragma integrity_check` says about the file, opened afresh. */
const integrityOf = async (filename: string): Promise<unknown> => {
  const database = await SqliteDatabase.open({ filename });
  try {
    return database.driver.pragma("integrity_check");
  } finally {
    await database.close();
  }
};

/** Tenant `big` and its 500 VMs. */
const vmCount = 500;
const loadTenantAndVms = Effect.gen(function* () {
  const directory = yield* TenantDirectory;
  yield* directory.upsertTenants([{ id: "big", name: "Большой клиент" }]);
  yield* directory.upsertVms(
    Array.from({ length: vmCount }, (_, i) => ({
      id: `vm-${i}`,
      name: `VM ${i}`,
      tenantId: "big",
    })),
  );
});

const year2024 = Date.UTC(2024, 0, 1);
const periodId = (i: number) => `p-${String(i).padStart(7, "0")}`;
/** The i-th period: short and disjoint from the others of its VM. */
const period = (i: number) => {
  const at = year2024 + Math.floor(i / vmCount) * 3 * 3_600_000;
  return { id: periodId(i), vmId: `vm-${i % vmCount}`, start: at, end: at + 3_600_000 };
};

/** Polls `probe` every few milliseconds until it returns a value; fails after `timeoutMs`. */
const waitFor = async <A>(
  what: string,
  probe: () => A | undefined,
  timeoutMs = waitDeadlineMs,
): Promise<A> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const storedTask = (filename: string, id: string) =>
  inStore(
    filename,
    Effect.map(
      Effect.flatMap(TaskStore, (tasks) => tasks.get(id)),
      (task) => Option.getOrThrow(task),
    ),
  ) as Promise<ReportTask>;

describe("SQLite killed mid-write", { timeout: processTestTimeoutMs }, () => {
  it("a worker killed while writing a report: the file is intact, the task comes back after its lease, nothing partial is left, and a fresh worker makes the whole report", async () => {
    const cwd = workingDirectory();
    const filename = join(cwd, "tally.sqlite");
    const reportsDirectory = `${filename}.reports`;
    const taskId = await inStore(
      filename,
      Effect.gen(function* () {
        yield* loadTenantAndVms;
        const periods = Array.from({ length: 80_000 }, (_, i) => period(i));
        yield* (yield* ProtectionPeriodStore).upsertPeriods(periods);
        const submitted = yield* submitReport(commandLinePrincipal, {
          type: "CreateTenantReport",
          start: year2024,
          end: Date.UTC(2025, 0, 1),
          zone: { _tag: "Utc" },
          tenantId: "big",
          format: "pdf",
        });
        return submitted.task.id;
      }),
    );
    // A short lease, so the dead worker's task comes back within seconds (long enough that a
    // busy machine does not make the living worker lose it).
    const env = { TALLY_STORAGE: filename, TALLY_WORKERS: "1", TALLY_LEASE: "4s" };

    const doomed = startTally(["worker"], { cwd, env });
    running.push(doomed);
    // Kill it once a good part of the report is on disk under its temporary name.
    const temporary = await waitFor("the report's temporary file to grow", () => {
      const names = existsSync(reportsDirectory) ? readdirSync(reportsDirectory) : [];
      const name = names.find((n) => n.endsWith(".tmp"));
      if (name === undefined) return undefined;
      const size = statSync(join(reportsDirectory, name), { throwIfNoEntry: false })?.size ?? 0;
      return size >= 256 * 1024 ? name : undefined;
    });
    doomed.child.kill("SIGKILL");
    expect(await doomed.exited).toEqual({ code: null, signal: "SIGKILL" });
    // It died mid-write: the temporary file is there, nothing was renamed into place.
    expect(readdirSync(reportsDirectory)).toEqual([temporary]);
    expect(temporary).toContain(`.${doomed.child.pid}.tmp`);

    expect(await integrityOf(filename)).toEqual([{ integrity_check: "ok" }]);

    // Temporary files of writers that may still be at work stay: one of a living process of
    // this host, one of another host (whose processes this one cannot see).
    const host = hostname().replace(/[^A-Za-z0-9-]/g, "_");
    const others = [
      `living.report.${host}.${process.ppid}.tmp`,
      `elsewhere.report.another-host.${doomed.child.pid}.tmp`,
    ];
    for (const name of others) writeFileSync(join(reportsDirectory, name), "in progress");

    // Reopened: the task is still the dead worker's, until its lease runs out.
    const orphaned = await storedTask(filename, taskId);
    expect(orphaned.state._tag).toBe("Running");
    expect(orphaned.attempts).toBe(1);
    expect(orphaned.lease?.workerId).toMatch(
      new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/${doomed.child.pid}/`),
    );
    // Opening the store swept the dead writer's temporary file: nothing partial of it remains.
    expect(readdirSync(reportsDirectory).sort()).toEqual([...others].sort());
    for (const name of others) rmSync(join(reportsDirectory, name));

    const expiresAt = orphaned.lease?.expiresAt ?? 0;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now() + 50)));
    const swept = await inStore(
      filename,
      Effect.gen(function* () {
        const requeued = yield* sweepExpiredLeases();
        return {
          requeued,
          task: Option.getOrThrow(yield* (yield* TaskStore).get(taskId)),
          reports: yield* (yield* ReportStore).list({ limit: 100 }),
        };
      }),
    );
    expect(swept.requeued).toBe(1);
    expect(swept.task).toMatchObject({
      state: { _tag: "Queued" },
      lease: null,
      attempts: 1,
      progress: 0,
    });
    expect(swept.reports).toEqual([]);

    // A fresh worker runs it to the end: Succeeded on the second attempt, the report whole.
    const fresh = startTally(["worker"], { cwd, env: { ...env, TALLY_LEASE: "30s" } });
    running.push(fresh);
    await fresh.waitForLog((l) => l.message === "task finished" && l.taskId === taskId, 120_000);
    fresh.child.kill("SIGTERM");
    expect(await fresh.exited).toEqual({ code: 0, signal: null });

    const finished = await inStore(
      filename,
      Effect.gen(function* () {
        const task = Option.getOrThrow(yield* (yield* TaskStore).get(taskId));
        const store = yield* ReportStore;
        const reports = yield* store.list({ limit: 100 });
        const chunks = yield* Stream.runCollect(store.read(reports[0]?.id ?? ""));
        return { task, reports, bytes: Buffer.concat(chunks) };
      }),
    );
    expect(finished.task.state._tag).toBe("Succeeded");
    expect(finished.task.attempts).toBe(2);
    expect(finished.reports).toHaveLength(1);
    const meta = finished.reports[0];
    expect(finished.bytes.length).toBe(meta?.byteSize);
    expect(createHash("sha256").update(finished.bytes).digest("hex")).toBe(meta?.sha256);
    expect(finished.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(finished.bytes.subarray(-6).toString("latin1").trim()).toBe("%%EOF");
    expect(readdirSync(reportsDirectory)).toEqual([expect.stringMatching(/\.report$/)]);
    expect(await integrityOf(filename)).toEqual([{ integrity_check: "ok" }]);
  });

  it("an import killed mid-way leaves nothing of its file, and running it again imports it whole", async () => {
    const cwd = workingDirectory();
    const filename = join(cwd, "tally.sqlite");
    await inStore(filename, loadTenantAndVms);
    const total = 300_000;
    const lines = ["id,vmId,start,end"];
    for (let i = 0; i < total; i++) {
      const p = period(i);
      lines.push(`${p.id},${p.vmId},${p.start},${p.end}`);
    }
    const csv = join(cwd, "periods.csv");
    writeFileSync(csv, `${lines.join("\n")}\n`);
    const env = { TALLY_STORAGE: filename };
    const count = async () => {
      const probe = await SqliteDatabase.open({ filename });
      try {
        return Number(
          (
            probe.driver.prepare("select count(*) as n from protection_periods").get() as {
              n: number;
            }
          ).n,
        );
      } finally {
        await probe.close();
      }
    };
    const before = await count();

    const doomed = startTally(["import", "protection-periods", csv], { cwd, env });
    running.push(doomed);
    // The import's transaction spills its pages into the WAL as it goes; 4 MiB of them means
    // it is well under way (and far from done: the whole file makes ~40 MiB).
    await waitFor("the import's transaction to reach the WAL", () => {
      const wal = `${filename}-wal`;
      return existsSync(wal) && statSync(wal).size > 4 * 2 ** 20 ? true : undefined;
    });
    doomed.child.kill("SIGKILL");
    expect(await doomed.exited).toEqual({ code: null, signal: "SIGKILL" });

    expect(await integrityOf(filename)).toEqual([{ integrity_check: "ok" }]);
    expect(await count()).toBe(before);

    const again = await runTally(["import", "protection-periods", csv], { cwd, env });
    expect(again.stderr).toBe("");
    expect(again).toMatchObject({
      code: 0,
      stdout: `Imported ${total} protection-periods from ${csv}.\n`,
    });
    expect(await integrityOf(filename)).toEqual([{ integrity_check: "ok" }]);
    const complete = await inStore(
      filename,
      Effect.flatMap(ProtectionPeriodStore, (store) =>
        store.countOverlapping(
          { start: year2024, end: Date.UTC(2026, 0, 1) },
          { _tag: "AllTenants" },
        ),
      ),
    );
    expect(complete).toBe(before + total);
  });
});
