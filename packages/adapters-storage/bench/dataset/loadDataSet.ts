/**
 * Loads the benchmark data set (ProtectionDataSet.ts) into a SQLite file and a PostgreSQL schema,
 * once: a `bench_data_set` table records what was loaded, and a later run that finds the same
 * version and size reuses it (10M rows take minutes to load, seconds to reuse).
 *
 * The schema comes from Tally's own migrations (the storage layers); the rows go in by the
 * fastest path each database has — one prepared insert in one transaction on SQLite, `COPY FROM
 * STDIN` through psql on PostgreSQL — because loading is set-up, not what is measured. Columns
 * follow the adapters' conventions: a period carries its VM's tenant, and an ongoing period
 * ends at the largest bigint (`ONGOING_END_SQL`).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { Effect, Layer } from "effect";
import pg from "pg";
import { PostgresStorage, SqliteStorage } from "../../src/index.ts";
import { ONGOING_END_SQL } from "../../src/schema/Database.ts";
import { benchPeriods, benchTenants, benchVms } from "./ProtectionDataSet.ts";

/** Bump when the generator changes, so stale data sets are rebuilt. */
const DATA_SET_VERSION = 1;

/** Builds and releases a storage layer: Tally's migrations create the schema. */
const migrate = <A, E>(layer: Layer.Layer<A, E>) =>
  Effect.runPromise(Effect.scoped(Layer.build(layer)).pipe(Effect.asVoid));

/** Ensures `filename` holds the data set of `periods` rows; returns whether it was (re)built. */
export const ensureSqliteDataSet = async (filename: string, periods: number): Promise<boolean> => {
  if (existsSync(filename)) {
    const db = new Database(filename, { readonly: true });
    try {
      const row = db.prepare("select version, periods from bench_data_set").get() as
        | { version: number; periods: number }
        | undefined;
      if (row?.version === DATA_SET_VERSION && row.periods === periods) return false;
    } catch {
      // No marker: an interrupted load. Rebuild.
    } finally {
      db.close();
    }
  }
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${filename}${suffix}`, { force: true });
  rmSync(`${filename}.reports`, { recursive: true, force: true });
  mkdirSync(dirname(filename), { recursive: true });
  await migrate(SqliteStorage.layer({ filename }));
  const db = new Database(filename);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const insertTenant = db.prepare("insert into tenants (id, name) values (?, ?)");
  const insertVm = db.prepare("insert into vms (id, name, tenant_id) values (?, ?, ?)");
  const insertPeriod = db.prepare(
    "insert into protection_periods (id, vm_id, tenant_id, start_at, end_at) values (?, ?, ?, ?, ?)",
  );
  const ongoing = BigInt(ONGOING_END_SQL);
  db.transaction(() => {
    for (const t of benchTenants()) insertTenant.run(t.id, t.name);
    for (const v of benchVms()) insertVm.run(v.id, v.name, v.tenantId);
    for (const p of benchPeriods(periods)) {
      insertPeriod.run(p.id, p.vmId, p.tenantId, p.start, p.end ?? ongoing);
    }
    db.exec("create table bench_data_set (version integer, periods integer)");
    db.prepare("insert into bench_data_set values (?, ?)").run(DATA_SET_VERSION, periods);
  })();
  db.exec("analyze");
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  return true;
};

/** CSV text of a field that may hold quotes or separators. */
const csvField = (value: string | null): string =>
  value === null ? "" : /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

/**
 * Streams `lines` into `COPY table (columns) FROM STDIN` through psql, ~1 MiB per write and
 * waiting for the pipe to drain, so the generated text never sits in memory whole.
 */
const copyIn = (url: string, table: string, columns: string, lines: Iterable<string>) =>
  new Promise<void>((resolve, reject) => {
    const psql = spawn(
      "psql",
      [
        url,
        "-v",
        "ON_ERROR_STOP=1",
        "-q",
        "-c",
        `copy ${table} (${columns}) from stdin with (format csv)`,
      ],
      { stdio: ["pipe", "inherit", "inherit"] },
    );
    psql.on("error", reject);
    psql.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`psql copy into ${table} exited ${code}`)),
    );
    const source = lines[Symbol.iterator]();
    const pump = () => {
      for (;;) {
        const chunk: Array<string> = [];
        let size = 0;
        for (let next = source.next(); next.done !== true; next = source.next()) {
          chunk.push(next.value);
          size += next.value.length;
          if (size > 1 << 20) break;
        }
        if (chunk.length === 0) {
          psql.stdin.end();
          return;
        }
        if (!psql.stdin.write(chunk.join(""))) {
          psql.stdin.once("drain", pump);
          return;
        }
      }
    };
    pump();
  });

/**
 * Ensures schema `schema` of `url` holds the data set of `periods` rows; returns whether it was
 * (re)built.
 */
export const ensurePostgresDataSet = async (
  url: string,
  schema: string,
  periods: number,
): Promise<boolean> => {
  const query = async (sql: string, values: Array<unknown> = []) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql, values)).rows;
    } finally {
      await client.end();
    }
  };
  const marker = await query(`select version, periods from "${schema}".bench_data_set`).catch(
    () => [],
  );
  const found = marker[0] as { version: number; periods: string } | undefined;
  if (found?.version === DATA_SET_VERSION && Number(found.periods) === periods) return false;
  await query(`drop schema if exists "${schema}" cascade`);
  await migrate(PostgresStorage.layer({ connectionString: url, schema }));
  const q = `"${schema}"`;
  await copyIn(
    url,
    `${q}.tenants`,
    "id, name",
    benchTenants().map((t) => `${t.id},${csvField(t.name)}\n`),
  );
  await copyIn(
    url,
    `${q}.vms`,
    "id, name, tenant_id",
    benchVms().map((v) => `${v.id},${csvField(v.name)},${v.tenantId ?? ""}\n`),
  );
  await copyIn(
    url,
    `${q}.protection_periods`,
    "id, vm_id, tenant_id, start_at, end_at",
    (function* () {
      for (const p of benchPeriods(periods)) {
        yield `${p.id},${p.vmId},${p.tenantId ?? ""},${p.start},${p.end ?? ONGOING_END_SQL}\n`;
      }
    })(),
  );
  await query(`vacuum (analyze) ${q}.protection_periods`);
  await query(`create table ${q}.bench_data_set (version integer, periods bigint)`);
  await query(`insert into ${q}.bench_data_set values ($1, $2)`, [DATA_SET_VERSION, periods]);
  return true;
};
