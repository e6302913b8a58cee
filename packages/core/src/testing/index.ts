/**
 * @tally/core/testing — the contract suites every adapter must pass, for vitest, and the
 * arbitraries they are built from (also importable without vitest from `@tally/core/arbitraries`).
 * Needs `vitest` and `fast-check` (peer dependencies).
 */

export * from "./arbitraries.ts";
// Running a check on its own, and building fresh layers for each run.
export * from "./ContractSuite.ts";
export * as LicenseStoreContract from "./LicenseStoreContract.ts";
export * as ProtectionPeriodStoreContract from "./ProtectionPeriodStoreContract.ts";
export * as ReportStoreContract from "./ReportStoreContract.ts";
export * as TaskStoreContract from "./TaskStoreContract.ts";
export * as TenantDirectoryContract from "./TenantDirectoryContract.ts";
export * from "./withFreshContext.ts";
export * from "./withFreshService.ts";
