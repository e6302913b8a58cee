/**
 * The core's contract suites, unchanged, against the PostgreSQL adapter: each layer build gets
 * a fresh schema, dropped afterwards. PostgreSQL must be running (see `TestPostgres.ts`).
 *
 * A fresh schema costs a few hundred milliseconds here (sixty-odd relation files to create,
 * and to drop), and property tests build one per run, so they run 25 times rather than the
 * suites' default hundred, which SQLite runs over the same kysely-built queries.
 */
import {
  LicenseStoreContract,
  ProtectionPeriodStoreContract,
  ReportStoreContract,
  TaskStoreContract,
  TenantDirectoryContract,
} from "@tally/core/testing";
import { afterAll } from "vitest";
import { awaitSchemaDrops, freshPostgresStorage, requirePostgres } from "./support/TestPostgres.ts";

await requirePostgres();
afterAll(awaitSchemaDrops);

const options = { numRuns: 25, timeoutMs: 300_000 };

TenantDirectoryContract.suite("PostgreSQL TenantDirectory", freshPostgresStorage, options);
ProtectionPeriodStoreContract.suite(
  "PostgreSQL ProtectionPeriodStore",
  freshPostgresStorage,
  options,
);
LicenseStoreContract.suite("PostgreSQL LicenseStore", freshPostgresStorage, options);
TaskStoreContract.suite("PostgreSQL TaskStore", freshPostgresStorage, options);
ReportStoreContract.suite("PostgreSQL ReportStore", freshPostgresStorage, options);
