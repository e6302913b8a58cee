import {
  InMemoryFacts,
  InMemoryLicenseStore,
  InMemoryTenantDirectory,
} from "../../src/adapters/index.ts";
import {
  LicenseStoreContract,
  ProtectionPeriodStoreContract,
  TenantDirectoryContract,
} from "../../src/testing/index.ts";

TenantDirectoryContract.suite("InMemoryTenantDirectory", () => InMemoryTenantDirectory.layer);
ProtectionPeriodStoreContract.suite("InMemoryProtectionPeriodStore", () => InMemoryFacts.layer);
LicenseStoreContract.suite("InMemoryLicenseStore", () => InMemoryLicenseStore.layer);
