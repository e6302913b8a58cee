/**
 * A PostgreSQL database reached through a pg Pool: 64-bit integers read as numbers, an
 * optional schema (created if missing, put first on every connection's search_path), and the
 * migrations applied on open under an advisory lock, so that many processes may start at once.
 */
import type { StorageError } from "@tally/core";
import { Effect } from "effect";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { classifyPostgresError } from "../errors/PostgresErrorClassifier.ts";
import type { Database } from "../schema/Database.ts";
import { migrateToLatest } from "../schema/MigrationRunner.ts";

/** Options of a PostgreSQL database. */
export interface PostgresDatabaseOptions {
  /** e.g. `postgres://user@host:5432/tally`. */
  readonly connectionString: string;
  /** The schema Tally's tables live in (created if missing; default: the server's search_path). */
  readonly schema?: string | undefined;
  /** Connections in the pool (default 10). */
  readonly poolSize?: number | undefined;
  /** How long to wait for a connection, new or from the pool, before failing (ms, default 10 000). */
  readonly connectTimeoutMs?: number | undefined;
}

/** pg's type id of int8 (bigint), which pg would otherwise read as a string. */
const int8TypeId = 20;

/**
 * Reads int8 as a JavaScript number: Tally's int8 columns hold epoch milliseconds, sizes and
 * counts, all far below 2^53, so nothing is lost.
 */
const numberTypes: pg.CustomTypesConfig = {
  getTypeParser: ((typeId: number, format?: string) =>
    typeId === int8TypeId && format !== "binary"
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(typeId, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
};

const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

/** A schema name checked to be a plain identifier, quoted for SQL. */
export const quotedSchema = (schema: string): string => {
  if (!schemaName.test(schema)) {
    throw new TypeError(
      `schema: expected a lowercase SQL identifier (letters, digits, _; at most 63), got '${schema}'`,
    );
  }
  return `"${schema}"`;
};

/** An open PostgreSQL database. */
export class PostgresDatabase {
  /**
   * Creates the pool, the schema if it is missing, and applies pending migrations while
   * holding an advisory lock (other processes opening the same schema wait for it).
   */
  static async open(options: PostgresDatabaseOptions): Promise<PostgresDatabase> {
    const schema = options.schema === undefined ? undefined : quotedSchema(options.schema);
    const connection = {
      connectionString: options.connectionString,
      types: numberTypes,
      application_name: "tally",
      // A pool that stays exhausted (or a server that never answers) fails the operation as
      // a retryable ConnectionError instead of waiting forever.
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    };
    const pool = new pg.Pool({ ...connection, max: options.poolSize ?? 10 });
    // An idle client losing its connection must not crash the process; the next query that
    // needs a connection gets a fresh one (or fails, classified, if the server is gone).
    pool.on("error", () => undefined);
    // The same for a client that is checked out but between queries — a report stream's
    // cursor while the renderer works, say — when the server ends the connection (a restart
    // sends 57P01): pg emits `error` on the client, and with no listener that kills the
    // process. The loss still reaches the code through the next query on the client, which
    // fails as not queryable (a retryable ConnectionError), and the broken client is discarded.
    pool.on("connect", (client) => client.on("error", () => undefined));
    const database = new PostgresDatabase(pool);
    try {
      const lock = new pg.Client(connection);
      lock.on("error", () => undefined);
      await lock.connect();
      try {
        await lock.query("select pg_advisory_lock(hashtext($1))", [
          `tally-migrations:${options.schema ?? ""}`,
        ]);
        if (schema !== undefined) await lock.query(`create schema if not exists ${schema}`);
        // kysely's bookkeeping tables live in the schema Tally's tables go to (the first of
        // the search_path), never in another schema that happens to have them.
        const current = await lock.query<{ schema: string | null }>(
          "select current_schema() as schema",
        );
        database.migrationsApplied = await migrateToLatest(
          database.kysely,
          "postgres",
          current.rows[0]?.schema ?? undefined,
        );
      } finally {
        await lock.end();
      }
      return database;
    } catch (error) {
      await database.close();
      throw error;
    }
  }

  /** The pool behind `kysely`; streams and report writes take a client of their own from it. */
  readonly pool: pg.Pool;
  /** Runs queries over the pool. */
  readonly kysely: Kysely<Database>;
  /** Names of the migrations this open applied (empty when the schema was up to date). */
  migrationsApplied: ReadonlyArray<string> = [];

  private constructor(pool: pg.Pool) {
    this.pool = pool;
    this.kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }

  /** Runs `work` as an effect; what it throws is classified for `operation`. */
  use<A>(
    operation: string,
    work: (db: Kysely<Database>) => Promise<A>,
  ): Effect.Effect<A, StorageError> {
    return Effect.tryPromise({
      try: () => work(this.kysely),
      catch: classifyPostgresError(operation),
    });
  }

  /** Ends the pool. */
  async close(): Promise<void> {
    await this.kysely.destroy();
  }
}
