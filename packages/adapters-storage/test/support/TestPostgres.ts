/**
 * The PostgreSQL server the tests use: `TALLY_TEST_POSTGRES_URL`, by default the local one.
 * Tests never skip when it is missing: they fail, saying how to start it. Each layer build
 * gets a schema of its own (`tally_test_<random>`), dropped when the layer's scope ends.
 */
import { randomBytes } from "node:crypto";
import { Effect, Layer } from "effect";
import pg from "pg";
import { PostgresStorage, type StorageServices } from "../../src/index.ts";

/** The server the tests use. */
export const testPostgresUrl =
  process.env.TALLY_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Throws, loudly and with the remedy, when the test server does not answer. */
export const requirePostgres = async (): Promise<void> => {
  const client = new pg.Client({
    connectionString: testPostgresUrl,
    connectionTimeoutMillis: 5_000,
  });
  try {
    await client.connect();
    await client.query("select 1");
  } catch (error) {
    throw new Error(
      `PostgreSQL is required by these tests and did not answer at ${testPostgresUrl} ` +
        `(${error instanceof Error ? error.message : String(error)}). Start it with ` +
        "`pg_ctlcluster --skip-systemctl-redirect 15 main start`, or point TALLY_TEST_POSTGRES_URL " +
        "at a server where the user may create schemas.",
    );
  } finally {
    await client.end().catch(() => undefined);
  }
};

/** A fresh schema name. */
export const freshSchemaName = (): string => `tally_test_${randomBytes(6).toString("hex")}`;

/** Drops a schema and everything in it. */
export const dropSchema = async (schema: string): Promise<void> => {
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
};

/** Drops started and not yet finished. */
const pendingDrops = new Set<Promise<void>>();

/**
 * Waits for every schema drop started so far; call it in `afterAll`. Drops run in the
 * background so that the next test need not wait for the last one's cleanup.
 */
export const awaitSchemaDrops = async (): Promise<void> => {
  await Promise.all([...pendingDrops]);
};

/** A fresh schema for the scope, dropped (in the background) when it ends. */
export const scopedSchema = Effect.acquireRelease(Effect.sync(freshSchemaName), (schema) =>
  Effect.sync(() => {
    const drop = dropSchema(schema).finally(() => pendingDrops.delete(drop));
    pendingDrops.add(drop);
  }),
);

/** PostgreSQL storage in a fresh schema, dropped when the scope ends. */
export const freshPostgresStorage = (): Layer.Layer<StorageServices, unknown> =>
  Layer.unwrap(
    Effect.map(scopedSchema, (schema) =>
      PostgresStorage.layer({ connectionString: testPostgresUrl, schema, poolSize: 4 }),
    ),
  );
