/** The ports: what the core needs from the world, as effect services. */
export * from "./AccountStore.ts";
export * from "./Authorizer.ts";
export * from "./Clock.ts";
export * from "./IdGenerator.ts";
export * from "./LicenseStore.ts";
export * from "./PasswordHasher.ts";
export * from "./ProtectionPeriodStore.ts";
export * from "./ReportRenderers.ts";
export * from "./ReportStore.ts";
export * from "./TallySettings.ts";
export * from "./TaskStore.ts";
export * from "./TenantDirectory.ts";
