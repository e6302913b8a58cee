/**
 * Tally's embedded default storage: one SQLite file (plus a directory of report files next to
 * it) behind every storage port. The layer opens the file, applies pending migrations, and
 * closes it when its scope ends.
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
import { classifySqliteError } from "../errors/SqliteErrorClassifier.ts";
import { FactImport } from "../importing/FactImport.ts";
import type { StorageServices } from "../StoragePorts.ts";
import { makeSqliteAccountStore } from "./SqliteAccountStore.ts";
import { SqliteDatabase } from "./SqliteDatabase.ts";
import { makeSqliteFactImport } from "./SqliteFactImport.ts";
import { makeSqliteLicenseStore } from "./SqliteLicenseStore.ts";
import { makeSqliteProtectionPeriodStore } from "./SqliteProtectionPeriodStore.ts";
import { makeSqliteReportStore, sweepOrphanReportFiles } from "./SqliteReportStore.ts";
import { makeSqliteTaskStore } from "./SqliteTaskStore.ts";
import { makeSqliteTenantDirectory } from "./SqliteTenantDirectory.ts";

/** Options of the SQLite storage. */
export interface SqliteStorageOptions {
  /** The database file (created if missing). */
  readonly filename: string;
  /** Where report files live (default: `<filename>.reports`, next to the database). */
  readonly reportsDirectory?: string | undefined;
  /** How long a write waits for another process's write lock before failing Busy (ms). */
  readonly busyTimeoutMs?: number | undefined;
}

/** The directory of report files for a database file, unless configured. */
export const defaultReportsDirectory = (filename: string): string => `${filename}.reports`;

/** Opens the database and builds every port over it; closes it when the scope ends. */
const build = (options: SqliteStorageOptions) =>
  Effect.gen(function* () {
    const database = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () =>
          SqliteDatabase.open({ filename: options.filename, busyTimeoutMs: options.busyTimeoutMs }),
        catch: classifySqliteError("SqliteStorage.open"),
      }),
      (db) => Effect.promise(() => db.close()),
    );
    const reportsDirectory = options.reportsDirectory ?? defaultReportsDirectory(options.filename);
    const reportStore = yield* Effect.tryPromise({
      try: async () => {
        const store = await makeSqliteReportStore(database, { reportsDirectory });
        await sweepOrphanReportFiles(database, reportsDirectory, Date.now());
        return store;
      },
      catch: classifySqliteError("SqliteStorage.open"),
    });
    return Context.make(TenantDirectory, makeSqliteTenantDirectory(database)).pipe(
      Context.add(ProtectionPeriodStore, makeSqliteProtectionPeriodStore(database)),
      Context.add(LicenseStore, makeSqliteLicenseStore(database)),
      Context.add(TaskStore, makeSqliteTaskStore(database)),
      Context.add(ReportStore, reportStore),
      Context.add(FactImport, makeSqliteFactImport(database)),
      Context.add(AccountStore, makeSqliteAccountStore(database)),
    );
  });

/** SQLite storage: every storage port over one database file. */
export const SqliteStorage = {
  /** A layer with every storage port over `options.filename`, closed when its scope ends. */
  layer: (options: SqliteStorageOptions): Layer.Layer<StorageServices, StorageError> =>
    Layer.effectContext(build(options)),
} as const;
