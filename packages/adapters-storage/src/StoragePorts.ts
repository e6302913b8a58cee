/**
 * The ports a storage layer provides: every port of the core that keeps data.
 */
import type {
  AccountStore,
  LicenseStore,
  ProtectionPeriodStore,
  ReportStore,
  TaskStore,
  TenantDirectory,
} from "@tally/core";

/** The ports a storage layer provides. */
export type StoragePorts =
  | TenantDirectory
  | ProtectionPeriodStore
  | LicenseStore
  | TaskStore
  | ReportStore
  | AccountStore;
