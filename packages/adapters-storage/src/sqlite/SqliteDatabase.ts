/**
 * One SQLite database file opened with better-sqlite3: pragmas for a server (WAL, NORMAL
 * sync, busy timeout, foreign keys, a larger page cache), a cache of prepared statements, write transactions that
 * begin IMMEDIATE (several processes may share the file), and read-only connections for
 * streams. Kysely compiles queries and runs the migrations; statements run on the driver.
 *
 * better-sqlite3 is synchronous: a statement or a whole transaction runs without yielding, so
 * no other fiber can slip a statement into a transaction. A stream cannot hold a statement
 * open on the shared connection between two pulls (the connection would be "busy"), so each
 * stream reads through a connection of its own; with WAL it sees one consistent snapshot and
 * never blocks writers.
 *
 * Waiting for another process's write lock: SQLite's own busy handler sleeps inside the
 * synchronous call (blocking Node's event loop) and backs off to 100 ms naps, so eight
 * processes claiming tasks spent most of their time asleep (measured: 500 claims took 26 s).
 * Once open, the connection's busy timeout is 0 and `use` retries a busy operation itself
 * every 1.6–2.4 ms (a jittered `Schedule`), until `busyTimeoutMs` has passed: the event loop stays free
 * and the lock is taken again promptly. Retrying is safe because a busy operation changed
 * nothing: a write transaction fails at `BEGIN IMMEDIATE`, a single statement as a whole.
 */
import type { StorageError } from "@tally/core";
import SqliteDriver from "better-sqlite3";
import { Duration, Effect, Schedule } from "effect";
import { type Compilable, Kysely, SqliteDialect } from "kysely";
import { classifySqliteError } from "../errors/SqliteErrorClassifier.ts";
import type { Database } from "../schema/Database.ts";
import { migrateToLatest } from "../schema/MigrationRunner.ts";

/** An operation found the write lock held by another connection; `cause` is the driver's error. */
class LockHeld {
  readonly cause: unknown;
  constructor(cause: unknown) {
    this.cause = cause;
  }
}

const isLockHeld = (error: unknown): error is LockHeld => error instanceof LockHeld;

/** True for SQLite's "another connection holds the lock" errors. */
const isBusy = (error: unknown): boolean => {
  const code = (error as { readonly code?: unknown } | null)?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
};

/** How long a statement waits for another connection's write lock before failing Busy (ms). */
export const defaultBusyTimeoutMs = 5_000;

/** Options of a SQLite database. */
export interface SqliteDatabaseOptions {
  /** The database file (created if missing). */
  readonly filename: string;
  /** Wait for other writers this long before failing with Busy (ms, default 5000). */
  readonly busyTimeoutMs?: number | undefined;
}

/** An open SQLite database. */
export class SqliteDatabase {
  /** Opens (creating if needed) the file, sets the pragmas and applies pending migrations. */
  static async open(options: SqliteDatabaseOptions): Promise<SqliteDatabase> {
    if (options.filename === ":memory:" || options.filename === "") {
      throw new TypeError(
        "filename: expected a database file path (streams read through their own connections), got an in-memory database",
      );
    }
    const busyTimeoutMs = options.busyTimeoutMs ?? defaultBusyTimeoutMs;
    const driver = new SqliteDriver(options.filename, { timeout: busyTimeoutMs });
    try {
      driver.pragma("journal_mode = WAL");
      driver.pragma("synchronous = NORMAL");
      driver.pragma("foreign_keys = ON");
      // 64 MiB of page cache (the default is 2 MiB): bulk upserts touch index pages all over.
      driver.pragma("cache_size = -65536");
      const database = new SqliteDatabase(options.filename, busyTimeoutMs, driver);
      database.migrationsApplied = await migrateToLatest(database.kysely, "sqlite");
      driver.pragma("busy_timeout = 0");
      return database;
    } catch (error) {
      driver.close();
      throw error;
    }
  }

  /** The database file. */
  readonly filename: string;
  /** The better-sqlite3 connection (for prepared statements on hot paths). */
  readonly driver: SqliteDriver.Database;
  /** Compiles queries (`.compile()`) for this dialect; runs the migrations. */
  readonly kysely: Kysely<Database>;
  /** Names of the migrations this open applied (empty when the file was up to date). */
  migrationsApplied: ReadonlyArray<string> = [];
  private readonly busyTimeoutMs: number;
  /** How a busy operation is tried again: every ~2 ms (jittered) for up to `busyTimeoutMs`. */
  private readonly busyRetries: Schedule.Schedule<unknown, unknown>;
  private readonly statements = new Map<string, SqliteDriver.Statement>();

  private constructor(filename: string, busyTimeoutMs: number, driver: SqliteDriver.Database) {
    this.filename = filename;
    this.busyTimeoutMs = busyTimeoutMs;
    this.busyRetries = Schedule.spaced(Duration.millis(2)).pipe(
      Schedule.jittered,
      Schedule.upTo({ duration: Duration.millis(busyTimeoutMs) }),
    );
    this.driver = driver;
    this.kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: driver }) });
  }

  /**
   * Runs `work` on this database as an effect; what it throws is classified for `operation`.
   * While another connection holds the write lock, `work` is tried again after a short sleep,
   * for up to `busyTimeoutMs`; then it fails Busy.
   */
  use<A>(operation: string, work: (database: this) => A): Effect.Effect<A, StorageError> {
    const classify = classifySqliteError(operation);
    const attempt = Effect.suspend((): Effect.Effect<A, StorageError | LockHeld> => {
      try {
        return Effect.succeed(work(this));
      } catch (error) {
        return Effect.fail(isBusy(error) ? new LockHeld(error) : classify(error));
      }
    });
    // The retry is set up only once the lock was found held: most calls never pay for it.
    return Effect.catchIf(attempt, isLockHeld, () =>
      attempt.pipe(
        Effect.retry({ schedule: this.busyRetries, while: isLockHeld }),
        Effect.mapError((error) => (isLockHeld(error) ? classify(error.cause) : error)),
      ),
    );
  }

  /** The prepared statement for `sql`, prepared once per connection. */
  statement(sql: string): SqliteDriver.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.driver.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs a kysely query and returns its rows as objects. */
  all<R>(query: Compilable<R>): Array<R> {
    const compiled = query.compile();
    return this.statement(compiled.sql).all(...compiled.parameters) as Array<R>;
  }

  /** Runs a kysely query and returns its first row, if any. */
  first<R>(query: Compilable<R>): R | undefined {
    const compiled = query.compile();
    return this.statement(compiled.sql).get(...compiled.parameters) as R | undefined;
  }

  /** Runs a kysely statement that returns no rows; returns how many rows it changed. */
  run(query: Compilable<unknown>): number {
    const compiled = query.compile();
    return this.statement(compiled.sql).run(...compiled.parameters).changes;
  }

  /**
   * Runs `work` in a transaction that takes the write lock at BEGIN (IMMEDIATE), so that two
   * processes never both read and then fail to upgrade; it commits, or rolls back on a throw.
   */
  writeTransaction<A>(work: () => A): A {
    return this.driver.transaction(work).immediate();
  }

  /**
   * Runs a one-off read that scans much of the file (the row count of a report) on a
   * short-lived read-only connection, returning the first row of `query`. Its pages pass
   * through that connection's small cache and are freed with it; on this connection they
   * would fill the 64 MiB cache kept for bulk writes (a 1M-row count: ~60 MiB more RSS in the
   * worker, measured with packages/server/bench/report-path.bench.ts).
   */
  scanFirst<R>(
    operation: string,
    query: Compilable<R>,
  ): Effect.Effect<R | undefined, StorageError> {
    return Effect.try({
      try: () => {
        const compiled = query.compile();
        const reader = this.openReader();
        try {
          return reader.prepare(compiled.sql).get(...compiled.parameters) as R | undefined;
        } finally {
          reader.close();
        }
      },
      catch: classifySqliteError(operation),
    });
  }

  /** A new read-only connection to the same file (for one stream); close it when done. */
  openReader(): SqliteDriver.Database {
    const reader = new SqliteDriver(this.filename, {
      readonly: true,
      fileMustExist: true,
      timeout: this.busyTimeoutMs,
    });
    // A stream or count reads the file once, in order: a large page cache does not help it,
    // and better-sqlite3's default (16 MiB per connection) stays in the process after close.
    reader.pragma("cache_size = -2048");
    return reader;
  }

  /**
   * A new read-write connection to the same file, for a long write of its own (a bulk import's
   * one transaction); close it when done. It waits for other writers with SQLite's own busy
   * handler, up to `busyTimeoutMs`: blocking is fine for a connection nothing else shares.
   */
  openWriter(cacheKiB: number): SqliteDriver.Database {
    const writer = new SqliteDriver(this.filename, {
      fileMustExist: true,
      timeout: this.busyTimeoutMs,
    });
    writer.pragma("synchronous = NORMAL");
    writer.pragma("foreign_keys = ON");
    writer.pragma(`cache_size = -${Math.max(1, Math.floor(cacheKiB))}`);
    return writer;
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    this.statements.clear();
    await this.kysely.destroy();
  }
}
