/**
 * The SQLite adapter keeps report bytes as files next to the database: written under a
 * temporary name, fsynced and renamed before the metadata row makes the report visible.
 * These tests look at the directory itself (the contract suite checks the port's behaviour).
 */
import { readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ReportStore, StorageError } from "@tally/core";
import { Effect, Layer, Stream } from "effect";
import { describe, expect, it } from "vitest";
import { SqliteStorage } from "../src/index.ts";
import { temporaryDirectory } from "./support/TemporaryDatabase.ts";

const T0 = 1_729_987_200_000;
const draft = (id: string, expiresAt = T0 + 86_400_000) => ({
  id,
  taskId: `task-${id}`,
  type: "CreateTenantReport" as const,
  format: "csv" as const,
  contentType: "text/csv; charset=utf-8",
  fileName: "report.csv",
  request: {
    _tag: "TenantReport" as const,
    interval: { start: T0 - 86_400_000, end: T0 },
    zone: { spec: "UTC", resolved: { _tag: "Fixed" as const, offsetMinutes: 0 } },
    tenant: { _tag: "AllTenants" as const },
    format: "csv" as const,
    variant: "detail" as const,
    columns: "vendor" as const,
    separator: ";" as const,
  },
  tenantScope: null,
  createdAt: T0,
  expiresAt,
});
const bytes = (text: string) => new TextEncoder().encode(text);

/** Runs `use` with a report store over a fresh database; returns the reports directory. */
const withStore = async (
  use: (store: ReportStore["Service"], reportsDirectory: string) => Effect.Effect<void, unknown>,
  reportsDirectory = join(temporaryDirectory(), "reports"),
): Promise<string> => {
  const filename = join(reportsDirectory, "..", "tally.db");
  await Effect.runPromise(
    Effect.provide(
      Effect.gen(function* () {
        yield* use(yield* ReportStore, reportsDirectory);
      }),
      Layer.fresh(SqliteStorage.layer({ filename, reportsDirectory })),
    ),
  );
  return reportsDirectory;
};

describe("SQLite report files", () => {
  it("put leaves exactly one report file and no temporary file; delete removes it", async () => {
    await withStore((store, directory) =>
      Effect.gen(function* () {
        yield* store.put({
          draft: draft("r-1"),
          content: Stream.make(bytes("a;b\n"), bytes("1;2\n")),
          rowCount: () => 1,
        });
        const files = readdirSync(directory);
        expect(files).toHaveLength(1);
        expect(files[0]).toMatch(/\.report$/);
        expect(yield* store.delete("r-1")).toBe(true);
        expect(readdirSync(directory)).toEqual([]);
      }),
    );
  });

  it("a content stream that fails half-way leaves no file behind", async () => {
    await withStore((store, directory) =>
      Effect.gen(function* () {
        const failing = Stream.concat(
          Stream.make(bytes("partial")),
          Stream.fail(new Error("renderer broke")),
        );
        const error = yield* Effect.flip(
          store.put({ draft: draft("r-2"), content: failing, rowCount: () => 0 }),
        );
        expect(error).toBeInstanceOf(Error);
        expect(error).not.toBeInstanceOf(StorageError);
        expect(readdirSync(directory)).toEqual([]);
      }),
    );
  });

  it("deleteExpired removes the expired reports' files and keeps the others", async () => {
    await withStore((store, directory) =>
      Effect.gen(function* () {
        for (const [id, expiresAt] of [
          ["old", T0],
          ["new", T0 + 1_000],
        ] as const) {
          yield* store.put({
            draft: draft(id, expiresAt),
            content: Stream.make(bytes(id)),
            rowCount: () => 1,
          });
        }
        expect(yield* store.deleteExpired(T0)).toBe(1);
        expect(readdirSync(directory)).toHaveLength(1);
        const kept = yield* Stream.runCollect(store.read("new"));
        expect(new TextDecoder().decode(kept[0])).toBe("new");
      }),
    );
  });

  it("on start, sweeps files an hour old that no report names, and keeps younger ones", async () => {
    const directory = await withStore((store) =>
      Effect.asVoid(
        store.put({ draft: draft("kept"), content: Stream.make(bytes("x")), rowCount: () => 1 }),
      ),
    );
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    const plant = (name: string, age: number) => {
      writeFileSync(join(directory, name), "orphan");
      utimesSync(join(directory, name), hoursAgo(age), hoursAgo(age));
    };
    plant("crashed-before-insert.report", 2);
    plant("crashed-while-writing.report.tmp", 2);
    plant("being-written-elsewhere.report.tmp", 0);
    plant("not-ours.txt", 2);
    const kept = readdirSync(directory).filter((name) => !name.startsWith("crashed"));
    await withStore(() => Effect.void, directory);
    expect(readdirSync(directory).sort()).toEqual(kept.sort());
  });
});
