/**
 * The core's contract suites, unchanged, against the SQLite adapter: each layer build opens a
 * fresh database file in a fresh temporary directory.
 */
import {
  LicenseStoreContract,
  ProtectionPeriodStoreContract,
  ReportStoreContract,
  TaskStoreContract,
  TenantDirectoryContract,
} from "@tally/core/testing";
import { freshSqliteStorage } from "./support/TemporaryDatabase.ts";

TenantDirectoryContract.suite("SQLite TenantDirectory", freshSqliteStorage);
ProtectionPeriodStoreContract.suite("SQLite ProtectionPeriodStore", freshSqliteStorage);
LicenseStoreContract.suite("SQLite LicenseStore", freshSqliteStorage);
TaskStoreContract.suite("SQLite TaskStore", freshSqliteStorage);
ReportStoreContract.suite("SQLite ReportStore", freshSqliteStorage);
