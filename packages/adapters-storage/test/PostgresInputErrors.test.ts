/**
 * Every class of PostgreSQL error that a value a client sends can cause, raised by a real
 * PostgreSQL (`TALLY_TEST_POSTGRES_URL`) and classified by the adapter's classifier: each is
 * `InvalidInput` — the caller's 400 — never `Unknown` (a 500). And through the storage adapter
 * itself: text PostgreSQL cannot hold, given to a store, fails as `InvalidInput`.
 */
import { StorageError, TenantDirectory } from "@tally/core";
import { Effect } from "effect";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyPostgresError } from "../src/index.ts";
import {
  awaitSchemaDrops,
  freshPostgresStorage,
  requirePostgres,
  testPostgresUrl,
} from "./support/TestPostgres.ts";

let client: pg.Client;

beforeAll(async () => {
  await requirePostgres();
  client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  // A table of its own, gone with the session: one column per kind of value Tally stores.
  await client.query(
    'create temporary table input_errors (id text collate "C" primary key, n bigint, short varchar(8))',
  );
});

afterAll(async () => {
  await client?.end();
  await awaitSchemaDrops();
});

/** What the server threw for `sql` with `values`, classified as the adapter does. */
const classified = async (sql: string, values: ReadonlyArray<unknown> = []) => {
  const thrown = await client.query(sql, [...values]).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown, `${sql} did not fail`).toBeDefined();
  const error = classifyPostgresError("op")(thrown);
  return {
    code: (thrown as { code?: string }).code,
    reason: error.reason,
    retry: error.isRetryable,
  };
};

/** A text of `length` characters that does not compress (so TOAST cannot shrink it). */
const incompressible = (length: number): string => {
  let text = "";
  let state = 12_345;
  while (text.length < length) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    text += state.toString(36);
  }
  return text.slice(0, length);
};

describe("PostgreSQL errors caused by input", () => {
  const cases: ReadonlyArray<readonly [string, string, string, ReadonlyArray<unknown>]> = [
    ["22021", "a NUL in text", "insert into input_errors (id) values ($1)", ["a\u0000b"]],
    [
      "22P02",
      "text that is no number",
      "insert into input_errors (id, n) values ('a', $1)",
      ["12abc"],
    ],
    [
      "22001",
      "a string too long for its column",
      "insert into input_errors (id, short) values ('b', $1)",
      ["123456789"],
    ],
    [
      "22003",
      "a number out of range",
      "insert into input_errors (id, n) values ('c', $1)",
      ["99999999999999999999"],
    ],
    ["22007", "a malformed date and time", "select $1::timestamptz", ["2024-01-01Tnoon"]],
    ["22008", "a date and time out of range", "select $1::timestamptz", ["2024-13-45T00:00:00Z"]],
    [
      "54000",
      "a key too large for its index",
      "insert into input_errors (id) values ($1)",
      [incompressible(12_000)],
    ],
  ];

  it.each(cases)("%s (%s) is InvalidInput, not retried", async (sqlState, _what, sql, values) => {
    expect(await classified(sql, values)).toEqual({
      code: sqlState,
      reason: "InvalidInput",
      retry: false,
    });
  });

  it("a NUL in an id given to a store fails as InvalidInput (not as Unknown)", async () => {
    const error = await Effect.runPromise(
      Effect.scoped(
        Effect.flip(
          Effect.gen(function* () {
            return yield* (yield* TenantDirectory).getTenant("a\u0000b");
          }),
        ),
      ).pipe(Effect.provide(freshPostgresStorage())),
    );
    expect(error).toBeInstanceOf(StorageError);
    expect({ reason: error.reason, retryable: error.isRetryable }).toEqual({
      reason: "InvalidInput",
      retryable: false,
    });
    expect(error.detail).toMatch(/^22021: invalid byte sequence for encoding "UTF8"/);
  });
});
