/**
 * A running Tally for tests: in-memory core adapters, the real renderers, the HTTP layer on an
 * ephemeral loopback port, and a worker fiber running the core's `runNextTask` loop — so
 * tests go over real HTTP against the real use cases. Seeds three accounts (an administrator,
 * an operator of tenant A, an operator of tenant B) and a small data set.
 */
import { ScryptPasswordHasher, type StoragePorts } from "@tally/adapters-storage";
import {
  AccountStore,
  defaultTallySettings,
  InMemory,
  ingestLicenseEvents,
  ingestOrganizations,
  ingestProtectionPeriods,
  ingestTenants,
  ingestUsers,
  ingestVms,
  PasswordHasher,
  type Principal,
  type ReportRenderers,
  runNextTask,
  SequentialIdGenerator,
  SystemClock,
  TallySettings,
  type TallySettingsShape,
} from "@tally/core";
import { ReportRenderersLive } from "@tally/renderers";
import { type Context, Effect, Exit, Layer, Option, Scope } from "effect";
import { type CoreServices, type HttpOptions, serveOnLoopback } from "../../src/index.ts";

/** A running Tally. */
export interface TallyFixture {
  readonly baseUrl: string;
  /** Runs an effect against the same core services the server uses. */
  readonly run: <A, E>(effect: Effect.Effect<A, E, CoreServices>) => Promise<A>;
  /** `fetch` relative to the server. */
  readonly fetch: (path: string, init?: RequestInit) => Promise<Response>;
  readonly close: () => Promise<void>;
}

/** The seeded users and their passwords. */
export const users = {
  admin: { username: "admin", password: "admin-secret" },
  operatorA: { username: "opA", password: "a-secret" },
  operatorB: { username: "opB", password: "b-secret" },
} as const;

/** Basic credentials for a seeded user. */
export const basic = (user: { username: string; password: string }): string =>
  `Basic ${Buffer.from(`${user.username}:${user.password}`).toString("base64")}`;

const administrator: Principal = { id: "seed", role: "Administrator", tenantId: null };

const t = (iso: string): number => Date.parse(iso);

/** The seeded facts: tenants A and B, their VMs and periods, organizations, users, events. */
export const seedFacts = Effect.gen(function* () {
  yield* ingestTenants(administrator, [
    { id: "A", name: "Acme & Söhne" },
    { id: "B", name: "=Bravo Ltd" },
  ]);
  yield* ingestVms(administrator, [
    { id: "vm-a1", name: "alpha-1", tenantId: "A" },
    { id: "vm-a2", name: "alpha-2", tenantId: "A" },
    { id: "vm-b1", name: "bravo-1", tenantId: "B" },
  ]);
  yield* ingestProtectionPeriods(administrator, [
    { id: "p1", vmId: "vm-a1", start: t("2024-03-01T00:00:00Z"), end: t("2024-03-10T12:00:00Z") },
    { id: "p2", vmId: "vm-a1", start: t("2024-03-05T00:00:00Z"), end: t("2024-03-15T00:00:00Z") },
    { id: "p3", vmId: "vm-a2", start: t("2024-03-30T23:00:00Z"), end: t("2024-03-31T03:00:00Z") },
    { id: "p4", vmId: "vm-b1", start: t("2024-03-02T00:00:00Z"), end: t("2024-03-03T00:00:00Z") },
  ]);
  yield* ingestOrganizations(administrator, [
    { id: "org-a", name: "Acme Org", capacity: 10, tenantId: "A" },
    { id: "org-b", name: "Bravo Org", capacity: 5, tenantId: "B" },
  ]);
  yield* ingestUsers(administrator, [
    { id: "u-a1", name: "anna@acme.test", organizationId: "org-a" },
    { id: "u-b1", name: "bob@bravo.test", organizationId: "org-b" },
  ]);
  yield* ingestLicenseEvents(administrator, [
    { id: "e1", userId: "u-a1", kind: "assigned", at: t("2022-01-01T00:00:00Z") },
    { id: "e2", userId: "u-b1", kind: "assigned", at: t("2022-02-10T00:00:00Z") },
  ]);
});

/**
 * The seeded users' password hashes, computed once per test file: each hash is a deliberately
 * slow scrypt, and a fresh fixture per test would otherwise pay three of them.
 */
let seededHashes: Promise<ReadonlyArray<string>> | undefined;

const seedAccounts = Effect.gen(function* () {
  const accounts = yield* AccountStore;
  const hasher = yield* PasswordHasher;
  seededHashes ??= Effect.runPromise(
    Effect.all(
      [users.admin, users.operatorA, users.operatorB].map((u) => hasher.hash(u.password)),
      { concurrency: "unbounded" },
    ),
  );
  const hashes = yield* Effect.promise(() => seededHashes as Promise<ReadonlyArray<string>>);
  yield* accounts.upsertAccount({
    username: users.admin.username,
    passwordHash: hashes[0] as string,
    role: "Administrator",
    tenantId: null,
  });
  yield* accounts.upsertAccount({
    username: users.operatorA.username,
    passwordHash: hashes[1] as string,
    role: "TenantOperator",
    tenantId: "A",
  });
  yield* accounts.upsertAccount({
    username: users.operatorB.username,
    passwordHash: hashes[2] as string,
    role: "TenantOperator",
    tenantId: "B",
  });
});

/** A worker that keeps claiming tasks; idles 10 ms when none is queued. */
const workerLoop = Effect.forever(
  runNextTask("test-worker").pipe(
    Effect.flatMap((ran) => (Option.isNone(ran) ? Effect.sleep(10) : Effect.void)),
    Effect.catch((error) =>
      Effect.andThen(Effect.logWarning(`worker: ${error.message}`), Effect.sleep(10)),
    ),
  ),
);

/** Options of a fixture. */
export interface FixtureOptions {
  readonly http?: Partial<HttpOptions>;
  readonly settings?: Partial<TallySettingsShape>;
  /** Start the worker (default true). */
  readonly worker?: boolean;
  /** Seed the facts (default true). */
  readonly seed?: boolean;
  /** Renderers to use instead of the real ones. */
  readonly renderers?: Layer.Layer<ReportRenderers>;
  /** The stores to use instead of fresh in-memory ones (e.g. SQLite or PostgreSQL storage). */
  readonly storage?: Layer.Layer<StoragePorts, unknown>;
}

/** Starts a Tally. */
export const startTally = async (options: FixtureOptions = {}): Promise<TallyFixture> => {
  const scope = Effect.runSync(Scope.make());
  const layer = Layer.mergeAll(
    options.storage ?? InMemory.stores,
    SystemClock.layer,
    SequentialIdGenerator.layer,
    ScryptPasswordHasher.layer,
    options.renderers ?? ReportRenderersLive,
    Layer.succeed(TallySettings, { ...defaultTallySettings, ...options.settings }),
  );
  const context = await Effect.runPromise(Layer.buildWithScope(layer, scope));
  const run = <A, E>(effect: Effect.Effect<A, E, CoreServices>): Promise<A> =>
    Effect.runPromise(Effect.provideContext(effect, context as Context.Context<CoreServices>));
  await run(seedAccounts);
  if (options.seed !== false) await run(seedFacts);
  const server = await run(Scope.provide(serveOnLoopback(options.http), scope));
  if (options.worker !== false) await run(Effect.forkIn(workerLoop, scope));
  return {
    baseUrl: server.baseUrl,
    run,
    fetch: (path, init) => fetch(`${server.baseUrl}${path}`, init),
    close: () => Effect.runPromise(Scope.close(scope, Exit.void)),
  };
};
