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
import type { FactImport } from "./importing/FactImport.ts";

/** The ports a storage layer provides. */
export type StoragePorts =
  | TenantDirectory
  | ProtectionPeriodStore
  | LicenseStore
  | TaskStore
  | ReportStore
  | AccountStore;

/** What a storage layer provides: the ports, and the bulk import `tally import` writes through. */
export type StorageServices = StoragePorts | FactImport;
