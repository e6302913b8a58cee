/**
 * @tally/server — Tally's composition root and the `tally` command: configuration, wiring of
 * the core's ports to the chosen adapters, the worker pool with graceful shutdown, structured
 * logs, and the demo data set. The executable is `src/bin/tally.ts`.
 */
export {
  provisionConfiguredUsers,
  upsertAccountWithPassword,
} from "./accounts/AccountProvisioning.ts";
export { runTallyMain } from "./cli/runTallyMain.ts";
export { tallyCommand } from "./cli/TallyCommand.ts";
export { tallyVersion } from "./cli/TallyVersion.ts";
export { ConfigError, ConfigIssue } from "./config/ConfigError.ts";
export { type ConfigSources, loadConfig } from "./config/loadConfig.ts";
export {
  ConfigFileUser,
  type ConfiguredUser,
  configDefaults,
  type StorageLocation,
  settings,
  type TallyConfig,
  TallyConfigFile,
} from "./config/TallyConfig.ts";
export { type DemoAccount, type DemoDataSet, demoDataSet } from "./demo/DemoDataSet.ts";
export { loadDemoData, loadDemoFacts } from "./demo/loadDemoData.ts";
export {
  type ImportKind,
  importColumns,
  importKindAliases,
  importKinds,
} from "./importing/ImportKinds.ts";
export { importBatches } from "./importing/readImportFile.ts";
export { formatLogLine, JsonLoggerLayer, makeJsonLogger } from "./logging/JsonLogger.ts";
export { makeRandomIdGenerator, RandomIdGeneratorLayer } from "./wiring/RandomIdGenerator.ts";
export { storageLayer } from "./wiring/StorageLayer.ts";
export { makeTallyLayer, type TallyServices, tallySettingsOf } from "./wiring/TallyLayer.ts";
export { type SweepJob, startSweeper, sweepOnce } from "./worker/Sweeper.ts";
export {
  type ShutdownOutcome,
  startWorkerPool,
  type WorkerPool,
  type WorkerPoolOptions,
} from "./worker/WorkerPool.ts";
