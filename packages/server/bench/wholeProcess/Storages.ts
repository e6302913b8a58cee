/**
 * The databases the whole-process benchmarks run Tally on, as `TALLY_STORAGE` names them, and
 * what is cleaned up between runs (not measured): the reports and tasks a run left, so that
 * the next run finds the database as the first did and the disk does not fill.
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

/** A benchmark database: how Tally is pointed at it, and how to clean up after a run. */
export interface BenchStorage {
  readonly name: string;
  /** The `TALLY_STORAGE` value. */
  readonly location: string;
  /** Runs SQL on it through its own command-line client. */
  readonly sql: (statements: string) => void;
  /** Removes every report and task. */
  readonly clean: () => void;
}

/**
 * Forgets the migrations newer than `last` (their changes stay: they are idempotent and
 * harmless to older code), so that an older checkout (TALLY_BENCH_BEFORE) opens a database this
 * one has migrated: kysely refuses a database that applied migrations it does not know. This
 * checkout applies them again at its next start.
 */
export const forgetMigrationsAfter = (storage: BenchStorage, last: string): void =>
  storage.sql(`delete from kysely_migration where name > '${last}'`);

const run = (command: string, args: ReadonlyArray<string>): void => {
  const result = spawnSync(command, args, { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${command} exited ${result.status}: ${result.stderr}`);
  }
};

const cleanTables =
  "delete from report_chunks; delete from reports; delete from idempotency_keys; delete from tasks;";

/** A SQLite file (its reports directory next to it). */
export const sqliteStorage = (file: string): BenchStorage => {
  const sql = (statements: string) => run("sqlite3", [file, statements]);
  return {
    name: "SQLite",
    location: file,
    sql,
    clean: () => {
      sql(cleanTables);
      rmSync(`${file}.reports`, { recursive: true, force: true });
    },
  };
};

/** A schema of a PostgreSQL database. */
export const postgresStorage = (url: string, schema: string): BenchStorage => {
  const sql = (statements: string) =>
    run("psql", [
      url,
      "-X",
      "-q",
      "-v",
      "ON_ERROR_STOP=1",
      "-c",
      `set search_path = "${schema}"`,
      "-c",
      statements,
    ]);
  return {
    name: "PostgreSQL",
    location: `${url}?schema=${schema}`,
    sql,
    // The deleted chunks vacuumed too (VACUUM runs outside a transaction: a `-c` of its own):
    // left dead, a 10M report's ~1 GB of them per run bloated `report_chunks` run after run,
    // and each run stored into a bigger table than the one before.
    clean: () => {
      sql(cleanTables);
      sql("vacuum report_chunks, reports, tasks");
    },
  };
};
