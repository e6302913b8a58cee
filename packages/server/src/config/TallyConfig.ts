/**
 * Tally's configuration: every setting once, with its file key, its environment variable, its
 * schema and, for error messages, what it expects. The JSON file's schema (`TallyConfigFile`)
 * is built from the same table, so the file and the environment cannot drift apart.
 */
import type { StorageLocation } from "@tally/adapters-storage";
import { type Role, timeZoneSpecForms } from "@tally/core";
import type { LogLevel } from "effect";
import { Schema } from "effect";
import { DurationMs, durationExpected } from "./DurationText.ts";
import { isIanaZone, isZoneSpecText } from "./ZoneSettings.ts";

/** Where Tally keeps its facts: one SQLite file, or a PostgreSQL database (and schema). */
export type { StorageLocation };

/** A password as configured: in clear (hashed at start) or already hashed. */
export type ConfiguredPassword =
  | { readonly _tag: "Plain"; readonly password: string }
  | { readonly _tag: "Hashed"; readonly passwordHash: string };

/** An API user from the configuration file. `tenantId` is set exactly for operators. */
export interface ConfiguredUser {
  readonly username: string;
  readonly password: ConfiguredPassword;
  readonly role: Role;
  readonly tenantId: string | null;
}

/** The validated configuration, every default resolved. */
export interface TallyConfig {
  readonly storage: StorageLocation;
  readonly host: string;
  readonly port: number;
  /** The IANA zone that `Local` means. */
  readonly localZone: string;
  /** The zone spec (`UTC`, `Local`, `UTC±HH:MM`) in which face 1 reads `from`/`to`. */
  readonly face1Zone: string;
  readonly reportRetentionMs: number;
  /** Concurrent report workers in `serve` and `worker` (0: API only). */
  readonly workers: number;
  readonly leaseMs: number;
  readonly maxAttempts: number;
  /** How long a graceful shutdown waits for running reports before releasing them. */
  readonly shutdownDeadlineMs: number;
  /** How often expired leases, reports and tokens are swept. */
  readonly sweepIntervalMs: number;
  /**
   * The first back-off of a user name or address after its free failed password logins; each
   * further failure doubles it, up to 64 times as long.
   */
  readonly authBackoffMs: number;
  /** Failed logins of a user name before its back-off starts (an address gets 4 times as many). */
  readonly authFreeFailures: number;
  readonly logLevel: LogLevel.LogLevel;
  readonly users: ReadonlyArray<ConfiguredUser>;
  /** The configuration file read, if any (absolute path). */
  readonly configFile: string | null;
}

const Int = (minimum: number, maximum: number) =>
  Schema.Int.check(Schema.isBetween({ minimum, maximum }));

const logLevels = ["trace", "debug", "info", "warn", "error", "none"] as const;

/**
 * One setting: its key in the file, its environment variable, how an environment string is
 * turned into the file's JSON value, its schema and what it expects (for messages).
 */
interface Setting<S extends Schema.Top> {
  readonly key: string;
  readonly env: string;
  readonly schema: S;
  readonly expected: string;
  /** Environment values are strings; numbers are read from digits only. */
  readonly fromEnv: (text: string) => unknown;
}

const asText = (text: string): unknown => text;
const asInteger = (text: string): unknown => (/^-?\d+$/.test(text.trim()) ? Number(text) : text);

const setting = <S extends Schema.Top>(s: Setting<S>): Setting<S> => s;

/** Every scalar setting, in the order the documentation lists them. */
export const settings = {
  storage: setting({
    key: "storage",
    env: "TALLY_STORAGE",
    schema: Schema.String.check(Schema.isMinLength(1)),
    expected:
      "a SQLite file path (sqlite: or file: prefix allowed) or a postgres:// URL (?schema=name allowed)",
    fromEnv: asText,
  }),
  host: setting({
    key: "host",
    env: "TALLY_HOST",
    schema: Schema.String.check(Schema.isMinLength(1)),
    expected: "a host name or IP address to listen on",
    fromEnv: asText,
  }),
  port: setting({
    key: "port",
    env: "TALLY_PORT",
    schema: Int(0, 65_535),
    expected: "a TCP port, an integer from 0 to 65535 (0: any free port)",
    fromEnv: asInteger,
  }),
  localZone: setting({
    key: "localZone",
    env: "TALLY_LOCAL_ZONE",
    schema: Schema.String.check(Schema.makeFilter(isIanaZone)),
    expected: "an IANA time zone name such as Europe/Berlin or UTC",
    fromEnv: asText,
  }),
  face1Zone: setting({
    key: "face1Zone",
    env: "TALLY_FACE1_ZONE",
    schema: Schema.String.check(Schema.makeFilter(isZoneSpecText)),
    expected: timeZoneSpecForms,
    fromEnv: asText,
  }),
  reportRetention: setting({
    key: "reportRetention",
    env: "TALLY_REPORT_RETENTION",
    schema: DurationMs,
    expected: durationExpected,
    fromEnv: asText,
  }),
  workers: setting({
    key: "workers",
    env: "TALLY_WORKERS",
    schema: Int(0, 64),
    expected: "a number of concurrent report workers, an integer from 0 to 64",
    fromEnv: asInteger,
  }),
  lease: setting({
    key: "lease",
    env: "TALLY_LEASE",
    schema: DurationMs,
    expected: durationExpected,
    fromEnv: asText,
  }),
  maxAttempts: setting({
    key: "maxAttempts",
    env: "TALLY_MAX_ATTEMPTS",
    schema: Int(1, 100),
    expected: "a number of attempts per report task, an integer from 1 to 100",
    fromEnv: asInteger,
  }),
  shutdownDeadline: setting({
    key: "shutdownDeadline",
    env: "TALLY_SHUTDOWN_DEADLINE",
    schema: DurationMs,
    expected: durationExpected,
    fromEnv: asText,
  }),
  sweepInterval: setting({
    key: "sweepInterval",
    env: "TALLY_SWEEP_INTERVAL",
    schema: DurationMs,
    expected: durationExpected,
    fromEnv: asText,
  }),
  authBackoff: setting({
    key: "authBackoff",
    env: "TALLY_AUTH_BACKOFF",
    schema: DurationMs,
    expected: `${durationExpected} (the first back-off after failed logins)`,
    fromEnv: asText,
  }),
  authFreeFailures: setting({
    key: "authFreeFailures",
    env: "TALLY_AUTH_FREE_FAILURES",
    schema: Int(1, 1_000_000_000),
    expected:
      "failed logins of a user name before its back-off starts, an integer from 1 to 1000000000",
    fromEnv: asInteger,
  }),
  logLevel: setting({
    key: "logLevel",
    env: "TALLY_LOG_LEVEL",
    schema: Schema.Literals(logLevels),
    expected: `one of ${logLevels.join(", ")}`,
    fromEnv: (text) => text.trim().toLowerCase(),
  }),
} as const;

/** What each field of a `users` entry expects, for messages. */
export const userFieldExpected: Readonly<Record<string, string>> = {
  username: "a user name of 1 to 128 characters",
  password: "a non-empty password (hashed with scrypt at start)",
  passwordHash: "an encoded scrypt hash as `tally users add` or the API stores it",
  role: "administrator or operator",
  tenantId: "the id of the tenant an operator works for",
};

/** A user entry of the configuration file. */
export const ConfigFileUser = Schema.Struct({
  username: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(128)),
  password: Schema.optionalKey(Schema.String.check(Schema.isMinLength(1))),
  passwordHash: Schema.optionalKey(Schema.String.check(Schema.isMinLength(1))),
  role: Schema.Literals(["administrator", "operator"]),
  tenantId: Schema.optionalKey(Schema.String.check(Schema.isMinLength(1))),
});
/** A user entry of the configuration file. */
export type ConfigFileUser = typeof ConfigFileUser.Type;

/** The JSON configuration file (`--config` or `TALLY_CONFIG`): every key optional. */
export const TallyConfigFile = Schema.Struct({
  storage: Schema.optionalKey(settings.storage.schema),
  host: Schema.optionalKey(settings.host.schema),
  port: Schema.optionalKey(settings.port.schema),
  localZone: Schema.optionalKey(settings.localZone.schema),
  face1Zone: Schema.optionalKey(settings.face1Zone.schema),
  reportRetention: Schema.optionalKey(settings.reportRetention.schema),
  workers: Schema.optionalKey(settings.workers.schema),
  lease: Schema.optionalKey(settings.lease.schema),
  maxAttempts: Schema.optionalKey(settings.maxAttempts.schema),
  shutdownDeadline: Schema.optionalKey(settings.shutdownDeadline.schema),
  sweepInterval: Schema.optionalKey(settings.sweepInterval.schema),
  authBackoff: Schema.optionalKey(settings.authBackoff.schema),
  authFreeFailures: Schema.optionalKey(settings.authFreeFailures.schema),
  logLevel: Schema.optionalKey(settings.logLevel.schema),
  users: Schema.optionalKey(Schema.Array(ConfigFileUser)),
});
/** The JSON configuration file, decoded. */
export type TallyConfigFile = typeof TallyConfigFile.Type;

/** Defaults of every setting but the local zone (which is the process's own). */
export const configDefaults = {
  storage: "./.tally/tally.sqlite",
  host: "127.0.0.1",
  port: 8080,
  face1Zone: "UTC",
  reportRetentionMs: 24 * 3_600_000,
  workers: 2,
  leaseMs: 30_000,
  maxAttempts: 3,
  shutdownDeadlineMs: 20_000,
  sweepIntervalMs: 5_000,
  authBackoffMs: 1_000,
  authFreeFailures: 5,
  logLevel: "info",
} as const;
