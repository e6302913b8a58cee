/**
 * The core services the HTTP layer runs the use cases with: the ports the use cases need,
 * accounts, and password hashing. A host that mounts Tally builds them (its own storage layer,
 * clock, ids, renderers, settings); Tally's handler takes them.
 */
import {
  AccountStore,
  Clock,
  IdGenerator,
  LicenseStore,
  PasswordHasher,
  ProtectionPeriodStore,
  ReportRenderers,
  ReportStore,
  TallySettings,
  TaskStore,
  TenantDirectory,
} from "@tally/core";

/** The core services the HTTP layer may use. */
export type CoreServices =
  | AccountStore
  | Clock
  | IdGenerator
  | LicenseStore
  | PasswordHasher
  | ProtectionPeriodStore
  | ReportRenderers
  | ReportStore
  | TallySettings
  | TaskStore
  | TenantDirectory;

/** Their keys: what the HTTP layer keeps of the environment it is built in. */
export const coreServiceKeys = [
  AccountStore,
  Clock,
  IdGenerator,
  LicenseStore,
  PasswordHasher,
  ProtectionPeriodStore,
  ReportRenderers,
  ReportStore,
  TallySettings,
  TaskStore,
  TenantDirectory,
] as const;
