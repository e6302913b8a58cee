/**
 * The server's composition root names its storage with one string: a `postgres://` (or
 * `postgresql://`) URL for PostgreSQL, anything else a SQLite file path (`sqlite:` and
 * `file:` prefixes allowed). `makeStorageLayer` turns it into the matching layer.
 */
import type { StorageError } from "@tally/core";
import type { Layer } from "effect";
import { PostgresStorage } from "./postgres/PostgresStorage.ts";
import type { StoragePorts } from "./StoragePorts.ts";
import { SqliteStorage } from "./sqlite/SqliteStorage.ts";

/** Where the data lives, parsed from a storage string. */
export type StorageLocation =
  | { readonly _tag: "Sqlite"; readonly filename: string }
  | { readonly _tag: "Postgres"; readonly connectionString: string; readonly schema?: string };

/**
 * Reads a storage string. A PostgreSQL URL may name a schema with `?schema=name` (removed from
 * the URL given to pg). Fails with a message naming the setting when the string is empty.
 */
export const parseStorageLocation = (location: string, field = "storage"): StorageLocation => {
  const trimmed = location.trim();
  if (trimmed === "") {
    throw new TypeError(
      `${field}: expected a SQLite file path or a postgres:// URL, got an empty string`,
    );
  }
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    const url = new URL(trimmed);
    const schema = url.searchParams.get("schema");
    url.searchParams.delete("schema");
    return schema === null
      ? { _tag: "Postgres", connectionString: url.toString() }
      : { _tag: "Postgres", connectionString: url.toString(), schema };
  }
  const filename = trimmed.replace(/^(sqlite|file):(\/\/)?/i, "");
  return { _tag: "Sqlite", filename };
};

/** Options that apply to whichever backend the location names. */
export interface StorageLayerOptions {
  /** SQLite: where report files live (default `<file>.reports`). */
  readonly reportsDirectory?: string | undefined;
  /** PostgreSQL: connections in the pool (default 10). */
  readonly poolSize?: number | undefined;
}

/** The storage layer for a SQLite path or a `postgres://` URL. */
export const makeStorageLayer = (
  location: string,
  options: StorageLayerOptions = {},
): Layer.Layer<StoragePorts, StorageError> => {
  const parsed = parseStorageLocation(location);
  return parsed._tag === "Postgres"
    ? PostgresStorage.layer({
        connectionString: parsed.connectionString,
        schema: parsed.schema,
        poolSize: options.poolSize,
      })
    : SqliteStorage.layer({
        filename: parsed.filename,
        reportsDirectory: options.reportsDirectory,
      });
};
