/**
 * The storage the configuration names: one SQLite file or a PostgreSQL database, with every
 * storage port and the bulk import. Kept apart from `TallyLayer` so that a command that only
 * stores facts (`tally import`) loads no renderer.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PostgresStorage, SqliteStorage, type StorageServices } from "@tally/adapters-storage";
import type { StorageError } from "@tally/core";
import { Effect, Layer } from "effect";
import type { StorageLocation } from "../config/TallyConfig.ts";

/**
 * The storage the location names. A SQLite file's directory is created first, so the default
 * `./.tally/tally.sqlite` works on a fresh clone.
 */
export const storageLayer = (
  location: StorageLocation,
): Layer.Layer<StorageServices, StorageError> =>
  location._tag === "Postgres"
    ? PostgresStorage.layer({
        connectionString: location.connectionString,
        schema: location.schema,
      })
    : Layer.unwrap(
        Effect.sync(() => {
          mkdirSync(dirname(location.filename), { recursive: true });
          return SqliteStorage.layer({ filename: location.filename });
        }),
      );
