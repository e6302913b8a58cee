/**
 * Fresh SQLite database files for tests: each layer build gets a new temporary directory,
 * removed when the layer's scope ends; other temporary directories go when the test file ends.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Effect, Layer } from "effect";
import { afterAll } from "vitest";
import { SqliteStorage, type StorageServices } from "../../src/index.ts";

const created: Array<string> = [];
afterAll(() => {
  for (const directory of created.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A new empty directory under the system's temporary directory, removed after the file's tests. */
export const temporaryDirectory = (prefix = "tally-sqlite-"): string => {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  created.push(directory);
  return directory;
};

/** SQLite storage over a fresh file in a fresh directory, deleted when the scope ends. */
export const freshSqliteStorage = (): Layer.Layer<StorageServices, unknown> =>
  Layer.unwrap(
    Effect.acquireRelease(
      Effect.sync(() => temporaryDirectory()),
      (directory) => Effect.sync(() => rmSync(directory, { recursive: true, force: true })),
    ).pipe(
      Effect.map((directory) => SqliteStorage.layer({ filename: join(directory, "tally.db") })),
    ),
  );
