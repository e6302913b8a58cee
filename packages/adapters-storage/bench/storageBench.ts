/**
 * Storage benchmarks: bulk ingestion (rows per second, first load and idempotent re-send) and
 * the report stream (rows per second by four read paths on SQLite; on PostgreSQL the adapter's,
 * and psql running the same COPY statements to /dev/null, the floor the adapter is held to).
 *
 *   npx -y pnpm@12.21.0 exec node packages/adapters-storage/bench/storageBench.ts [rows] [--no-postgres]
 *
 * Rows default to 1,000,000. PostgreSQL is the one `TALLY_TEST_POSTGRES_URL` names (default
 * the local server); the benchmark uses a schema of its own and drops it.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type LicenseEvent,
  LicenseStore,
  type PeriodRow,
  type ProtectionPeriod,
  ProtectionPeriodStore,
  type StorageError,
  TenantDirectory,
} from "@tally/core";
import { Effect, type Layer, Stream } from "effect";
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from "kysely";
import pg from "pg";
import {
  type Database,
  PostgresStorage,
  SqliteDatabase,
  SqliteStorage,
  type StoragePorts,
} from "../src/index.ts";
import { copyStatement } from "../src/postgres/PostgresCopyStream.ts";
import {
  overlappingPeriodKeysQuery,
  overlappingPeriodsQuery,
  vmsOfPartQuery,
} from "../src/queries/PeriodQueries.ts";

const rows = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 1_000_000);
const withPostgres = !process.argv.includes("--no-postgres");
const postgresUrl =
  process.env.TALLY_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;
const tenants = Array.from({ length: 50 }, (_, i) => ({ id: `tenant-${i}`, name: `Tenant ${i}` }));
const vms = Array.from({ length: 10_000 }, (_, i) => ({
  id: `vm-${String(i).padStart(5, "0")}`,
  name: `VM ${i}`,
  tenantId: i % 25 === 24 ? null : `tenant-${i % 50}`,
}));
const periods: Array<ProtectionPeriod> = Array.from({ length: rows }, (_, i) => ({
  id: `period-${i}`,
  vmId: (vms[i % vms.length] as { id: string }).id,
  start: T0 + (i % 8_760) * HOUR,
  end: i % 50 === 0 ? null : T0 + ((i % 8_760) + 1 + (i % 72)) * HOUR,
}));
const organizations = Array.from({ length: 20 }, (_, i) => ({
  id: `org-${i}`,
  name: `Org ${i}`,
  capacity: 1_000,
  tenantId: null,
}));
const users = Array.from({ length: 5_000 }, (_, i) => ({
  id: `user-${i}`,
  name: `user${i}@example.org`,
  organizationId: `org-${i % 20}`,
}));
const events: Array<LicenseEvent> = Array.from({ length: rows }, (_, i) => ({
  id: `event-${i}`,
  userId: `user-${i % 5_000}`,
  kind: i % 3 === 0 ? "revoked" : "assigned",
  at: T0 + i * 1_000,
}));
const everything = { start: 0, end: T0 + 20_000 * HOUR };
const all = { _tag: "AllTenants" } as const;

const perSecond = (count: number, ms: number) =>
  `${Math.round((count / ms) * 1000).toLocaleString("en")} rows/s`;

/** Runs `work` `times` times and reports the fastest run, per row. */
const timed = async <A>(
  label: string,
  count: number,
  work: () => Promise<A>,
  times = 1,
): Promise<A> => {
  let best = Number.POSITIVE_INFINITY;
  let result: A | undefined;
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    result = await work();
    best = Math.min(best, performance.now() - started);
  }
  const runs = times === 1 ? "" : ` (best of ${times})`;
  console.log(
    `${(label + runs).padEnd(72)} ${(best / 1000).toFixed(2).padStart(6)} s  ${perSecond(count, best)}`,
  );
  return result as A;
};

/** How many times each read path runs (the fastest counts: the machine may be shared). */
const readRuns = 3;

const run = <A>(effect: Effect.Effect<A, StorageError>) => Effect.runPromise(effect);

/** Ingestion and the adapter's stream over a storage layer. */
const benchAdapter = (name: string, layer: Layer.Layer<StoragePorts, StorageError>) =>
  Effect.runPromise(
    Effect.provide(
      Effect.gen(function* () {
        const directory = yield* TenantDirectory;
        const store = yield* ProtectionPeriodStore;
        const licenses = yield* LicenseStore;
        yield* directory.upsertTenants(tenants);
        yield* directory.upsertVms(vms);
        yield* licenses.upsertOrganizations(organizations);
        yield* licenses.upsertUsers(users);
        yield* Effect.promise(async () => {
          await timed(`${name}: upsertPeriods, first load`, rows, () =>
            run(store.upsertPeriods(periods)),
          );
          await timed(`${name}: upsertPeriods, the same rows again`, rows, () =>
            run(store.upsertPeriods(periods)),
          );
          await timed(`${name}: upsertEvents, first load`, rows, () =>
            run(licenses.upsertEvents(events)),
          );
          await timed(`${name}: upsertEvents, the same rows again`, rows, () =>
            run(licenses.upsertEvents(events)),
          );
          const streamed = await timed(
            `${name}: adapter streamOverlapping (Effect Stream of PeriodRow)`,
            rows,
            () => {
              let count = 0;
              return run(
                Stream.runForEachArray(store.streamOverlapping(everything, all), (batch) =>
                  Effect.sync(() => {
                    count += batch.length;
                  }),
                ),
              ).then(() => count);
            },
            readRuns,
          );
          if (streamed !== rows) throw new Error(`streamed ${streamed} of ${rows} rows`);
        });
      }),
      layer,
    ),
  );

/** A raw row of `overlappingPeriodsQuery` (the joined query) as the port's PeriodRow. */
const periodRowFromArray = (raw: ReadonlyArray<unknown>): PeriodRow => ({
  tenantId: raw[0] as string | null,
  tenantName: raw[1] as string | null,
  vmId: raw[2] as string,
  vmName: raw[3] as string,
  start: raw[4] as number,
  end: raw[5] as number | null,
});

/** The same rows read three more ways from the same SQLite file. */
const benchSqliteReadPaths = async (filename: string) => {
  const database = await SqliteDatabase.open({ filename });
  try {
    const parts = [
      overlappingPeriodsQuery(database.kysely, everything, { _tag: "WithTenant" }),
      overlappingPeriodsQuery(database.kysely, everything, { _tag: "WithoutTenant" }),
    ];
    await timed(
      "SQLite: kysely .stream() (row objects, one await per row)",
      rows,
      async () => {
        let count = 0;
        for (const query of parts) for await (const _row of query.stream()) count++;
        return count;
      },
      readRuns,
    );
    await timed(
      "SQLite: better-sqlite3 iterate() (the driver's row objects)",
      rows,
      async () => {
        let count = 0;
        for (const query of parts) {
          const compiled = query.compile();
          const statement = database.driver.prepare(compiled.sql);
          for (const _row of statement.iterate(...compiled.parameters)) count++;
        }
        return count;
      },
      readRuns,
    );
    await timed(
      "SQLite: raw().iterate() to PeriodRow, batches of 1000 (no Effect)",
      rows,
      async () => {
        let count = 0;
        for (const query of parts) {
          const compiled = query.compile();
          const iterator = database.driver
            .prepare(compiled.sql)
            .raw(true)
            .iterate(...compiled.parameters);
          let batch: Array<PeriodRow> = [];
          for (const row of iterator) {
            batch.push(periodRowFromArray(row as ReadonlyArray<unknown>));
            if (batch.length === 1_000) {
              count += batch.length;
              batch = [];
            }
          }
          count += batch.length;
        }
        return count;
      },
      readRuns,
    );
  } finally {
    await database.close();
  }
};

/**
 * psql running the COPY statements the adapter's stream runs (same settings, text format,
 * output to /dev/null): the database's own floor for the stream, parsing aside. The adapter
 * runs each part's two COPYs — the periods and their VMs — at once on two connections; psql
 * runs them one after the other.
 */
const benchPsqlCopy = async (schema: string) => {
  // Compiles only: kysely's dummy driver never connects.
  const kysely = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  const statements = (["WithTenant", "WithoutTenant"] as const).flatMap((_tag) => [
    copyStatement(overlappingPeriodKeysQuery(kysely, everything, { _tag }).compile()),
    copyStatement(vmsOfPartQuery(kysely, { _tag }).compile()),
  ]);
  await timed(
    "PostgreSQL: psql, the same COPY statements to /dev/null (floor)",
    rows,
    async () => {
      const psql = spawnSync(
        "psql",
        [postgresUrl, "-X", "-q", ...statements.flatMap((s) => ["-c", s])],
        {
          stdio: ["ignore", "ignore", "inherit"],
          env: {
            ...process.env,
            PGOPTIONS: `-c search_path=${schema} -c enable_sort=off -c max_parallel_workers_per_gather=0`,
          },
        },
      );
      if (psql.error !== undefined || psql.status !== 0) {
        throw new Error(`psql failed: ${psql.error?.message ?? `exit ${psql.status}`}`);
      }
    },
    readRuns,
  );
};

const main = async () => {
  console.log(
    `${rows.toLocaleString("en")} periods and ${rows.toLocaleString("en")} license events, Node ${process.version}`,
  );
  const directory = mkdtempSync(join(tmpdir(), "tally-bench-"));
  try {
    const filename = join(directory, "bench.db");
    await benchAdapter("SQLite", SqliteStorage.layer({ filename }));
    await benchSqliteReadPaths(filename);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  if (!withPostgres) return;
  const schema = `tally_bench_${randomBytes(4).toString("hex")}`;
  try {
    await benchAdapter(
      "PostgreSQL",
      PostgresStorage.layer({ connectionString: postgresUrl, schema, poolSize: 4 }),
    );
    await benchPsqlCopy(schema);
  } finally {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  }
};

await main();
