/**
 * The PostgreSQL report streams read `COPY (query) TO STDOUT` on a pooled client. Beyond the
 * contract suites (which read the ports' rows), these tests hold the stream to what it
 * promises about the connection: every text the server stores comes back through COPY's
 * escapes; the parts of a stream read one snapshot; a stream that ends returns its client to
 * the pool, idle and out of its transaction; and a stream cut short — the consumer stops early
 * or fails, the COPY fails, or the server ends the connection — fails or ends cleanly, never
 * returns a client still in the middle of a COPY, and leaves no backend behind.
 */
import { Effect, Exit, Option, Stream } from "effect";
import * as fc from "fast-check";
import { CompiledQuery } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresCopyStream } from "../src/postgres/PostgresCopyStream.ts";
import {
  backendsOf as backendsOfPool,
  eventually,
  namedPool,
  storageErrorOf,
} from "./support/PoolProbes.ts";
import {
  dropSchema,
  freshSchemaName,
  requirePostgres,
  testPostgresUrl,
} from "./support/TestPostgres.ts";

await requirePostgres();

const schema = freshSchemaName();
let admin: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`create schema "${schema}"`);
  await admin.query(`set search_path = "${schema}"`);
  await admin.query(`
    create table texts (i int primary key, a text, b text not null, n int8);
    create table snapshot_rows (part int not null, v text not null);`);
});
afterAll(async () => {
  await admin.end();
  await dropSchema(schema);
});

const testPool = () => namedPool(schema, "tally-copy-test");
const backendsOf = (name: string) => backendsOfPool(admin, name);

/** Rows as arrays (each row copied: the parser reuses its field array). */
const asArrays = {
  columns: ["text", "int8"],
  toRow: (raw: ReadonlyArray<unknown>) => [...raw],
} as const;

/** Many rows: more than the read-ahead and the sockets hold, so a COPY cut short is mid-way. */
const manyRows = CompiledQuery.raw(
  "select 'row ' || i, i::int8 from generate_series(1, 2000000) i",
  [],
);

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromiseExit(effect);

/** Checks the pool still streams, and returns its client afterwards. */
const expectPoolStillStreams = async (pool: pg.Pool) => {
  const exit = await run(
    Stream.runCollect(
      postgresCopyStream(pool, "test", [CompiledQuery.raw("select 'x', 1::int8", [])], asArrays),
    ),
  );
  expect(Exit.isSuccess(exit) ? [...exit.value] : exit).toStrictEqual([["x", 1]]);
};

/** Text PostgreSQL can hold (any code point but U+0000), leaning on what COPY escapes. */
const text = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom("\\", "\t", "\n", "\r", "\b", "\f", "\v", "\\N", "\u0001", "\u007f", "'"),
      fc.constantFrom("é", "€", "😀", "テナント", "\u2028"),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    ),
    maxLength: 30,
  })
  .map((value) => value.replaceAll("\0", ""));

describe("PostgreSQL COPY streams", () => {
  it("read back any text and integer stored through bind parameters", async () => {
    const { pool } = testPool();
    try {
      const row = fc.record({
        a: fc.option(text, { nil: null }),
        b: text,
        n: fc.option(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), {
          nil: null,
        }),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(row, { maxLength: 40 }), async (rows) => {
          await admin.query("truncate texts");
          await admin.query(
            "insert into texts select * from unnest($1::int[], $2::text[], $3::text[], $4::int8[])",
            [
              rows.map((_, i) => i),
              rows.map((r) => r.a),
              rows.map((r) => r.b),
              rows.map((r) => r.n),
            ],
          );
          const exit = await run(
            Stream.runCollect(
              postgresCopyStream(
                pool,
                "test",
                [CompiledQuery.raw("select a, b, n from texts order by i", [])],
                {
                  columns: ["text", "text", "int8"],
                  toRow: (raw) => ({ a: raw[0], b: raw[1], n: raw[2] }),
                },
                7,
              ),
            ),
          );
          // fast-check's records are not plain objects: compared as plain ones.
          const expected = rows.map(({ a, b, n }) => ({ a, b, n }));
          expect(Exit.isSuccess(exit) ? [...exit.value] : exit).toStrictEqual(expected);
        }),
        { numRuns: 60 },
      );
    } finally {
      await pool.end();
    }
  });

  it("read all parts from one snapshot: a row committed between them is not seen", async () => {
    const { pool } = testPool();
    try {
      await admin.query("truncate snapshot_rows");
      await admin.query("insert into snapshot_rows values (1, 'a'), (1, 'b'), (2, 'c')");
      const part = (n: number) =>
        CompiledQuery.raw("select v, part::int8 from snapshot_rows where part = $1 order by v", [
          n,
        ]);
      let inserted = false;
      const exit = await run(
        Stream.runCollect(
          Stream.mapEffect(
            postgresCopyStream(pool, "test", [part(1), part(2)], asArrays, 1),
            (row) =>
              inserted
                ? Effect.succeed(row)
                : Effect.promise(async () => {
                    // The first part is being read; the second has not started.
                    await admin.query("insert into snapshot_rows values (2, 'late')");
                    inserted = true;
                    return row;
                  }),
          ),
        ),
      );
      expect(Exit.isSuccess(exit) ? [...exit.value] : exit).toStrictEqual([
        ["a", 1],
        ["b", 1],
        ["c", 2],
      ]);
      expect(inserted).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it("return the client to the pool, idle and out of its transaction, once read to the end", async () => {
    const { pool, name } = testPool();
    try {
      const exit = await run(
        Stream.runCount(postgresCopyStream(pool, "test", [manyRows], asArrays)),
      );
      expect(Exit.isSuccess(exit) ? exit.value : exit).toBe(2_000_000);
      expect([pool.totalCount, pool.idleCount]).toStrictEqual([1, 1]);
      expect((await backendsOf(name)).map((b) => b.state)).toStrictEqual(["idle"]);
    } finally {
      await pool.end();
    }
  });

  it("destroy the client when the consumer stops early, and the server ends its backend", async () => {
    const { pool, name } = testPool();
    try {
      for (let i = 0; i < 3; i++) {
        const exit = await run(
          Stream.runCollect(Stream.take(postgresCopyStream(pool, "test", [manyRows], asArrays), 5)),
        );
        expect(Exit.isSuccess(exit) ? exit.value.length : exit).toBe(5);
        // Never back in the pool mid-COPY: the pool of two would be exhausted otherwise.
        expect(pool.idleCount).toBe(0);
      }
      await eventually(() => pool.totalCount === 0, "the pool has let go of every client");
      await eventually(async () => (await backendsOf(name)).length === 0, "no backend is left");
      await expectPoolStillStreams(pool);
    } finally {
      await pool.end();
    }
  });

  it("destroy the client when the consumer fails mid-stream", async () => {
    const { pool, name } = testPool();
    try {
      let seen = 0;
      const exit = await run(
        Stream.runDrain(
          Stream.mapEffect(postgresCopyStream(pool, "test", [manyRows], asArrays), () =>
            ++seen === 3_000 ? Effect.fail("renderer failed" as const) : Effect.void,
          ),
        ),
      );
      expect(Exit.isFailure(exit) && Option.getOrUndefined(Exit.findErrorOption(exit))).toBe(
        "renderer failed",
      );
      await eventually(() => pool.totalCount === 0, "the pool has let go of the client");
      await eventually(async () => (await backendsOf(name)).length === 0, "no backend is left");
      await expectPoolStillStreams(pool);
    } finally {
      await pool.end();
    }
  });

  it("fail with a StorageError when the COPY fails mid-way, and discard the client", async () => {
    const { pool, name } = testPool();
    try {
      const failing = CompiledQuery.raw(
        "select 'row ' || i, (1000000 / (30000 - i))::int8 from generate_series(1, 60000) i",
        [],
      );
      let rows = 0;
      const exit = await run(
        Stream.runForEach(postgresCopyStream(pool, "Test.stream", [failing], asArrays), () =>
          Effect.sync(() => {
            rows++;
          }),
        ),
      );
      const error = storageErrorOf(exit);
      expect(error.operation).toBe("Test.stream");
      expect(error.detail).toMatch(/division by zero/);
      expect(rows).toBeLessThan(30_000);
      await eventually(() => pool.totalCount === 0, "the pool has let go of the client");
      await eventually(
        async () => (await backendsOf(name)).length === 0,
        "no backend is left (none idle in an aborted transaction)",
      );
      await expectPoolStillStreams(pool);
    } finally {
      await pool.end();
    }
  });

  it("fail as a retryable ConnectionError when the server ends the connection mid-COPY", async () => {
    const { pool, name } = testPool();
    try {
      let terminated = false;
      const exit = await run(
        Stream.runDrain(
          Stream.mapEffect(postgresCopyStream(pool, "test", [manyRows], asArrays), (row) =>
            terminated
              ? Effect.succeed(row)
              : Effect.promise(async () => {
                  await admin.query(
                    "select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1",
                    [name],
                  );
                  terminated = true;
                  return row;
                }),
          ),
        ),
      );
      const error = storageErrorOf(exit);
      expect(error.reason).toBe("ConnectionError");
      expect(error.isRetryable).toBe(true);
      await eventually(() => pool.totalCount === 0, "the pool has let go of the client");
      await expectPoolStillStreams(pool);
    } finally {
      await pool.end();
    }
  });

  it("refuse a parameter it cannot inline before taking a client", async () => {
    const { pool } = testPool();
    try {
      const exit = await run(
        Stream.runDrain(
          postgresCopyStream(
            pool,
            "test",
            [CompiledQuery.raw("select $1::text, 1::int8", [1.5])],
            asArrays,
          ),
        ),
      );
      expect(storageErrorOf(exit).detail).toMatch(/safe integer/);
      expect(pool.totalCount).toBe(0);
    } finally {
      await pool.end();
    }
  });
});
