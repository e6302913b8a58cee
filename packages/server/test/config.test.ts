/**
 * Configuration: defaults, the environment over the file, and a precise message for every bad
 * setting (which one, what it expects, what it was given).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Effect, Exit } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config/ConfigError.ts";
import { parseDurationMs } from "../src/config/DurationText.ts";
import { type ConfigSources, loadConfig } from "../src/config/loadConfig.ts";
import type { TallyConfig } from "../src/config/TallyConfig.ts";

const cwd = mkdtempSync(join(tmpdir(), "tally-config-"));

const load = (sources: ConfigSources): Exit.Exit<TallyConfig, ConfigError> =>
  Effect.runSyncExit(loadConfig({ cwd, env: {}, ...sources }));

const ok = (sources: ConfigSources): TallyConfig => {
  const exit = load(sources);
  if (Exit.isFailure(exit))
    throw new Error(`expected a valid configuration: ${String(exit.cause)}`);
  return exit.value;
};

const issuesOf = (sources: ConfigSources) => {
  const exit = load(sources);
  if (Exit.isSuccess(exit)) throw new Error("expected the configuration to be rejected");
  const error = exit.cause.reasons.find((r) => r._tag === "Fail")?.error;
  if (!(error instanceof ConfigError))
    throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
};

const writeConfig = (content: unknown): string => {
  const path = join(mkdtempSync(join(cwd, "file-")), "tally.json");
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
};

describe("configuration defaults", () => {
  it("uses a SQLite file under ./.tally, 127.0.0.1:8080, UTC for face 1 and 24 h retention", () => {
    const config = ok({});
    expect(config.storage).toEqual({
      _tag: "Sqlite",
      filename: join(cwd, ".tally", "tally.sqlite"),
    });
    expect(config.host).toBe("127.0.0.1");
    expect(config.port).toBe(8080);
    expect(config.face1Zone).toBe("UTC");
    expect(config.reportRetentionMs).toBe(24 * 3_600_000);
    expect(config.workers).toBe(2);
    expect(config.leaseMs).toBe(30_000);
    expect(config.maxAttempts).toBe(3);
    expect(config.shutdownDeadlineMs).toBe(20_000);
    expect(config.users).toEqual([]);
    expect(config.configFile).toBeNull();
  });

  it("takes the Local zone from the process when none is configured", () => {
    expect(ok({}).localZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});

describe("configuration from the environment and a file", () => {
  it("reads every setting from the environment", () => {
    const config = ok({
      env: {
        TALLY_STORAGE: "postgres://tally@db.internal:5432/tally",
        TALLY_HOST: "0.0.0.0",
        TALLY_PORT: "9090",
        TALLY_LOCAL_ZONE: "Europe/Berlin",
        TALLY_FACE1_ZONE: "UTC+05:30",
        TALLY_REPORT_RETENTION: "7d",
        TALLY_WORKERS: "0",
        TALLY_LEASE: "45s",
        TALLY_MAX_ATTEMPTS: "5",
        TALLY_SHUTDOWN_DEADLINE: "1500ms",
        TALLY_SWEEP_INTERVAL: "2s",
        TALLY_AUTH_BACKOFF: "2s",
        TALLY_AUTH_FREE_FAILURES: "10",
        TALLY_LOG_LEVEL: "DEBUG",
      },
    });
    expect(config).toMatchObject({
      storage: { _tag: "Postgres", connectionString: "postgres://tally@db.internal:5432/tally" },
      host: "0.0.0.0",
      port: 9090,
      localZone: "Europe/Berlin",
      face1Zone: "UTC+05:30",
      reportRetentionMs: 7 * 86_400_000,
      workers: 0,
      leaseMs: 45_000,
      maxAttempts: 5,
      shutdownDeadlineMs: 1_500,
      sweepIntervalMs: 2_000,
      authBackoffMs: 2_000,
      authFreeFailures: 10,
      logLevel: "Debug",
    });
  });

  it("reads a PostgreSQL schema and a sqlite: prefix as the storage adapter does", () => {
    expect(ok({ env: { TALLY_STORAGE: "postgresql://u@h/db?schema=tally" } }).storage).toEqual({
      _tag: "Postgres",
      connectionString: "postgresql://u@h/db",
      schema: "tally",
    });
    expect(ok({ env: { TALLY_STORAGE: "sqlite:data/x.sqlite" } }).storage).toEqual({
      _tag: "Sqlite",
      filename: join(cwd, "data", "x.sqlite"),
    });
  });

  it("reads the file named by TALLY_CONFIG, and the environment wins over it", () => {
    const path = writeConfig({ port: 7000, host: "::1", storage: "data/facts.sqlite" });
    const config = ok({ env: { TALLY_CONFIG: path, TALLY_PORT: "7001" } });
    expect(config.port).toBe(7001);
    expect(config.host).toBe("::1");
    expect(config.storage).toEqual({ _tag: "Sqlite", filename: join(cwd, "data", "facts.sqlite") });
    expect(config.configFile).toBe(path);
  });

  it("prefers --config over TALLY_CONFIG", () => {
    const fromFlag = writeConfig({ port: 1111 });
    const fromEnv = writeConfig({ port: 2222 });
    expect(ok({ configPath: fromFlag, env: { TALLY_CONFIG: fromEnv } }).port).toBe(1111);
  });

  it("reads users with a password or a hash, mapping roles onto the core's", () => {
    const path = writeConfig({
      users: [
        { username: "root", password: "s3cret", role: "administrator" },
        {
          username: "ops",
          passwordHash: "scrypt$16384$8$1$c2FsdA$aGFzaA",
          role: "operator",
          tenantId: "acme",
        },
      ],
    });
    expect(ok({ configPath: path }).users).toEqual([
      {
        username: "root",
        role: "Administrator",
        tenantId: null,
        password: { _tag: "Plain", password: "s3cret" },
      },
      {
        username: "ops",
        role: "TenantOperator",
        tenantId: "acme",
        password: { _tag: "Hashed", passwordHash: "scrypt$16384$8$1$c2FsdA$aGFzaA" },
      },
    ]);
  });
});

describe("a bad setting stops start-up with a message naming it", () => {
  const badEnv: ReadonlyArray<readonly [string, string, string]> = [
    ["TALLY_PORT", "eighty", "a TCP port"],
    ["TALLY_PORT", "70000", "a TCP port"],
    ["TALLY_PORT", "80.5", "a TCP port"],
    ["TALLY_LOCAL_ZONE", "Mars/Olympus_Mons", "an IANA time zone name"],
    ["TALLY_FACE1_ZONE", "GMT+1", "UTC+HH:MM"],
    ["TALLY_FACE1_ZONE", "UTC+25:00", "UTC+HH:MM"],
    ["TALLY_REPORT_RETENTION", "24", "a positive duration"],
    ["TALLY_REPORT_RETENTION", "0h", "a positive duration"],
    ["TALLY_WORKERS", "-1", "an integer from 0 to 64"],
    ["TALLY_WORKERS", "lots", "an integer from 0 to 64"],
    ["TALLY_LEASE", "thirty seconds", "a positive duration"],
    ["TALLY_MAX_ATTEMPTS", "0", "an integer from 1 to 100"],
    ["TALLY_SHUTDOWN_DEADLINE", "-5s", "a positive duration"],
    ["TALLY_SWEEP_INTERVAL", "5 s", "a positive duration"],
    ["TALLY_AUTH_BACKOFF", "0s", "the first back-off after failed logins"],
    ["TALLY_AUTH_BACKOFF", "1 minute", "a positive duration"],
    ["TALLY_AUTH_FREE_FAILURES", "0", "an integer from 1 to 1000000000"],
    ["TALLY_LOG_LEVEL", "loud", "one of trace, debug, info, warn, error, none"],
    ["TALLY_STORAGE", "mysql://db/tally", "a SQLite file path"],
    ["TALLY_STORAGE", ":memory:", "a SQLite file path"],
  ];

  for (const [variable, value, expected] of badEnv) {
    it(`rejects ${variable}=${value}`, () => {
      const error = issuesOf({ env: { [variable]: value } });
      expect(error.issues).toEqual([
        {
          setting: variable,
          expected: expect.stringContaining(expected),
          actual: JSON.stringify(value),
        },
      ]);
      expect(error.message).toContain(`${variable}: expected`);
      expect(error.message).toContain(`got ${JSON.stringify(value)}`);
    });
  }

  it("reports every bad setting at once", () => {
    const error = issuesOf({ env: { TALLY_PORT: "x", TALLY_WORKERS: "y", TALLY_LEASE: "z" } });
    expect(error.issues.map((i) => i.setting)).toEqual([
      "TALLY_PORT",
      "TALLY_WORKERS",
      "TALLY_LEASE",
    ]);
  });

  it("names a bad key of the file with the file's path", () => {
    const path = writeConfig({ port: "8080", reportRetention: 86400 });
    const error = issuesOf({ configPath: path });
    expect(error.issues).toEqual([
      {
        setting: `port in ${path}`,
        expected: expect.stringContaining("a TCP port"),
        actual: '"8080"',
      },
      {
        setting: `reportRetention in ${path}`,
        expected: expect.stringContaining("a positive duration"),
        actual: "86400",
      },
    ]);
  });

  it("rejects an unknown key of the file, naming it", () => {
    const path = writeConfig({ prot: 8080 });
    const [issue] = issuesOf({ configPath: path }).issues;
    expect(issue?.setting).toBe(`prot in ${path}`);
    expect(issue?.actual).toBe('an unknown setting "prot"');
    expect(issue?.expected).toContain("storage, host, port");
  });

  it("names a bad field of a user entry and never echoes a password", () => {
    const path = writeConfig({
      users: [
        { username: "a", password: "x", role: "boss" },
        { username: "b", password: 12345, role: "administrator" },
      ],
    });
    const error = issuesOf({ configPath: path });
    expect(error.issues).toEqual([
      {
        setting: `users[0].role in ${path}`,
        expected: "administrator or operator",
        actual: '"boss"',
      },
      {
        setting: `users[1].password in ${path}`,
        expected: expect.any(String),
        actual: "(a hidden value)",
      },
    ]);
    expect(error.message).not.toContain("12345");
  });

  it("requires exactly one of password and passwordHash, a tenant for operators and none for administrators", () => {
    const path = writeConfig({
      users: [
        { username: "a", role: "administrator" },
        { username: "b", password: "p", passwordHash: "h", role: "administrator" },
        { username: "c", password: "p", role: "operator" },
        { username: "d", password: "p", role: "administrator", tenantId: "acme" },
        { username: "d", password: "p", role: "administrator" },
      ],
    });
    const error = issuesOf({ configPath: path });
    expect(error.issues.map((i) => [i.setting.replace(` in ${path}`, ""), i.actual])).toEqual([
      ["users[0]", "neither"],
      ["users[1]", "both"],
      ["users[2].tenantId", "nothing"],
      ["users[3].tenantId", '"acme"'],
      ["users[4].username", '"d"'],
    ]);
  });

  it("names a missing or malformed configuration file", () => {
    const missing = join(cwd, "nope.json");
    expect(issuesOf({ configPath: missing }).issues).toEqual([
      {
        setting: "--config",
        expected: "a readable JSON configuration file",
        actual: `"${missing}" (no such file)`,
      },
    ]);
    const broken = writeConfig("{ port: 1 ");
    const [issue] = issuesOf({ env: { TALLY_CONFIG: broken } }).issues;
    expect(issue?.setting).toBe("TALLY_CONFIG");
    expect(issue?.actual).toContain("invalid JSON");
  });

  it("rejects every port outside 0-65535 and accepts every one inside", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (port) => {
        const exit = load({ env: { TALLY_PORT: String(port) } });
        if (port >= 0 && port <= 65_535) return Exit.isSuccess(exit) && exit.value.port === port;
        return Exit.isFailure(exit);
      }),
      { numRuns: 200 },
    );
  });
});

describe("durations", () => {
  it("reads a whole number and a unit, and nothing else", () => {
    const units = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999 }),
        fc.constantFrom(...(Object.keys(units) as Array<keyof typeof units>)),
        (n, unit) => parseDurationMs(`${n}${unit}`) === n * units[unit],
      ),
      { numRuns: 200 },
    );
    for (const bad of ["", "10", "1.5h", "h", "10 h", "10H", "-1s", "1e3ms"]) {
      expect(parseDurationMs(bad)).toBeUndefined();
    }
  });
});
