/** In-memory adapters: every port working in one process, for tests, demos and embedding. */
export * as InMemory from "./InMemory.ts";
export * as InMemoryFacts from "./InMemoryFacts.ts";
export * as InMemoryLicenseStore from "./InMemoryLicenseStore.ts";
export * as InMemoryProtectionPeriodStore from "./InMemoryProtectionPeriodStore.ts";
export * as InMemoryReportStore from "./InMemoryReportStore.ts";
export * as InMemoryTaskStore from "./InMemoryTaskStore.ts";
export * as InMemoryTenantDirectory from "./InMemoryTenantDirectory.ts";
export * from "./ListingOrder.ts";
export * as ManualClock from "./ManualClock.ts";
export * from "./PlainData.ts";
export * as SequentialIdGenerator from "./SequentialIdGenerator.ts";
export * from "./Sha256.ts";
export * as SystemClock from "./SystemClock.ts";
