/**
 * Migrations run on start: on an empty database they create the schema; on a migrated one
 * they do nothing and keep the data; several processes starting at once on a fresh schema
 * apply them once. Both backends.
 */
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresDatabase, SqliteDatabase, tallyMigrations } from "../src/index.ts";
import { temporaryDirectory } from "./support/TemporaryDatabase.ts";
import {
  awaitSchemaDrops,
  dropSchema,
  freshSchemaName,
  requirePostgres,
  testPostgresUrl,
} from "./support/TestPostgres.ts";

await requirePostgres();
afterAll(awaitSchemaDrops);

const allMigrations = Object.keys(tallyMigrations("sqlite"));
const tables = [
  "accounts",
  "idempotency_keys",
  "issued_tokens",
  "license_events",
  "licensed_users",
  "organizations",
  "protection_periods",
  "report_chunks",
  "reports",
  "tasks",
  "tenants",
  "vms",
];

describe("SQLite migrations", () => {
  it("create every table on an empty file, then do nothing on reopening and keep the data", async () => {
    const filename = join(temporaryDirectory(), "tally.db");
    const first = await SqliteDatabase.open({ filename });
    expect(first.migrationsApplied).toEqual(allMigrations);
    const names = first.driver
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'kysely%' and name not like 'sqlite%' order by name",
      )
      .pluck()
      .all();
    expect(names).toEqual(tables);
    first.driver.prepare("insert into tenants (id, name) values ('t', 'Tenant')").run();
    await first.close();

    const second = await SqliteDatabase.open({ filename });
    expect(second.migrationsApplied, "nothing to apply on a migrated file").toEqual([]);
    expect(second.driver.prepare("select name from tenants").pluck().all()).toEqual(["Tenant"]);
    await second.close();
  });

  it("sets the pragmas a server needs: WAL, NORMAL sync, foreign keys", async () => {
    const database = await SqliteDatabase.open({ filename: join(temporaryDirectory(), "p.db") });
    expect(database.driver.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(database.driver.pragma("synchronous", { simple: true })).toBe(1);
    expect(database.driver.pragma("foreign_keys", { simple: true })).toBe(1);
    await database.close();
  });

  it("refuses an in-memory database with a message naming the field", async () => {
    await expect(SqliteDatabase.open({ filename: ":memory:" })).rejects.toThrow(
      /^filename: expected/,
    );
  });
});

describe("PostgreSQL migrations", () => {
  const listTables = async (schema: string): Promise<Array<string>> => {
    const client = new pg.Client({ connectionString: testPostgresUrl });
    await client.connect();
    try {
      const result = await client.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = $1 and table_name not like 'kysely%' order by table_name",
        [schema],
      );
      return result.rows.map((row) => row.table_name);
    } finally {
      await client.end();
    }
  };

  it("create the schema and every table in an empty database, then do nothing and keep the data", async () => {
    const schema = freshSchemaName();
    try {
      const first = await PostgresDatabase.open({ connectionString: testPostgresUrl, schema });
      expect(first.migrationsApplied).toEqual(allMigrations);
      expect(await listTables(schema)).toEqual(tables);
      await first.kysely.insertInto("tenants").values({ id: "t", name: "Tenant" }).execute();

      // Report chunks are compressed with lz4 where the server has it (this one has).
      const compression = await first.kysely
        .selectFrom("pg_attribute" as never)
        .select("attcompression" as never)
        .where("attrelid" as never, "=", sql`${`"${schema}".report_chunks`}::regclass` as never)
        .where("attname" as never, "=", "bytes" as never)
        .executeTakeFirst();
      expect(compression).toEqual({ attcompression: "l" });
      await first.close();

      const second = await PostgresDatabase.open({ connectionString: testPostgresUrl, schema });
      expect(second.migrationsApplied, "nothing to apply on a migrated schema").toEqual([]);
      const names = await second.kysely.selectFrom("tenants").select("name").execute();
      expect(names).toEqual([{ name: "Tenant" }]);
      await second.close();
    } finally {
      await dropSchema(schema);
    }
  });

  it("apply the migrations once when four processes start on a fresh schema at the same time", async () => {
    const schema = freshSchemaName();
    try {
      const opened = await Promise.all(
        Array.from({ length: 4 }, () =>
          PostgresDatabase.open({ connectionString: testPostgresUrl, schema, poolSize: 2 }),
        ),
      );
      const applied = opened.flatMap((db) => db.migrationsApplied);
      expect(applied, "each migration ran exactly once").toEqual(allMigrations);
      expect(await listTables(schema)).toEqual(tables);
      await Promise.all(opened.map((db) => db.close()));
    } finally {
      await dropSchema(schema);
    }
  });

  it("migrate a fresh schema while another schema of the database already holds kysely's tables", async () => {
    // Regression: kysely looked for its bookkeeping tables in every schema, found the other
    // Tally's, skipped creating its own and failed ("kysely_migration_lock" does not exist).
    const [one, two] = [freshSchemaName(), freshSchemaName()];
    try {
      const first = await PostgresDatabase.open({ connectionString: testPostgresUrl, schema: one });
      await first.close();
      const second = await PostgresDatabase.open({
        connectionString: testPostgresUrl,
        schema: two,
      });
      expect(second.migrationsApplied).toEqual(allMigrations);
      expect(await listTables(two)).toEqual(tables);
      await second.close();
      const again = await PostgresDatabase.open({ connectionString: testPostgresUrl, schema: two });
      expect(again.migrationsApplied, "its own bookkeeping is found again").toEqual([]);
      await again.close();
    } finally {
      await Promise.all([dropSchema(one), dropSchema(two)]);
    }
  });

  it("refuses a schema name that is not a plain identifier, naming the field", async () => {
    await expect(
      PostgresDatabase.open({ connectionString: testPostgresUrl, schema: 'x"; drop' }),
    ).rejects.toThrow(/schema: expected a lowercase SQL identifier/);
  });
});
