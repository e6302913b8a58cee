/**
 * Loads the configuration once at start: the JSON file (if `--config` or `TALLY_CONFIG` names
 * one), then the environment over it, then the defaults. Everything is decoded with Schema and
 * every bad setting is reported at once, so one failed start shows all that needs fixing.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { parseStorageLocation } from "@tally/adapters-storage";
import type { Role } from "@tally/core";
import { Effect, Result, Schema, SchemaIssue } from "effect";
import { ConfigError, type ConfigIssue } from "./ConfigError.ts";
import {
  type ConfigFileUser,
  type ConfiguredUser,
  configDefaults,
  type StorageLocation,
  settings,
  type TallyConfig,
  TallyConfigFile,
  userFieldExpected,
} from "./TallyConfig.ts";
import { processZone } from "./ZoneSettings.ts";

/** Where configuration comes from; all optional so tests can pass exactly what they mean. */
export interface ConfigSources {
  /** Environment variables (default: `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A path given on the command line (`--config`); wins over `TALLY_CONFIG`. */
  readonly configPath?: string | undefined;
  /** Directory relative paths are resolved against (default: `process.cwd()`). */
  readonly cwd?: string;
}

type Decoded = { -readonly [K in keyof TallyConfigFile]: TallyConfigFile[K] };

const formatter = SchemaIssue.makeFormatterStandardSchemaV1();

/** How a given value is shown in a message: JSON, shortened; passwords never echoed. */
const show = (value: unknown, secret = false): string => {
  if (value === undefined) return "nothing";
  if (secret) return "(a hidden value)";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

const valueAt = (root: unknown, path: ReadonlyArray<PropertyKey>): unknown => {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
};

const settingKeys = [...Object.values(settings).map((s) => s.key), "users"];

/** Names a path of the file, e.g. `users[1].role in /etc/tally.json`. */
const describePath = (path: ReadonlyArray<PropertyKey>, file: string): string => {
  let name = "";
  for (const key of path)
    name += typeof key === "number" ? `[${key}]` : name === "" ? String(key) : `.${String(key)}`;
  return `${name === "" ? "the configuration" : name} in ${file}`;
};

const expectedAt = (path: ReadonlyArray<PropertyKey>): string => {
  const [key, index, field] = path;
  if (key === undefined) return "a JSON object with settings";
  if (key === "users") {
    if (index === undefined) return "a list of users";
    if (field === undefined)
      return "a user object with username, role and password or passwordHash";
    return userFieldExpected[String(field)] ?? "no other field in a user entry";
  }
  const known = Object.values(settings).find((s) => s.key === key);
  return known?.expected ?? `one of the known settings (${settingKeys.join(", ")})`;
};

const fileIssues = (input: unknown, issue: SchemaIssue.Issue, file: string): ConfigIssue[] =>
  formatter(issue).issues.map((i) => {
    const path = (i.path ?? []).map((p) => (typeof p === "object" ? p.key : p));
    const unknownKey = path.length === 1 && !settingKeys.includes(String(path[0]));
    return {
      setting: describePath(path, file),
      expected: expectedAt(path),
      actual: unknownKey
        ? `an unknown setting "${String(path[0])}"`
        : show(valueAt(input, path), path[path.length - 1] === "password"),
    };
  });

const readFile = (
  path: string,
  label: string,
): Result.Result<{ readonly input: unknown }, ConfigIssue> => {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code ?? "unreadable";
    return Result.fail({
      setting: label,
      expected: "a readable JSON configuration file",
      actual: `${JSON.stringify(path)} (${code === "ENOENT" ? "no such file" : code})`,
    });
  }
  try {
    return Result.succeed({ input: JSON.parse(text) as unknown });
  } catch (error) {
    return Result.fail({
      setting: label,
      expected: "a JSON configuration file",
      actual: `${JSON.stringify(path)} with invalid JSON (${(error as Error).message})`,
    });
  }
};

/**
 * Reads the storage setting with the storage adapter's own grammar, and refuses what it would
 * misread: another URL scheme (`mysql://…` is not a file name), a PostgreSQL URL that does not
 * parse, an in-memory database. A relative SQLite path is taken from the working directory.
 */
const classifyStorage = (text: string, cwd: string): StorageLocation | undefined => {
  const isOtherScheme =
    /^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !/^(postgres(ql)?|sqlite|file):\/\//i.test(text);
  if (isOtherScheme) return undefined;
  let location: StorageLocation;
  try {
    location = parseStorageLocation(text);
  } catch {
    return undefined;
  }
  if (location._tag === "Postgres") return location;
  const filename = location.filename;
  if (filename === "" || filename === ":memory:") return undefined;
  return { _tag: "Sqlite", filename: isAbsolute(filename) ? filename : resolve(cwd, filename) };
};

const roleOf = (role: ConfigFileUser["role"]): Role =>
  role === "administrator" ? "Administrator" : "TenantOperator";

const checkUsers = (
  users: ReadonlyArray<ConfigFileUser>,
  file: string,
  issues: ConfigIssue[],
): ConfiguredUser[] => {
  const seen = new Set<string>();
  const result: ConfiguredUser[] = [];
  users.forEach((user, index) => {
    const at = (field: string) => `users[${index}]${field === "" ? "" : `.${field}`} in ${file}`;
    const before = issues.length;
    if (seen.has(user.username)) {
      issues.push({
        setting: at("username"),
        expected: "a user name not used by an earlier entry",
        actual: show(user.username),
      });
    }
    seen.add(user.username);
    if ((user.password === undefined) === (user.passwordHash === undefined)) {
      issues.push({
        setting: at(""),
        expected: 'exactly one of "password" or "passwordHash"',
        actual: user.password === undefined ? "neither" : "both",
      });
    }
    if (user.role === "operator" && user.tenantId === undefined) {
      issues.push({
        setting: at("tenantId"),
        expected: "a tenant id for an operator",
        actual: "nothing",
      });
    }
    if (user.role === "administrator" && user.tenantId !== undefined) {
      issues.push({
        setting: at("tenantId"),
        expected: "no tenant for an administrator (administrators see every tenant)",
        actual: show(user.tenantId),
      });
    }
    if (issues.length > before) return;
    result.push({
      username: user.username,
      role: roleOf(user.role),
      tenantId: user.tenantId ?? null,
      password:
        user.password !== undefined
          ? { _tag: "Plain", password: user.password }
          : { _tag: "Hashed", passwordHash: user.passwordHash ?? "" },
    });
  });
  return result;
};

/**
 * Reads, decodes and validates the configuration. Fails with a `ConfigError` listing every bad
 * setting: which one (environment variable or file key), what it expects, what it was given.
 */
export const loadConfig = (sources: ConfigSources = {}): Effect.Effect<TallyConfig, ConfigError> =>
  Effect.suspend(() => {
    const env = sources.env ?? process.env;
    const cwd = sources.cwd ?? process.cwd();
    const issues: ConfigIssue[] = [];
    let decoded: Decoded = {};

    const pathText = sources.configPath ?? env.TALLY_CONFIG;
    const pathLabel = sources.configPath !== undefined ? "--config" : "TALLY_CONFIG";
    let configFile: string | null = null;
    if (pathText !== undefined && pathText !== "") {
      configFile = resolve(cwd, pathText);
      const read = readFile(configFile, pathLabel);
      if (Result.isFailure(read)) issues.push(read.failure);
      else {
        const result = Schema.decodeUnknownResult(TallyConfigFile)(read.success.input, {
          errors: "all",
          onExcessProperty: "error",
        });
        if (Result.isFailure(result)) {
          issues.push(...fileIssues(read.success.input, result.failure.issue, configFile));
        } else decoded = { ...result.success };
      }
    }

    for (const s of Object.values(settings)) {
      const raw = env[s.env];
      if (raw === undefined || raw === "") continue;
      const result = Schema.decodeUnknownResult(s.schema as Schema.Codec<unknown, unknown>)(
        s.fromEnv(raw),
      );
      if (Result.isFailure(result)) {
        issues.push({ setting: s.env, expected: s.expected, actual: show(raw) });
      } else (decoded as Record<string, unknown>)[s.key] = result.success;
    }

    const storageText = decoded.storage ?? configDefaults.storage;
    const storage = classifyStorage(storageText, cwd);
    if (storage === undefined) {
      issues.push({
        setting: env[settings.storage.env] ? settings.storage.env : `storage in ${configFile}`,
        expected: settings.storage.expected,
        actual: show(storageText),
      });
    }
    const users = checkUsers(decoded.users ?? [], configFile ?? "the configuration", issues);

    if (issues.length > 0 || storage === undefined) {
      return Effect.fail(new ConfigError({ issues }));
    }
    return Effect.succeed<TallyConfig>({
      storage,
      host: decoded.host ?? configDefaults.host,
      port: decoded.port ?? configDefaults.port,
      localZone: decoded.localZone ?? processZone(),
      face1Zone: decoded.face1Zone ?? configDefaults.face1Zone,
      reportRetentionMs: decoded.reportRetention ?? configDefaults.reportRetentionMs,
      workers: decoded.workers ?? configDefaults.workers,
      leaseMs: decoded.lease ?? configDefaults.leaseMs,
      maxAttempts: decoded.maxAttempts ?? configDefaults.maxAttempts,
      shutdownDeadlineMs: decoded.shutdownDeadline ?? configDefaults.shutdownDeadlineMs,
      sweepIntervalMs: decoded.sweepInterval ?? configDefaults.sweepIntervalMs,
      authBackoffMs: decoded.authBackoff ?? configDefaults.authBackoffMs,
      authFreeFailures: decoded.authFreeFailures ?? configDefaults.authFreeFailures,
      logLevel: logLevelOf(decoded.logLevel ?? configDefaults.logLevel),
      users,
      configFile,
    });
  });

const logLevelOf = (level: NonNullable<TallyConfigFile["logLevel"]>) =>
  (
    ({
      trace: "Trace",
      debug: "Debug",
      info: "Info",
      warn: "Warn",
      error: "Error",
      none: "None",
    }) as const
  )[level];
