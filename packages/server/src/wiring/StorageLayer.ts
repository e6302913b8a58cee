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
 * Connections of a PostgreSQL pool for a process running `workers` reports at once: a running
 * report holds up to four (its rows' stream — two for a protection report, whose periods and
 * VMs stream at once — its stored bytes and, at its start, the count of its rows), and the API,
 * the sweeper and the task updates need a few more; never fewer than the pool's default of 10.
 */
export const postgresPoolSize = (workers: number): number => Math.max(10, 4 * workers + 4);

/**
 * The storage the location names, sized for `workers` reports at once (PostgreSQL's pool). A
 * SQLite file's directory is created first, so the default `./.tally/tally.sqlite` works on a
 * fresh clone.
 */
export const storageLayer = (
  location: StorageLocation,
  workers = 0,
): Layer.Layer<StorageServices, StorageError> =>
  location._tag === "Postgres"
    ? PostgresStorage.layer({
        connectionString: location.connectionString,
        schema: location.schema,
        poolSize: postgresPoolSize(workers),
      })
    : Layer.unwrap(
        Effect.sync(() => {
          mkdirSync(dirname(location.filename), { recursive: true });
          return SqliteStorage.layer({ filename: location.filename });
        }),
      );
