/**
 * Faults while a report is being written: a renderer that fails or throws half-way through its
 * output, a disk that fills up, a reports directory that turns into a file under the writer.
 * Whatever breaks, the task ends Failed with a message a person can read, no report is marked
 * succeeded, and nothing of the half-written report can be found — not through the report
 * store (list, getMeta, read), not over HTTP (face 1 and the native API), not as a stray file
 * next to the SQLite database, not as rows in PostgreSQL.
 *
 * The renderer faults wrap the real renderers (`ReportRenderersLive`) and trip only once real
 * bytes have reached the store; at that moment the test looks behind the port (a backdoor) to
 * see that the write was indeed under way, and that no reader could see it. The disk faults
 * are real too: a 256 KiB tmpfs mounted where the report files go (ENOSPC; needs root, which
 * CI has), and the reports directory replaced by a file mid-write.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveOnLoopback } from "@tally/adapters-http";
import {
  PostgresDatabase,
  ScryptPasswordHasher,
  SqliteDatabase,
  type StorageLocation,
} from "@tally/adapters-storage";
import {
  defaultTallySettings,
  type ProtectionPeriod,
  ProtectionPeriodStore,
  RenderError,
  type ReportFormat,
  type ReportRenderer,
  ReportRenderers,
  ReportStore,
  type ReportTask,
  runNextTask,
  SequentialIdGenerator,
  SystemClock,
  TallySettings,
  TaskStore,
  TenantDirectory,
  taskFailureCodes,
} from "@tally/core";
import { ReportRenderersLive } from "@tally/renderers";
import { type Context, Effect, Exit, Layer, Option, Scope, Stream } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  awaitSchemaDrops,
  dropSchema,
  freshSchemaName,
  requirePostgres,
  testPostgresUrl,
} from "../../adapters-storage/test/support/TestPostgres.ts";
import { upsertAccountWithPassword } from "../src/accounts/AccountProvisioning.ts";
import { storageLayer } from "../src/wiring/StorageLayer.ts";
import type { TallyServices } from "../src/wiring/TallyLayer.ts";
import { quiet } from "./support/quiet.ts";

beforeAll(requirePostgres);
afterAll(awaitSchemaDrops);

const created: Array<string> = [];
afterAll(() => {
  for (const directory of created.splice(0)) rmSync(directory, { recursive: true, force: true });
});
const temporaryDirectory = (): string => {
  const directory = mkdtempSync(join(tmpdir(), "tally-faults-"));
  created.push(directory);
  return directory;
};

const admin = { username: "admin", password: "admin-secret" };
const authorization = `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString("base64")}`;
/** The first report id the sequential generator hands out: the one every faulty run tries. */
const attemptedReportId = "report-000001";

/** A database to break, and a backdoor into it that does not go through the ports. */
interface OpenedBackend {
  readonly location: StorageLocation;
  /** Bytes of report content physically written so far, committed or not. */
  readonly writtenBytes: () => Promise<number>;
  /** What anyone looking at the database or the disk finds of reports. */
  readonly leftovers: () => Promise<{
    readonly reportRows: number;
    readonly contentRows: number;
    readonly files: ReadonlyArray<string>;
  }>;
  readonly close: () => Promise<void>;
}

/** A fresh SQLite file in a fresh directory; report files go to `<file>.reports`. */
const openSqlite = async (
  prepareReportsDirectory?: (path: string) => void,
): Promise<OpenedBackend> => {
  const directory = temporaryDirectory();
  const filename = join(directory, "tally.sqlite");
  const reportsDirectory = `${filename}.reports`;
  prepareReportsDirectory?.(reportsDirectory);
  const databaseFiles = new Set(["tally.sqlite", "tally.sqlite-wal", "tally.sqlite-shm"]);
  const listFiles = (): Array<string> => {
    const next = readdirSync(directory).filter((name) => !databaseFiles.has(name));
    return next.flatMap((name) => {
      const path = join(directory, name);
      return statSync(path).isDirectory()
        ? readdirSync(path).map((inner) => `${name}/${inner}`)
        : [name];
    });
  };
  return {
    location: { _tag: "Sqlite", filename },
    writtenBytes: async () =>
      listFiles().reduce((sum, name) => sum + statSync(join(directory, name)).size, 0),
    leftovers: async () => {
      const database = await SqliteDatabase.open({ filename });
      try {
        const count = (sql: string) =>
          Number((database.driver.prepare(sql).get() as { n: number }).n);
        return {
          reportRows: count("select count(*) as n from reports"),
          contentRows: 0,
          files: listFiles(),
        };
      } finally {
        await database.close();
      }
    },
    close: async () => undefined,
  };
};

/** A fresh schema on the test server, dropped afterwards. */
const openPostgres = async (): Promise<OpenedBackend> => {
  const schema = freshSchemaName();
  const backdoor = await PostgresDatabase.open({
    connectionString: testPostgresUrl,
    schema,
    poolSize: 2,
  }).catch(async (error: unknown) => {
    await dropSchema(schema);
    throw error;
  });
  const count = async (sql: string) => Number((await backdoor.pool.query(sql)).rows[0].n);
  return {
    location: { _tag: "Postgres", connectionString: testPostgresUrl, schema },
    writtenBytes: () => count("select pg_total_relation_size('report_chunks') as n"),
    leftovers: async () => ({
      reportRows: await count("select count(*) as n from reports"),
      contentRows: await count("select count(*) as n from report_chunks"),
      files: [],
    }),
    close: async () => {
      await backdoor.close();
      await dropSchema(schema);
    },
  };
};

/** Where a fault trips, and what it does then. */
interface RendererFault {
  /** Once the output has passed this many bytes, `trip` runs before the next chunk. */
  readonly afterBytes?: {
    readonly bytes: number;
    readonly trip: Effect.Effect<void, RenderError>;
  };
  /** When the renderer reads this line of the report (1-based), `trip` runs. */
  readonly atLine?: { readonly line: number; readonly trip: Effect.Effect<void> };
}

/** Runs `trip` once, when the stream's bytes so far pass `bytes`. */
const tripAfterBytes = <E>(
  stream: Stream.Stream<Uint8Array, E>,
  bytes: number,
  trip: Effect.Effect<void, RenderError>,
): Stream.Stream<Uint8Array, E | RenderError> =>
  Stream.suspend(() => {
    let seen = 0;
    let tripped = false;
    return Stream.mapEffect(stream, (chunk) => {
      seen += chunk.length;
      if (tripped || seen <= bytes) return Effect.succeed(chunk);
      tripped = true;
      return Effect.as(trip, chunk);
    });
  });

/** Runs `trip` when the `line`-th element is read. */
const tripAtLine = <A, E>(
  stream: Stream.Stream<A, E>,
  line: number,
  trip: Effect.Effect<void>,
): Stream.Stream<A, E> =>
  Stream.suspend(() => {
    let read = 0;
    return Stream.mapEffect(stream, (element) =>
      ++read === line ? Effect.as(trip, element) : Effect.succeed(element),
    );
  });

/** The real renderer of a format with the fault built in. */
const faultyRenderer = (real: ReportRenderer, fault: RendererFault): ReportRenderer => ({
  ...real,
  renderTenantReport: (content) => {
    const lines =
      fault.atLine === undefined
        ? content.lines
        : tripAtLine(content.lines, fault.atLine.line, fault.atLine.trip);
    const bytes = real.renderTenantReport({ ...content, lines });
    return fault.afterBytes === undefined
      ? bytes
      : tripAfterBytes(bytes, fault.afterBytes.bytes, fault.afterBytes.trip);
  },
});

/** `ReportRenderers` that wraps the real ones, every format with the same fault. */
const faultyRenderers = (fault: RendererFault): Layer.Layer<ReportRenderers> =>
  Layer.effect(
    ReportRenderers,
    Effect.map(ReportRenderers, (real) =>
      ReportRenderers.of({
        forFormat: (format) => {
          const renderer = real.forFormat(format);
          return renderer === undefined ? undefined : faultyRenderer(renderer, fault);
        },
      }),
    ),
  ).pipe(Layer.provide(ReportRenderersLive));

/** A Tally in this process over the backend's storage, with HTTP on a loopback port. */
interface RunningTally {
  readonly run: <A, E>(effect: Effect.Effect<A, E, TallyServices>) => Promise<A>;
  readonly fetch: (path: string, init?: RequestInit) => Promise<Response>;
  readonly close: () => Promise<void>;
}

const vmCount = 500;

/** Tenant `big`: 500 VMs with `periods` short, disjoint periods in 2024 (~90 CSV bytes each). */
const seedBigTenant = (periods: number) =>
  Effect.gen(function* () {
    const directory = yield* TenantDirectory;
    yield* directory.upsertTenants([
      { id: "big", name: "Большой клиент" },
      { id: "small", name: "Small" },
    ]);
    yield* directory.upsertVms([
      ...Array.from({ length: vmCount }, (_, i) => ({
        id: `vm-${i}`,
        name: `VM ${i}`,
        tenantId: "big",
      })),
      { id: "vm-small", name: "only one", tenantId: "small" },
    ]);
    const start = Date.UTC(2024, 0, 1);
    const batch: Array<ProtectionPeriod> = [
      { id: "p-small", vmId: "vm-small", start, end: start + 3_600_000 },
    ];
    for (let i = 0; i < periods; i++) {
      const at = start + Math.floor(i / vmCount) * 3 * 3_600_000;
      batch.push({ id: `p-${i}`, vmId: `vm-${i % vmCount}`, start: at, end: at + 3_600_000 });
    }
    yield* (yield* ProtectionPeriodStore).upsertPeriods(batch);
    yield* upsertAccountWithPassword({ ...admin, role: "Administrator", tenantId: null });
  });

const startTally = async (
  location: StorageLocation,
  renderers: Layer.Layer<ReportRenderers>,
): Promise<RunningTally> => {
  const scope = Effect.runSync(Scope.make());
  const layer = Layer.mergeAll(
    storageLayer(location),
    renderers,
    SequentialIdGenerator.layer,
    SystemClock.layer,
    ScryptPasswordHasher.layer,
    Layer.succeed(TallySettings, TallySettings.of(defaultTallySettings)),
  );
  const context: Context.Context<TallyServices> = await Effect.runPromise(
    quiet(Layer.buildWithScope(layer, scope)),
  );
  const run = <A, E>(effect: Effect.Effect<A, E, TallyServices>): Promise<A> =>
    Effect.runPromise(quiet(Effect.provideContext(effect, context)));
  const server = await run(Scope.provide(serveOnLoopback(), scope));
  return {
    run,
    fetch: (path, init) => fetch(`${server.baseUrl}${path}`, init),
    close: () => Effect.runPromise(Scope.close(scope, Exit.void)),
  };
};

/** Asks for the tenant report of `big` over face 1; returns the task path. */
const requestReport = async (tally: RunningTally, format: ReportFormat, tenant = "big") => {
  const response = await tally.fetch(
    `/api/2.0/virtualization/reports/tenants?tenantId=${tenant}&from=2024-01-01T00:00:00&to=2025-01-01T00:00:00`,
    {
      method: "POST",
      headers: { authorization, accept: format === "pdf" ? "application/pdf" : "application/csv" },
    },
  );
  expect(response.status).toBe(202);
  return response.headers.get("location") as string;
};

/** Runs the one queued task here, as a worker would; returns it as the worker left it. */
const runQueuedTask = async (tally: RunningTally): Promise<ReportTask> =>
  Option.getOrThrow(await tally.run(runNextTask("fault-worker")));

/** Everything a client or an operator could try to get the attempted report by. */
const expectNothingDownloadable = async (tally: RunningTally, backend: OpenedBackend) => {
  const store = await tally.run(
    Effect.gen(function* () {
      const reports = yield* ReportStore;
      return {
        listed: yield* reports.list({ limit: 100 }),
        meta: yield* reports.getMeta(attemptedReportId),
        read: yield* Effect.flip(Stream.runCollect(reports.read(attemptedReportId))),
        succeeded: yield* (yield* TaskStore).list({ states: ["Succeeded"], limit: 100 }),
      };
    }),
  );
  expect(store.listed).toEqual([]);
  expect(store.meta).toEqual(Option.none());
  expect(store.read.message).toMatch(/not stored/);
  expect(store.succeeded).toEqual([]);

  const get = (path: string, accept: string) =>
    tally.fetch(path, { headers: { authorization, accept } });
  const listing = await get("/v1/reports", "application/json");
  expect(listing.status).toBe(200);
  expect(((await listing.json()) as { items: unknown[] }).items).toEqual([]);
  expect((await get(`/v1/reports/${attemptedReportId}`, "application/json")).status).toBe(404);
  expect((await get(`/v1/reports/${attemptedReportId}/content`, "*/*")).status).toBe(404);
  const face1 = await get(
    `/api/2.0/virtualization/reports/tenants/${attemptedReportId}`,
    "application/csv",
  );
  expect(face1.status).toBe(404);

  expect(await backend.leftovers()).toEqual({ reportRows: 0, contentRows: 0, files: [] });
};

/** The task over face 1, as a client polling it sees it. */
const vendorTask = async (tally: RunningTally, location: string) => {
  const response = await tally.fetch(location, {
    headers: { authorization, accept: "application/json" },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
};

/** What the backdoor saw at the moment the fault tripped. */
interface AtFault {
  writtenBytes: number;
  reportRows: number;
  contentRows: number;
}

const backends = [
  { name: "SQLite", open: () => openSqlite() },
  { name: "PostgreSQL", open: openPostgres },
] as const;

/** The report has about 1.8 MB of CSV and 0.8 MB of PDF; the faults trip well inside it. */
const periods = 20_000;
const tripBytes = 600_000;

describe.each(backends)("a renderer failing mid-report on $name", (backend) => {
  const withTally = async (
    fault: (observe: Effect.Effect<void>) => RendererFault,
    use: (tally: RunningTally, opened: OpenedBackend, atFault: AtFault[]) => Promise<void>,
  ) => {
    const opened = await backend.open();
    const atFault: AtFault[] = [];
    const observe = Effect.promise(async () => {
      const seen = await opened.leftovers();
      atFault.push({
        writtenBytes: await opened.writtenBytes(),
        reportRows: seen.reportRows,
        contentRows: seen.contentRows,
      });
    });
    const tally = await startTally(opened.location, faultyRenderers(fault(observe)));
    try {
      await tally.run(seedBigTenant(periods));
      await use(tally, opened, atFault);
    } finally {
      await tally.close();
      await opened.close();
    }
  };

  it.each(["csv", "pdf"] as const)(
    "%s: a RenderError after 600 kB ends the task Failed (RenderFailed) and keeps nothing",
    async (format) => {
      await withTally(
        (observe) => ({
          afterBytes: {
            bytes: tripBytes,
            trip: Effect.andThen(
              observe,
              Effect.fail(
                new RenderError({
                  format,
                  detail: `the test renderer broke after ${tripBytes} bytes`,
                }),
              ),
            ),
          },
        }),
        async (tally, opened, atFault) => {
          const writtenBefore = await opened.writtenBytes();
          const location = await requestReport(tally, format);
          const task = await runQueuedTask(tally);

          // The fault tripped mid-write: content had reached the disk, yet no reader saw a report.
          expect(atFault).toHaveLength(1);
          expect(atFault[0]?.writtenBytes).toBeGreaterThan(writtenBefore);
          expect(atFault[0]).toMatchObject({ reportRows: 0, contentRows: 0 });

          expect(task.attempts).toBe(1);
          expect(task.state).toEqual({
            _tag: "Failed",
            error: {
              code: taskFailureCodes.renderFailed,
              message: `rendering ${format} failed: the test renderer broke after ${tripBytes} bytes`,
            },
          });
          expect(await vendorTask(tally, location)).toMatchObject({
            state: "Failed",
            // The vendor's document: on completion, result is the report id or an error message.
            result: `rendering ${format} failed: the test renderer broke after ${tripBytes} bytes`,
            error: `rendering ${format} failed: the test renderer broke after ${tripBytes} bytes`,
          });
          await expectNothingDownloadable(tally, opened);
          // Failed is final: nothing is queued to be tried again.
          expect(await tally.run(runNextTask("fault-worker"))).toEqual(Option.none());
        },
      );
    },
  );

  it.each(["csv", "pdf"] as const)(
    "%s: a renderer throwing at line 15 000 ends the task Failed (InternalError) and keeps nothing",
    async (format) => {
      await withTally(
        (observe) => ({
          atLine: {
            line: 15_000,
            trip: Effect.andThen(
              observe,
              Effect.sync(() => {
                throw new TypeError("cannot format line 15000 (a renderer bug)");
              }),
            ),
          },
        }),
        async (tally, opened, atFault) => {
          const writtenBefore = await opened.writtenBytes();
          const location = await requestReport(tally, format);
          const task = await runQueuedTask(tally);

          expect(atFault).toHaveLength(1);
          // Both renderers stream as they go: by line 15 000 the first bytes are written.
          expect(atFault[0]?.writtenBytes).toBeGreaterThan(writtenBefore);
          expect(atFault[0]).toMatchObject({ reportRows: 0, contentRows: 0 });

          expect(task.state).toEqual({
            _tag: "Failed",
            error: {
              code: taskFailureCodes.internalError,
              message:
                "the report could not be produced because of an internal error: cannot format line 15000 (a renderer bug)",
            },
          });
          expect(await vendorTask(tally, location)).toMatchObject({
            state: "Failed",
            result:
              "the report could not be produced because of an internal error: cannot format line 15000 (a renderer bug)",
          });
          await expectNothingDownloadable(tally, opened);
        },
      );
    },
  );
});

/** Mounts a tmpfs of `size` at `path` (root only); returns how to unmount it. */
const mountTmpfs = (path: string, size: string): (() => void) => {
  mkdirSync(path, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", path], {
      stdio: "pipe",
    });
  } catch (error) {
    throw new Error(
      `this test fills a small tmpfs to make the disk full and needs to mount one (run as root): ${
        (error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error)
      }`,
    );
  }
  return () => execFileSync("umount", [path], { stdio: "pipe" });
};

describe("a disk write failing mid-report on SQLite", () => {
  it("a full disk (a 256 KiB tmpfs for the report files) ends the task Failed (StorageFailed), keeps nothing, and frees the space", async () => {
    let unmount: (() => void) | undefined;
    const opened = await openSqlite((reportsDirectory) => {
      unmount = mountTmpfs(reportsDirectory, "256k");
    });
    try {
      const tally = await startTally(opened.location, ReportRenderersLive);
      try {
        await tally.run(seedBigTenant(periods));
        const location = await requestReport(tally, "csv");
        const task = await runQueuedTask(tally);
        expect(task.state).toMatchObject({
          _tag: "Failed",
          error: { code: taskFailureCodes.storageFailed },
        });
        const message = task.state._tag === "Failed" ? task.state.error.message : "";
        expect(message).toMatch(
          /^storage ReportStore\.put failed \(Unknown\): ENOSPC: no space left on device/,
        );
        expect(await vendorTask(tally, location)).toMatchObject({
          state: "Failed",
          error: message,
        });
        await expectNothingDownloadable(tally, opened);

        // The space went back: a small report fits and is whole.
        await requestReport(tally, "csv", "small");
        const small = await runQueuedTask(tally);
        expect(small.state._tag).toBe("Succeeded");
        const listed = await tally.run(Effect.flatMap(ReportStore, (s) => s.list({ limit: 10 })));
        expect(listed).toHaveLength(1);
        expect((await opened.leftovers()).files).toHaveLength(1);
      } finally {
        await tally.close();
      }
    } finally {
      unmount?.();
    }
  });

  it("the reports directory replaced by a file mid-write ends the task Failed (StorageFailed) and leaves no partial file", async () => {
    const opened = await openSqlite();
    if (opened.location._tag !== "Sqlite") throw new Error("expected SQLite");
    const reportsDirectory = `${opened.location.filename}.reports`;
    const atFault: Array<ReadonlyArray<string>> = [];
    const sabotage = Effect.sync(() => {
      atFault.push(readdirSync(reportsDirectory));
      // The writer's temporary file is open: removing the directory unlinks it under the writer.
      rmSync(reportsDirectory, { recursive: true });
      writeFileSync(reportsDirectory, "not a directory");
    });
    const tally = await startTally(
      opened.location,
      faultyRenderers({ afterBytes: { bytes: tripBytes, trip: sabotage } }),
    );
    try {
      await tally.run(seedBigTenant(periods));
      const location = await requestReport(tally, "csv");
      const task = await runQueuedTask(tally);

      expect(atFault).toHaveLength(1);
      expect(atFault[0]).toEqual([expect.stringMatching(/\.tmp$/)]);
      expect(task.state).toMatchObject({
        _tag: "Failed",
        error: { code: taskFailureCodes.storageFailed },
      });
      const message = task.state._tag === "Failed" ? task.state.error.message : "";
      expect(message).toMatch(/^storage ReportStore\.put failed \(Unknown\): (ENOTDIR|ENOENT)/);
      expect(await vendorTask(tally, location)).toMatchObject({ state: "Failed", error: message });

      // The file in the directory's place is the only thing there.
      const leftovers = await opened.leftovers();
      expect(leftovers).toEqual({ reportRows: 0, contentRows: 0, files: ["tally.sqlite.reports"] });
      rmSync(reportsDirectory);
      mkdirSync(reportsDirectory);
      await expectNothingDownloadable(tally, opened);
    } finally {
      await tally.close();
    }
  });
});
