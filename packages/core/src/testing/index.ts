/**
 * @tally/core/testing — fast-check arbitraries of the domain and the contract suites every
 * adapter must pass. Needs `vitest` and `fast-check` (peer and direct dependencies).
 */

// Report tasks and reports: arbitraries, contract suites, and the helpers the suites use.
export * from "./ContractSuite.ts";
// Domain values and facts: arbitraries, models, and the fact stores' contract suites.
export * from "./DomainArbitraries.ts";
export * from "./FactArbitraries.ts";
export * from "./FactModels.ts";
export * as LicenseStoreContract from "./LicenseStoreContract.ts";
export * as ProtectionPeriodStoreContract from "./ProtectionPeriodStoreContract.ts";
export * as ReportStoreContract from "./ReportStoreContract.ts";
export * from "./TaskArbitraries.ts";
export * as TaskStoreContract from "./TaskStoreContract.ts";
export * as TenantDirectoryContract from "./TenantDirectoryContract.ts";
export * from "./withFreshContext.ts";
export * from "./withFreshService.ts";
