/**
 * COPY takes no bind parameters, so the report streams inline theirs as SQL literals. A
 * literal must read back, on the real server, as exactly the value it renders — whatever the
 * string holds (quotes, backslashes, `$1`, control characters, any Unicode) and whatever
 * `standard_conforming_strings` says — and a query with its parameters inlined must return
 * what the query with them bound returns.
 */
import * as fc from "fast-check";
import {
  CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlLiteral, withInlinedParameters } from "../src/postgres/SqlLiterals.ts";
import { overlappingPeriodsQuery } from "../src/queries/PeriodQueries.ts";
import type { Database } from "../src/schema/Database.ts";
import { requirePostgres, testPostgresUrl } from "./support/TestPostgres.ts";

await requirePostgres();

/** Text PostgreSQL can hold (any code point but U+0000), leaning on the troublesome ones. */
const text = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom("'", "''", "\\", "\\'", '"', "$1", "$$", "E'", "--", "/*", ";", "\n", "\t"),
      fc.constantFrom("\u0001", "\u001f", "\u007f", "é", "€", "😀", "\u2028", "\ufeff", "\uffff"),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    ),
    maxLength: 40,
  })
  .map((value) => value.replaceAll("\0", ""));

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

/** What the server reads `literal` as (int8 comes back as text, compared as such). */
const readBack = async (literals: ReadonlyArray<string>): Promise<Array<unknown>> =>
  (
    await client.query({
      text: `select ${literals.map((literal, i) => `${literal} as v${i}`).join(", ")}`,
      rowMode: "array",
    })
  ).rows[0] as Array<unknown>;

describe("sqlLiteral", () => {
  for (const conforming of ["on", "off"]) {
    it(`renders any string so that it reads back unchanged (standard_conforming_strings ${conforming})`, async () => {
      await client.query(`set standard_conforming_strings = ${conforming}`);
      await fc.assert(
        fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 8 }), async (strings) => {
          expect(await readBack(strings.map(sqlLiteral))).toStrictEqual(strings);
        }),
        { numRuns: 300 },
      );
      await client.query("reset standard_conforming_strings");
    });
  }

  it("renders safe integers, negative ones in parentheses, and they read back as int8", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), {
          minLength: 1,
          maxLength: 8,
        }),
        async (numbers) => {
          const literals = numbers.map((n) => `${sqlLiteral(n)}::int8`);
          expect(await readBack(literals)).toStrictEqual(numbers.map((n) => String(n)));
        },
      ),
      { numRuns: 100 },
    );
    expect(sqlLiteral(-5)).toBe("(-5)");
    // `x -$1` must not become the comment `x --5`.
    expect(await readBack([`10 -${sqlLiteral(-5)}`])).toStrictEqual([15]);
  });

  it("renders NULL and booleans, and refuses what it cannot render exactly", () => {
    expect([sqlLiteral(null), sqlLiteral(true), sqlLiteral(false)]).toStrictEqual([
      "null",
      "true",
      "false",
    ]);
    expect(sqlLiteral(12n)).toBe("12");
    for (const value of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, undefined, {}, []]) {
      expect(() => sqlLiteral(value), String(value)).toThrow(TypeError);
    }
    expect(() => sqlLiteral("a\0b")).toThrow(/U\+0000/);
  });
});

describe("withInlinedParameters", () => {
  it("replaces each placeholder, $10 apart from $1, and nothing inside quotes or identifiers", () => {
    const parameters = Array.from({ length: 10 }, (_, i) => i + 1);
    const query = CompiledQuery.raw(
      `select $1, $10, '$1', 'it''s $2', "col$3", "a""$4", a$5, $$ from t where x = $2`,
      parameters,
    );
    expect(withInlinedParameters(query)).toBe(
      `select 1, 10, '$1', 'it''s $2', "col$3", "a""$4", a$5, $$ from t where x = 2`,
    );
  });

  it("refuses a placeholder without a parameter and an unterminated quote", () => {
    expect(() => withInlinedParameters(CompiledQuery.raw("select $2", [1]))).toThrow(/\$2/);
    expect(() => withInlinedParameters(CompiledQuery.raw("select $0", [1]))).toThrow(/\$0/);
    expect(() => withInlinedParameters(CompiledQuery.raw("select 'a", []))).toThrow(/quote/);
  });

  it("gives a report query the rows it gives with its parameters bound", async () => {
    const db = new Kysely<Database>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (kysely) => new PostgresIntrospector(kysely),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    // The report query over a table of its own, in a transaction rolled back afterwards.
    await client.query("begin");
    try {
      await client.query(`
        create temporary table tenants (id text collate "C", name text);
        create temporary table vms (id text collate "C", name text, tenant_id text collate "C");
        create temporary table protection_periods (id text collate "C", vm_id text collate "C",
          tenant_id text collate "C", start_at int8, end_at int8);
        insert into tenants values ('t''1', 'Tenant \\ ''one'''), ('t2', 'Two');
        insert into vms values ('v1', 'VM 1', 't''1'), ('v2', 'VM 2', 't2'), ('v3', 'VM 3', null);
        insert into protection_periods values ('p1', 'v1', 't''1', 100, 200),
          ('p2', 'v2', 't2', 150, 400), ('p3', 'v3', null, 50, 9223372036854775807),
          ('p4', 'v1', 't''1', 300, 500);`);
      for (const part of [
        { _tag: "OneTenant", tenantId: "t'1" },
        { _tag: "WithTenant" },
        { _tag: "WithoutTenant" },
      ] as const) {
        const query = overlappingPeriodsQuery(db, { start: 120, end: 350 }, part).compile();
        const bound = await client.query({
          text: query.sql,
          values: query.parameters as Array<unknown>,
          rowMode: "array",
        });
        const inlined = await client.query({
          text: withInlinedParameters(query),
          rowMode: "array",
        });
        expect(inlined.rows, part._tag).toStrictEqual(bound.rows);
        expect(inlined.rows.length, part._tag).toBeGreaterThan(0);
      }
    } finally {
      await client.query("rollback");
      await db.destroy();
    }
  });
});
