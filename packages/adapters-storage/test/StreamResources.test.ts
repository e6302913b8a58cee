/**
 * A report stream holds a connection only while it runs: stopping early (a client that goes
 * away, `Stream.take`) releases it. SQLite streams read through a connection of their own,
 * which must be closed; PostgreSQL streams hold pooled clients (a period stream two), which must
 * go back.
 */
import { readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { ProtectionPeriodStore, TenantDirectory } from "@tally/core";
import { Effect, Layer, Stream } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresStorage, SqliteStorage } from "../src/index.ts";
import { T0 } from "./support/SampleTasks.ts";
import { temporaryDirectory } from "./support/TemporaryDatabase.ts";
import {
  awaitSchemaDrops,
  requirePostgres,
  scopedSchema,
  testPostgresUrl,
} from "./support/TestPostgres.ts";

await requirePostgres();
afterAll(awaitSchemaDrops);

const HOUR = 3_600_000;
const interval = { start: T0, end: T0 + 1_000 * HOUR };
const all = { _tag: "AllTenants" } as const;

/** Loads 5,000 periods, then stops `streams` streams after three rows each. */
const stopStreamsEarly = (streams: number) =>
  Effect.gen(function* () {
    const directory = yield* TenantDirectory;
    const periods = yield* ProtectionPeriodStore;
    yield* directory.upsertVms(
      Array.from({ length: 50 }, (_, i) => ({ id: `vm-${i}`, name: `VM ${i}`, tenantId: null })),
    );
    yield* periods.upsertPeriods(
      Array.from({ length: 5_000 }, (_, i) => ({
        id: `p-${i}`,
        vmId: `vm-${i % 50}`,
        start: T0 + (i % 900) * HOUR,
        end: null,
      })),
    );
    for (let i = 0; i < streams; i++) {
      const first = yield* Stream.runCollect(
        Stream.take(periods.streamOverlapping(interval, all), 3),
      );
      expect(first).toHaveLength(3);
    }
    return yield* periods.countOverlapping(interval, all);
  });

/** Open file descriptors of this process on `path` (Linux). */
const descriptorsOn = (path: string): number =>
  readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;

describe("stopping a stream early", () => {
  it("SQLite: closes the stream's own connection", async () => {
    const filename = join(temporaryDirectory(), "streams.db");
    await Effect.runPromise(
      Effect.provide(
        Effect.gen(function* () {
          // SQLite keeps one descriptor of a closed connection for reuse while another
          // connection of the process holds locks on the file: count after a first stream.
          yield* stopStreamsEarly(1);
          const afterOne = descriptorsOn(filename);
          expect(yield* stopStreamsEarly(20)).toBe(5_000);
          expect(descriptorsOn(filename), "no reader left open").toBe(afterOne);
        }),
        Layer.fresh(SqliteStorage.layer({ filename })),
      ),
    );
  });

  it("PostgreSQL: returns the stream's clients to the pool (of two: a period stream takes both)", async () => {
    await Effect.runPromise(
      Effect.scoped(
        Effect.flatMap(scopedSchema, (schema) =>
          Effect.provide(
            stopStreamsEarly(20),
            PostgresStorage.layer({ connectionString: testPostgresUrl, schema, poolSize: 2 }),
          ),
        ),
      ),
    ).then((count) => expect(count).toBe(5_000));
  });
});
