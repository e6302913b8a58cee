/**
 * Tally on PostgreSQL across processes (the "several machines" deployment): one API process
 * (`tally serve` with no workers) and three `tally worker` processes share one database — a
 * throwaway cluster of this test's own, because the second test restarts it and other test
 * files use the shared server at the same time.
 *
 * 1. Over a hundred different reports (tenant and license, CSV and PDF, several tenants,
 *    intervals and zones) are submitted through the native API. While the workers are busy,
 *    one worker process holding a Running task is killed with SIGKILL. Every task still ends
 *    Succeeded with exactly one report; the killed worker's tasks come back through lease
 *    expiry and show a second attempt. Each report's bytes equal those of the same task run
 *    alone in this one process over a fresh SQLite file with the same facts: a report is "as of"
 *    its task's creation, so the same task (id, request, creation time) must give the same bytes
 *    whoever runs it, however often it was interrupted — no normalising of any field.
 * 2. PostgreSQL is restarted (fast shutdown: every connection is cut) while reports run. The API
 *    and the workers stay up and reconnect; tasks submitted before and after the restart all end
 *    Succeeded, the API answers /v1/health and /v1/ready, and every process still shuts down
 *    gracefully (exit 0) afterwards.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScryptPasswordHasher, type StoragePorts } from "@tally/adapters-storage";
import {
  defaultTallySettings,
  type LicensedUser,
  type LicenseEvent,
  LicenseStore,
  newTask,
  type PasswordHasher,
  type ProtectionPeriod,
  ProtectionPeriodStore,
  ReportStore,
  type ReportTask,
  runTask,
  SystemClock,
  TallySettings,
  TaskStore,
  TenantDirectory,
} from "@tally/core";
import { ReportRenderersLive } from "@tally/renderers";
import { Effect, Layer, Option, Stream } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoData, loadDemoFacts } from "../src/demo/loadDemoData.ts";
import { RandomIdGeneratorLayer } from "../src/wiring/RandomIdGenerator.ts";
import { storageLayer } from "../src/wiring/StorageLayer.ts";
import { processTestTimeoutMs, waitDeadlineMs } from "./support/LoadedMachine.ts";
import { quiet } from "./support/quiet.ts";
import { startTally, type TallyServer } from "./support/TallyProcess.ts";
import { startThrowawayPostgres, type ThrowawayPostgres } from "./support/ThrowawayPostgres.ts";

/** What `Local` means in every process (and in the single-process reference). */
const localZone = "Europe/Berlin";
/**
 * Short, so a killed worker's tasks come back within half a minute; long enough that a worker
 * slowed down by a loaded machine still renews its leases (at 10 s a big PDF's last step,
 * at progress 99, outlived the lease five times in a row with both cores busy).
 */
const leaseMs = 30_000;
/** A test's timeout: 115 reports by three processes on a loaded 2-core machine. */
const runTimeoutMs = 600_000;
/** How long the whole batch may take to end before a test gives up on it. */
const batchDeadlineMs = 420_000;

const hour = 3_600_000;
const year2024 = Date.UTC(2024, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

// ---------------------------------------------------------------------------------------------
// The facts: the demo data set plus a large tenant ("north") and a large organization, made
// the same way in PostgreSQL and in the reference's SQLite file.

const northVms = 400;
const northPeriods = 48_000;
const northUsers = 600;

/** 120 periods per VM through 2024, 2 to 49 hours long; every 50th VM's last one is ongoing. */
const northPeriod = (i: number): ProtectionPeriod => {
  const vm = i % northVms;
  const slot = Math.floor(i / northVms);
  const start = year2024 + (slot * 73 + (vm % 24)) * hour;
  const ongoing = vm % 50 === 0 && slot === northPeriods / northVms - 1;
  return {
    id: `north-p-${i}`,
    vmId: `north-vm-${String(vm).padStart(3, "0")}`,
    start,
    end: ongoing ? null : start + (((i * 7919) % 48) + 2) * hour,
  };
};

/** Ten assign/revoke cycles per user through 2024; every 7th user keeps the last licence. */
const northEvents = (user: number): LicenseEvent[] => {
  const userId = `u-north-${String(user).padStart(4, "0")}`;
  const events: LicenseEvent[] = [];
  for (let k = 0; k < 10; k++) {
    const at = year2024 + (k * 876 + (user % 400)) * hour;
    events.push({ id: `${userId}-a${k}`, userId, kind: "assigned", at });
    if (!(k === 9 && user % 7 === 0)) {
      const revokedAt = at + (((user * 13 + k * 7) % 400) + 10) * hour;
      events.push({ id: `${userId}-r${k}`, userId, kind: "revoked", at: revokedAt });
    }
  }
  return events;
};

const loadNorth = Effect.gen(function* () {
  const directory = yield* TenantDirectory;
  const periods = yield* ProtectionPeriodStore;
  const licenses = yield* LicenseStore;
  yield* directory.upsertTenants([{ id: "north", name: "Северный узел «Полюс»" }]);
  yield* directory.upsertVms(
    Array.from({ length: northVms }, (_, vm) => ({
      id: `north-vm-${String(vm).padStart(3, "0")}`,
      name: vm % 3 === 0 ? `сервер-${vm}` : vm % 3 === 1 ? `εξυπηρετητής-${vm}` : `host-${vm}`,
      tenantId: "north",
    })),
  );
  for (let offset = 0; offset < northPeriods; offset += 10_000) {
    const batch: ProtectionPeriod[] = [];
    for (let i = offset; i < Math.min(northPeriods, offset + 10_000); i++)
      batch.push(northPeriod(i));
    yield* periods.upsertPeriods(batch);
  }
  yield* licenses.upsertOrganizations([
    { id: "org-north", name: "Северный узел «Полюс»", capacity: 250, tenantId: "north" },
  ]);
  const users: LicensedUser[] = Array.from({ length: northUsers }, (_, user) => ({
    id: `u-north-${String(user).padStart(4, "0")}`,
    name: user % 2 === 0 ? `Пользователь ${user}` : `user${user}@north.example`,
    organizationId: "org-north",
  }));
  yield* licenses.upsertUsers(users);
  yield* licenses.upsertEvents(Array.from({ length: northUsers }, (_, u) => northEvents(u)).flat());
});

// ---------------------------------------------------------------------------------------------
// The reports asked for: every one different.

type ReportBody = Readonly<Record<string, string>>;

const months = Array.from({ length: 12 }, (_, m) => ({
  start: iso(Date.UTC(2024, m, 1)),
  end: iso(Date.UTC(2024, m + 1, 1)),
}));
const quarters = Array.from({ length: 4 }, (_, q) => ({
  start: iso(Date.UTC(2024, q * 3, 1)),
  end: iso(Date.UTC(2024, q * 3 + 3, 1)),
}));
const wholeYear = { start: iso(year2024), end: iso(Date.UTC(2025, 0, 1)) };

/** Whole-year PDFs of the large tenant: the slowest reports, asked for first. */
const bigReports: ReadonlyArray<ReportBody> = ["UTC", "Local", "UTC+05:30"].map((timezone) => ({
  type: "tenant-protection",
  tenantId: "north",
  format: "pdf",
  timezone,
  ...wholeYear,
}));

/** 112 more: monthly, quarterly and yearly; tenant and license; CSV and PDF; four zones. */
const otherReports: ReadonlyArray<ReportBody> = [
  ...months.flatMap((interval) => [
    { type: "tenant-protection", tenantId: "north", format: "csv", timezone: "UTC", ...interval },
    {
      type: "tenant-protection",
      tenantId: "north",
      format: "pdf",
      timezone: "UTC-03:00",
      ...interval,
    },
    {
      type: "tenant-protection",
      format: "csv",
      timezone: "Local",
      columns: "extended",
      separator: ",",
      ...interval,
    },
    { type: "tenant-protection", format: "pdf", timezone: "UTC", ...interval },
    {
      type: "license-overview",
      organizationId: "org-north",
      format: "csv",
      timezone: "UTC",
      ...interval,
    },
    {
      type: "license-overview",
      organizationId: "org-north",
      format: "pdf",
      timezone: "UTC+05:30",
      ...interval,
    },
  ]),
  ...quarters.flatMap((interval) => [
    { type: "license-overview", format: "csv", timezone: "Local", ...interval },
    { type: "license-overview", format: "pdf", timezone: "Local", ...interval },
  ]),
  ...["acme", "athena", "baeckerei", "formula", "romashka"].flatMap((tenantId) =>
    ["UTC", "Local"].flatMap((timezone) => [
      { type: "tenant-protection", tenantId, format: "csv", timezone, ...wholeYear },
      { type: "tenant-protection", tenantId, format: "pdf", timezone, ...wholeYear },
    ]),
  ),
  ...["org-acme", "org-athena", "org-romashka"].flatMap((organizationId) =>
    ["UTC", "Local"].flatMap((timezone) => [
      { type: "license-overview", organizationId, format: "csv", timezone, ...wholeYear },
      { type: "license-overview", organizationId, format: "pdf", timezone, ...wholeYear },
    ]),
  ),
];

// ---------------------------------------------------------------------------------------------
// The native API as a client sees it.

interface TaskJson {
  readonly id: string;
  readonly state: string;
  readonly attempts: number;
  readonly reportId: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}
interface ReportJson {
  readonly id: string;
  readonly taskId: string;
  readonly sha256: string;
  readonly byteSize: number;
}

/** An API client with a bearer token from `/v6/Token`. */
const apiClient = (url: string, token: string) => {
  const headers = { authorization: `Bearer ${token}` };
  const get = (path: string) => fetch(`${url}${path}`, { headers });
  const json = async <A>(path: string): Promise<A> => {
    const response = await get(path);
    if (response.status !== 200)
      throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as A;
  };
  /** Every item of a keyset-paginated listing. */
  const listAll = async <A>(path: string): Promise<A[]> => {
    const items: A[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes("?") ? "&" : "?";
      const page: { items: A[]; nextCursor: string | null } = await json(
        `${path}${separator}limit=1000${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return items;
  };
  const submit = async (body: ReportBody): Promise<string> => {
    const response = await fetch(`${url}/v1/reports`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (response.status !== 202)
      throw new Error(
        `POST /v1/reports ${JSON.stringify(body)}: ${response.status} ${await response.text()}`,
      );
    return ((await response.json()) as TaskJson).id;
  };
  const content = async (reportId: string): Promise<Buffer> => {
    const response = await get(`/v1/reports/${reportId}/content`);
    if (response.status !== 200) throw new Error(`report ${reportId}: ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  };
  return { url, get, json, listAll, submit, content };
};
type ApiClient = ReturnType<typeof apiClient>;

const token = async (url: string): Promise<string> => {
  const response = await fetch(`${url}/v6/Token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=password&username=admin&password=admin",
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
};

/** Polls `check` until it returns a value (not undefined); fails after `timeoutMs`. */
const eventually = async <A>(
  what: string,
  check: () => Promise<A | undefined>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<A> => {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > until)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last error: ${String(lastError)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};

/** Waits until no task is Queued or Running; returns every task. */
const allTerminal = (api: ApiClient, timeoutMs: number) =>
  eventually(
    "every task to end",
    async () => {
      const open = await api.json<{ items: TaskJson[] }>("/v1/tasks?state=Queued,Running&limit=1");
      return open.items.length === 0 ? await api.listAll<TaskJson>("/v1/tasks") : undefined;
    },
    timeoutMs,
    250,
  );

// ---------------------------------------------------------------------------------------------
// The database and the single-process reference, seen from this process.

const runQuiet = <A, E>(effect: Effect.Effect<A, E>): Promise<A> =>
  Effect.runPromise(quiet(effect));

const inDatabase = <A, E>(
  url: string,
  program: Effect.Effect<A, E, StoragePorts | PasswordHasher>,
): Promise<A> =>
  runQuiet(
    program.pipe(
      Effect.provide(
        Layer.merge(
          storageLayer({ _tag: "Postgres", connectionString: url }),
          ScryptPasswordHasher.layer,
        ),
      ),
    ),
  ) as Promise<A>;

/** The tasks as stored (with their leases), by id. */
const storedTasks = (url: string, ids: ReadonlyArray<string>) =>
  inDatabase(
    url,
    Effect.forEach(ids, (id) =>
      Effect.map(
        Effect.flatMap(TaskStore, (tasks) => tasks.get(id)),
        (task) => Option.getOrThrow(task) as ReportTask,
      ),
    ),
  );

const runningTasks = (url: string) =>
  inDatabase(
    url,
    Effect.flatMap(TaskStore, (tasks) => tasks.list({ states: ["Running"], limit: 1000 })),
  );

/**
 * Runs each task again, alone, in this process over a fresh SQLite file holding the same facts:
 * the same id, request, principal and creation time (the report's "as of"), queued afresh.
 * Returns the bytes of each task's report.
 */
const referenceBytes = async (
  directory: string,
  tasks: ReadonlyArray<ReportTask>,
): Promise<Map<string, Buffer>> => {
  const filename = join(mkdtempSync(join(directory, "reference-")), "tally.sqlite");
  const layer = Layer.mergeAll(
    storageLayer({ _tag: "Sqlite", filename }),
    ReportRenderersLive,
    RandomIdGeneratorLayer,
    SystemClock.layer,
    Layer.succeed(
      TallySettings,
      TallySettings.of({ ...defaultTallySettings, localZone, leaseMs: 600_000 }),
    ),
  );
  return runQuiet(
    Effect.gen(function* () {
      yield* loadDemoFacts();
      yield* loadNorth;
      const store = yield* TaskStore;
      const reports = yield* ReportStore;
      const bytes = new Map<string, Buffer>();
      for (const original of tasks) {
        yield* store.insert(
          newTask({
            id: original.id,
            type: original.type,
            request: original.request,
            principal: original.principal,
            tenantScope: original.tenantScope,
            now: original.createdAt,
            maxAttempts: 1,
            idempotencyKey: null,
          }),
        );
        const ran = Option.getOrThrow(yield* runTask(original.id, "reference/w1"));
        if (ran.state._tag !== "Succeeded")
          throw new Error(`reference run of ${original.id}: ${JSON.stringify(ran.state)}`);
        const chunks = yield* Stream.runCollect(reports.read(ran.state.reportId));
        bytes.set(original.id, Buffer.concat([...chunks]));
      }
      return bytes;
    }).pipe(Effect.provide(layer)),
  );
};

/** Compares each task's report as the API serves it with the single-process reference. */
const expectSameBytesAsOneProcess = async (
  api: ApiClient,
  databaseUrl: string,
  directory: string,
  tasks: ReadonlyArray<TaskJson>,
) => {
  const stored = await storedTasks(
    databaseUrl,
    tasks.map((t) => t.id),
  );
  const reference = await referenceBytes(directory, stored);
  let compared = 0;
  for (const task of tasks) {
    const served = await api.content(task.reportId as string);
    const expected = reference.get(task.id);
    expect(expected, task.id).toBeDefined();
    // Buffer.equals: a byte-for-byte comparison without a huge diff on failure.
    if (!served.equals(expected as Buffer))
      throw new Error(
        `report of ${task.id} differs from the single-process run (${served.length} vs ${expected?.length} bytes)`,
      );
    compared++;
  }
  return compared;
};

// ---------------------------------------------------------------------------------------------

const cwd = mkdtempSync(join(tmpdir(), "tally-multiprocess-"));
const processes: TallyServer[] = [];
let postgres: ThrowawayPostgres | undefined;
let api: ApiClient;
let apiProcess: TallyServer;
/** The worker processes now alive, with their workers' id prefixes. */
const workers: Array<{ process: TallyServer; prefix: string }> = [];

const alive = (server: TallyServer) =>
  server.child.exitCode === null && server.child.signalCode === null;

const settingsEnv = () => ({
  TALLY_STORAGE: (postgres as ThrowawayPostgres).url,
  TALLY_LOCAL_ZONE: localZone,
  TALLY_LEASE: `${leaseMs}ms`,
  TALLY_SWEEP_INTERVAL: "500ms",
  TALLY_MAX_ATTEMPTS: "5",
  TALLY_SHUTDOWN_DEADLINE: "3s",
});

const startWorker = async () => {
  const server = startTally(["worker"], { cwd, env: { ...settingsEnv(), TALLY_WORKERS: "2" } });
  processes.push(server);
  const started = await server.waitForLog(
    (line) => typeof line.workerIdPrefix === "string",
    waitDeadlineMs,
  );
  const worker = { process: server, prefix: String(started.workerIdPrefix) };
  workers.push(worker);
  return worker;
};

beforeAll(async () => {
  postgres = await startThrowawayPostgres();
  await inDatabase(
    postgres.url,
    Effect.gen(function* () {
      yield* loadDemoData();
      yield* loadNorth;
    }),
  );
  apiProcess = startTally(["serve"], {
    cwd,
    env: { ...settingsEnv(), TALLY_WORKERS: "0", TALLY_PORT: "0" },
  });
  processes.push(apiProcess);
  const [listening] = await Promise.all([
    apiProcess.waitForLog((line) => line.message === "listening", waitDeadlineMs),
    startWorker(),
    startWorker(),
    startWorker(),
  ]);
  const url = String(listening.url);
  api = apiClient(url, await token(url));
}, processTestTimeoutMs);

afterAll(async () => {
  for (const server of processes) if (alive(server)) server.child.kill("SIGKILL");
  await Promise.all(processes.map((server) => server.exited));
  await postgres?.destroy();
  rmSync(cwd, { recursive: true, force: true });
}, waitDeadlineMs);

describe("Tally on PostgreSQL with one API process and three worker processes", () => {
  it(
    "runs 115 reports to one report each through a kill -9 of a busy worker, byte-identical to a single process",
    async () => {
      const databaseUrl = (postgres as ThrowawayPostgres).url;
      const startedAt = Date.now();
      const bigIds: string[] = [];
      for (const body of bigReports) bigIds.push(await api.submit(body));
      const otherIds: string[] = [];
      for (const body of otherReports) otherIds.push(await api.submit(body));
      const submitted = [...bigIds, ...otherIds];
      expect(submitted.length).toBeGreaterThanOrEqual(100);
      expect(new Set(submitted).size).toBe(submitted.length);

      // A worker process that holds one of the slow reports right now.
      const victim = await eventually(
        "a worker process to hold a running report",
        async () => {
          const running = await runningTasks(databaseUrl);
          for (const task of running) {
            const holder = workers.find((w) => task.lease?.workerId.startsWith(`${w.prefix}/`));
            if (holder !== undefined && bigIds.includes(task.id)) return holder;
          }
          return undefined;
        },
        waitDeadlineMs,
        20,
      );
      victim.process.child.kill("SIGKILL");
      expect(await victim.process.exited).toEqual({ code: null, signal: "SIGKILL" });
      workers.splice(workers.indexOf(victim), 1);

      // What the dead process held stays Running under its lease until the lease expires.
      const orphaned = (await runningTasks(databaseUrl)).filter((task) =>
        task.lease?.workerId.startsWith(`${victim.prefix}/`),
      );
      expect(orphaned.length).toBeGreaterThanOrEqual(1);
      const orphanedIds = orphaned.map((task) => task.id);

      // A replacement joins; the survivors and it run the rest, and the orphans after expiry.
      await startWorker();
      const tasks = await allTerminal(api, batchDeadlineMs);
      const runSeconds = (Date.now() - startedAt) / 1000;

      expect(tasks.map((t) => t.id).sort()).toEqual([...submitted].sort());
      expect(tasks.filter((t) => t.state !== "Succeeded")).toEqual([]);
      for (const id of orphanedIds) {
        const task = tasks.find((t) => t.id === id) as TaskJson;
        expect(task.state).toBe("Succeeded");
        expect(task.attempts).toBeGreaterThanOrEqual(2);
      }

      // Exactly one report per task, none left over from an interrupted or duplicated run.
      const reports = await api.listAll<ReportJson>("/v1/reports");
      expect(reports).toHaveLength(tasks.length);
      expect(new Set(reports.map((r) => r.taskId)).size).toBe(tasks.length);
      for (const task of tasks) {
        const report = reports.find((r) => r.taskId === task.id);
        expect(report?.id).toBe(task.reportId);
      }
      // The requests differ, and so do the reports.
      const distinct = new Set(reports.map((r) => r.sha256)).size;
      expect(distinct).toBe(tasks.length);

      const compared = await expectSameBytesAsOneProcess(api, databaseUrl, cwd, tasks);
      expect(compared).toBe(submitted.length);

      const attempts = tasks.reduce((sum, t) => sum + t.attempts, 0);
      const slowest = Math.max(
        ...tasks.map((t) => Date.parse(t.finishedAt ?? "") - Date.parse(t.startedAt ?? "")),
      );
      console.info(
        `multi-process: ${tasks.length} tasks (${distinct} distinct reports) in ${runSeconds.toFixed(1)} s, ` +
          `slowest attempt ${slowest} ms, ${attempts} attempts in all; ` +
          `killed worker held ${orphanedIds.length} (attempts now ${orphanedIds
            .map((id) => tasks.find((t) => t.id === id)?.attempts)
            .join(", ")}); ${compared} reports byte-identical to a single process`,
      );
    },
    runTimeoutMs,
  );

  it(
    "recovers from a PostgreSQL restart mid-run: processes stay up, every task succeeds",
    async () => {
      const pg = postgres as ThrowawayPostgres;
      const before = await api.listAll<TaskJson>("/v1/tasks");
      const known = new Set(before.map((t) => t.id));

      // A batch in flight: the slow reports first, so some are running when the database goes.
      const inFlight: string[] = [];
      for (const body of [...bigReports, ...otherReports.slice(0, 27)])
        inFlight.push(await api.submit(body));
      const runningAtRestart = await eventually(
        "reports to be running",
        async () => {
          const running = (await runningTasks(pg.url)).filter((t) => inFlight.includes(t.id));
          return running.length >= 4 ? running.map((t) => t.id) : undefined;
        },
        waitDeadlineMs,
        20,
      );

      await pg.restart();

      // The API answers again (a fresh connection replaces each one the restart cut).
      await eventually(
        "/v1/ready to answer 200",
        async () => ((await api.get("/v1/ready")).status === 200 ? true : undefined),
        waitDeadlineMs,
        200,
      );
      const afterRestart: string[] = [];
      for (const body of otherReports.slice(27, 47)) afterRestart.push(await api.submit(body));

      const tasks = (await allTerminal(api, batchDeadlineMs)).filter((t) => !known.has(t.id));
      expect(tasks.map((t) => t.id).sort()).toEqual([...inFlight, ...afterRestart].sort());
      expect(tasks.filter((t) => t.state !== "Succeeded")).toEqual([]);

      const reports = (await api.listAll<ReportJson>("/v1/reports")).filter(
        (r) => !known.has(r.taskId),
      );
      expect(reports).toHaveLength(tasks.length);
      expect(new Set(reports.map((r) => r.taskId)).size).toBe(tasks.length);

      // The reports cut off by the restart are still the right bytes.
      const interrupted = tasks.filter((t) => runningAtRestart.includes(t.id));
      expect(await expectSameBytesAsOneProcess(api, pg.url, cwd, interrupted)).toBe(
        runningAtRestart.length,
      );

      // Nobody died of the outage; everyone answers and still stops gracefully.
      for (const server of [apiProcess, ...workers.map((w) => w.process)])
        expect(
          { exitCode: server.child.exitCode, signal: server.child.signalCode },
          server.stderr(),
        ).toEqual({ exitCode: null, signal: null });
      expect((await api.get("/v1/health")).status).toBe(200);
      expect((await api.get("/v1/ready")).status).toBe(200);
      const retried = tasks.filter((t) => t.attempts > 1).length;
      console.info(
        `PostgreSQL restart: ${tasks.length} tasks (${runningAtRestart.length} running at the restart), ` +
          `${retried} needed another attempt; all Succeeded`,
      );
      const survivors = [apiProcess, ...workers.map((w) => w.process)];
      for (const server of survivors) server.child.kill("SIGTERM");
      for (const server of survivors)
        expect(await server.exited).toEqual({ code: 0, signal: null });
    },
    runTimeoutMs,
  );
});
