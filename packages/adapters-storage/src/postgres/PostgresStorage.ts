/**
 * Tally's storage for several processes on several machines: every storage port over one
 * PostgreSQL database (optionally one schema of it). The layer creates the pool, applies
 * pending migrations, and ends the pool when its scope ends.
 */
import {
  AccountStore,
  LicenseStore,
  ProtectionPeriodStore,
  ReportStore,
  type StorageError,
  TaskStore,
  TenantDirectory,
} from "@tally/core";
import { Context, Effect, Layer } from "effect";
import { classifyPostgresError } from "../errors/PostgresErrorClassifier.ts";
import { FactImport } from "../importing/FactImport.ts";
import type { StorageServices } from "../StoragePorts.ts";
import { makePostgresAccountStore } from "./PostgresAccountStore.ts";
import { PostgresDatabase, type PostgresDatabaseOptions } from "./PostgresDatabase.ts";
import { makePostgresFactImport } from "./PostgresFactImport.ts";
import { makePostgresLicenseStore } from "./PostgresLicenseStore.ts";
import { makePostgresProtectionPeriodStore } from "./PostgresProtectionPeriodStore.ts";
import { makePostgresReportStore } from "./PostgresReportStore.ts";
import { makePostgresTaskStore } from "./PostgresTaskStore.ts";
import { makePostgresTenantDirectory } from "./PostgresTenantDirectory.ts";

/** Options of the PostgreSQL storage. */
export type PostgresStorageOptions = PostgresDatabaseOptions;

/** Opens the pool and builds every port over it; ends the pool when the scope ends. */
const build = (options: PostgresStorageOptions) =>
  Effect.gen(function* () {
    const database = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => PostgresDatabase.open(options),
        catch: classifyPostgresError("PostgresStorage.open"),
      }),
      (db) => Effect.promise(() => db.close()),
    );
    return Context.make(TenantDirectory, makePostgresTenantDirectory(database)).pipe(
      Context.add(ProtectionPeriodStore, makePostgresProtectionPeriodStore(database)),
      Context.add(LicenseStore, makePostgresLicenseStore(database)),
      Context.add(TaskStore, makePostgresTaskStore(database)),
      Context.add(ReportStore, makePostgresReportStore(database)),
      Context.add(FactImport, makePostgresFactImport(database)),
      Context.add(AccountStore, makePostgresAccountStore(database)),
    );
  });

/** PostgreSQL storage: every storage port over one database (or one schema of it). */
export const PostgresStorage = {
  /** A layer with every storage port over `options.connectionString`, ended with its scope. */
  layer: (options: PostgresStorageOptions): Layer.Layer<StorageServices, StorageError> =>
    Layer.effectContext(build(options)),
} as const;
