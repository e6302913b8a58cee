/**
 * The composition root: the core's ports, each from the adapter the configuration chooses —
 * storage (one SQLite file or PostgreSQL), the CSV and PDF renderers, random ids, the system
 * clock, scrypt password hashing, and the settings the use cases read. This is the only place that knows them all.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  PostgresStorage,
  ScryptPasswordHasher,
  SqliteStorage,
  type StoragePorts,
} from "@tally/adapters-storage";
import {
  type Clock,
  defaultTallySettings,
  type IdGenerator,
  type PasswordHasher,
  type ReportRenderers,
  type StorageError,
  SystemClock,
  TallySettings,
  type TallySettingsShape,
} from "@tally/core";
import { ReportRenderersLive } from "@tally/renderers";
import { Effect, Layer } from "effect";
import type { StorageLocation, TallyConfig } from "../config/TallyConfig.ts";
import { RandomIdGeneratorLayer } from "./RandomIdGenerator.ts";

/** Every service the use cases need, as this layer provides them. */
export type TallyServices =
  | StoragePorts
  | ReportRenderers
  | Clock
  | IdGenerator
  | PasswordHasher
  | TallySettings;

/** The settings the use cases read, from the configuration. */
export const tallySettingsOf = (config: TallyConfig): TallySettingsShape => ({
  localZone: config.localZone,
  leaseMs: config.leaseMs,
  maxAttempts: config.maxAttempts,
  reportRetentionMs: config.reportRetentionMs,
  progressEveryRows: defaultTallySettings.progressEveryRows,
});

/**
 * The storage the location names. A SQLite file's directory is created first, so the default
 * `./.tally/tally.sqlite` works on a fresh clone.
 */
export const storageLayer = (location: StorageLocation): Layer.Layer<StoragePorts, StorageError> =>
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

/** Every service the use cases need, wired from the configuration. */
export const makeTallyLayer = (config: TallyConfig): Layer.Layer<TallyServices, StorageError> =>
  Layer.mergeAll(
    storageLayer(config.storage),
    ReportRenderersLive,
    RandomIdGeneratorLayer,
    ScryptPasswordHasher.layer,
    SystemClock.layer,
    Layer.succeed(TallySettings, TallySettings.of(tallySettingsOf(config))),
  );
