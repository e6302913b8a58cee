/**
 * The composition root: the core's ports, each from the adapter the configuration chooses —
 * storage (one SQLite file or PostgreSQL), the CSV and PDF renderers, random ids, the system
 * clock, scrypt password hashing, and the settings the use cases read. This is the only place
 * that knows them all.
 */
import { ScryptPasswordHasher, type StorageServices } from "@tally/adapters-storage";
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
import { Layer } from "effect";
import type { TallyConfig } from "../config/TallyConfig.ts";
import { RandomIdGeneratorLayer } from "./RandomIdGenerator.ts";
import { storageLayer } from "./StorageLayer.ts";

/** Every service the use cases need, as this layer provides them. */
export type TallyServices =
  | StorageServices
  | ReportRenderers
  | Clock
  | IdGenerator
  | PasswordHasher
  | TallySettings;

/**
 * The least time between two progress updates of a running report: four a second is as often
 * as a progress display needs, and a cancellation is still seen within a quarter second.
 */
export const progressEveryMs = 250;

/** The settings the use cases read, from the configuration. */
export const tallySettingsOf = (config: TallyConfig): TallySettingsShape => ({
  localZone: config.localZone,
  leaseMs: config.leaseMs,
  maxAttempts: config.maxAttempts,
  reportRetentionMs: config.reportRetentionMs,
  progressEveryRows: defaultTallySettings.progressEveryRows,
  progressEveryMs: progressEveryMs,
});

/** Every service the use cases need, wired from the configuration. */
export const makeTallyLayer = (config: TallyConfig): Layer.Layer<TallyServices, StorageError> =>
  Layer.mergeAll(
    storageLayer(config.storage, config.workers),
    ReportRenderersLive,
    RandomIdGeneratorLayer,
    ScryptPasswordHasher.layer,
    SystemClock.layer,
    Layer.succeed(TallySettings, TallySettings.of(tallySettingsOf(config))),
  );
