/**
 * What the COPY stream tests watch a pool with: a pool of two clients named so that its
 * backends can be found in `pg_stat_activity`, those backends, a wait for a condition the
 * server reaches on its own time, and the StorageError a failed stream ends with.
 */
import { randomBytes } from "node:crypto";
import { StorageError } from "@tally/core";
import { Exit, Option } from "effect";
import pg from "pg";
import { expect } from "vitest";
import { testPostgresUrl } from "./TestPostgres.ts";

/** A pool of two on `schema`, with a name of its own (`prefix-<random>`). */
export const namedPool = (schema: string, prefix: string) => {
  const name = `${prefix}-${randomBytes(4).toString("hex")}`;
  const pool = new pg.Pool({
    connectionString: testPostgresUrl,
    application_name: name,
    options: `-c search_path=${schema}`,
    max: 2,
  });
  pool.on("error", () => undefined);
  return { pool, name };
};

/** The backends of the pool named `name`, with their states, as `admin` sees them. */
export const backendsOf = async (admin: pg.Client, name: string) =>
  (
    await admin.query<{ pid: number; state: string }>(
      "select pid, state from pg_stat_activity where application_name = $1",
      [name],
    )
  ).rows;

/** Waits (a few seconds at most) until `check` holds. */
export const eventually = async (check: () => Promise<boolean> | boolean, what: string) => {
  for (let tries = 0; tries < 100; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting until ${what}`);
};

/** The StorageError a failed exit holds. */
export const storageErrorOf = (exit: Exit.Exit<unknown, unknown>): StorageError => {
  expect(exit).toMatchObject({ _tag: "Failure" });
  const value = Option.getOrUndefined(Exit.findErrorOption(exit));
  expect(value).toBeInstanceOf(StorageError);
  return value as StorageError;
};
