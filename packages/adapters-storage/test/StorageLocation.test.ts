/**
 * The server names its storage with one string; `parseStorageLocation` tells SQLite paths
 * from PostgreSQL URLs, and `makeStorageLayer` builds the matching layer.
 */
import { join } from "node:path";
import { TenantDirectory } from "@tally/core";
import { Effect, Option } from "effect";
import { describe, expect, it } from "vitest";
import { makeStorageLayer, parseStorageLocation } from "../src/index.ts";
import { temporaryDirectory } from "./support/TemporaryDatabase.ts";
import {
  dropSchema,
  freshSchemaName,
  requirePostgres,
  testPostgresUrl,
} from "./support/TestPostgres.ts";

describe("parseStorageLocation", () => {
  it.each([
    ["tally.db", { _tag: "Sqlite", filename: "tally.db" }],
    ["/var/lib/tally/tally.db", { _tag: "Sqlite", filename: "/var/lib/tally/tally.db" }],
    ["sqlite:data/tally.db", { _tag: "Sqlite", filename: "data/tally.db" }],
    ["file:///srv/tally.db", { _tag: "Sqlite", filename: "/srv/tally.db" }],
    [
      "postgres://tally@db.example:5432/tally",
      { _tag: "Postgres", connectionString: "postgres://tally@db.example:5432/tally" },
    ],
    [
      "postgresql://tally@db/tally?schema=reports&sslmode=require",
      {
        _tag: "Postgres",
        connectionString: "postgresql://tally@db/tally?sslmode=require",
        schema: "reports",
      },
    ],
  ])("reads %s", (text, expected) => {
    expect(parseStorageLocation(text)).toEqual(expected);
  });

  it("rejects an empty string, naming the setting", () => {
    expect(() => parseStorageLocation("  ", "TALLY_STORAGE")).toThrow(
      "TALLY_STORAGE: expected a SQLite file path or a postgres:// URL, got an empty string",
    );
  });
});

describe("makeStorageLayer", () => {
  const roundTrip = (location: string) =>
    Effect.runPromise(
      Effect.provide(
        Effect.gen(function* () {
          const directory = yield* TenantDirectory;
          yield* directory.upsertTenants([{ id: "t", name: "Tenant" }]);
          return yield* directory.getTenant("t");
        }),
        makeStorageLayer(location),
      ),
    );

  it("builds SQLite storage from a file path", async () => {
    const location = join(temporaryDirectory(), "tally.db");
    expect(await roundTrip(location)).toEqual(Option.some({ id: "t", name: "Tenant" }));
  });

  it("builds PostgreSQL storage from a postgres:// URL, in the schema it names", async () => {
    await requirePostgres();
    const schema = freshSchemaName();
    try {
      const url = new URL(testPostgresUrl);
      url.searchParams.set("schema", schema);
      expect(await roundTrip(url.toString())).toEqual(Option.some({ id: "t", name: "Tenant" }));
    } finally {
      await dropSchema(schema);
    }
  });
});
