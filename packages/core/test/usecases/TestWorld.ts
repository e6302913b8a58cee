/**
 * A Tally made of in-memory adapters, a manual clock and sequential ids, for use-case tests:
 * every effect a test runs sees the same stores, and the test moves time itself.
 */
import { Context, Effect, type Layer, Option } from "effect";
import {
  Clock,
  defaultTallySettings,
  IdGenerator,
  InMemoryFacts,
  InMemoryReportStore,
  InMemoryTaskStore,
  ingestProtectionPeriods,
  ingestTenants,
  ingestVms,
  type LicenseOverviewRequest,
  ManualClock,
  type Principal,
  ReportRenderers,
  ReportStore,
  type ReportTask,
  SequentialIdGenerator,
  type SubmitReportInput,
  TallySettings,
  type TallySettingsShape,
  TaskStore,
  type TenantReportRequest,
} from "../../src/index.ts";
import { type LineTextRendererOptions, lineTextRenderers } from "./LineTextRenderer.ts";

/** 2024-01-01T00:00:00Z. */
export const t0 = Date.UTC(2024, 0, 1);
/** One day in milliseconds. */
export const DAY = 86_400_000;
/** One hour in milliseconds. */
export const HOUR = 3_600_000;

/** An administrator. */
export const admin: Principal = { id: "admin", role: "Administrator", tenantId: null };
/** A tenant operator of tenant `acme`. */
export const acmeOperator: Principal = { id: "op-acme", role: "TenantOperator", tenantId: "acme" };
/** A tenant operator of tenant `globex`. */
export const globexOperator: Principal = {
  id: "op-globex",
  role: "TenantOperator",
  tenantId: "globex",
};

/** What a test world is made with. */
export interface TestWorldOptions {
  readonly now?: number;
  readonly settings?: Partial<TallySettingsShape>;
  readonly renderer?: LineTextRendererOptions;
  /** Wraps the in-memory report store, e.g. to make it fail. */
  readonly reportStore?: (inner: ReportStore["Service"]) => ReportStore["Service"];
}

/** The services of a test world. */
export type TestServices =
  | Layer.Success<typeof InMemoryFacts.layer>
  | TaskStore
  | ReportStore
  | ReportRenderers
  | Clock
  | IdGenerator
  | TallySettings;

/** A fresh world: empty stores, the clock at `now` (default 2024-03-01T00:00:00Z). */
export const makeTestWorld = (options: TestWorldOptions = {}) => {
  const clock = ManualClock.make(options.now ?? Date.UTC(2024, 2, 1));
  const context = InMemoryFacts.toContext(InMemoryFacts.make()).pipe(
    Context.add(TaskStore, InMemoryTaskStore.make()),
    Context.add(
      ReportStore,
      (options.reportStore ?? ((inner) => inner))(InMemoryReportStore.make()),
    ),
    Context.add(ReportRenderers, lineTextRenderers(options.renderer)),
    Context.add(Clock, clock.clock),
    Context.add(IdGenerator, SequentialIdGenerator.make()),
    Context.add(TallySettings, { ...defaultTallySettings, ...options.settings }),
  );
  /** Runs an effect in this world; a failure rejects with the error itself. */
  const run = <A, E>(effect: Effect.Effect<A, E, TestServices>): Promise<A> =>
    Effect.runPromise(Effect.provideContext(effect, context));
  /** Runs an effect in this world and returns its failure (or throws if it succeeded). */
  const runFailure = <A, E>(effect: Effect.Effect<A, E, TestServices>): Promise<E> =>
    Effect.runPromise(
      Effect.provideContext(
        Effect.flip(effect).pipe(
          Effect.catchCause((cause) =>
            Effect.die(new Error(`expected a failure, got ${String(cause)}`)),
          ),
        ),
        context,
      ),
    );
  return { clock, context, run, runFailure };
};

/**
 * Two tenants (one with a Cyrillic name), four VMs (one of no tenant) and five periods, two of
 * them overlapping and one ongoing:
 * - acme/vm-1: [t0, t0+2d) and [t0+1d, t0+3d) — merged into [t0, t0+3d);
 * - acme/vm-2: [t0+5d, ongoing);
 * - globex/vm-3: [t0+1d, t0+2d);
 * - (no tenant)/vm-9: [t0+2d, t0+4d).
 */
export const seedProtection = Effect.gen(function* () {
  yield* ingestTenants(admin, [
    { id: "acme", name: "Acme Ltd" },
    { id: "globex", name: "Глобекс" },
  ]);
  yield* ingestVms(admin, [
    { id: "vm-1", name: "web", tenantId: "acme" },
    { id: "vm-2", name: "db", tenantId: "acme" },
    { id: "vm-3", name: "mail", tenantId: "globex" },
    { id: "vm-9", name: "orphan", tenantId: null },
  ]);
  yield* ingestProtectionPeriods(admin, [
    { id: "p1", vmId: "vm-1", start: t0, end: t0 + 2 * DAY },
    { id: "p2", vmId: "vm-1", start: t0 + DAY, end: t0 + 3 * DAY },
    { id: "p3", vmId: "vm-2", start: t0 + 5 * DAY, end: null },
    { id: "p4", vmId: "vm-3", start: t0 + DAY, end: t0 + 2 * DAY },
    { id: "p5", vmId: "vm-9", start: t0 + 2 * DAY, end: t0 + 4 * DAY },
  ]);
});

/** The UTC zone, resolved. */
export const utcZone = { spec: "UTC", resolved: { _tag: "Fixed", offsetMinutes: 0 } } as const;

/** A resolved tenant report request: all tenants, [t0, t0+10d), UTC, a detail CSV. */
export const tenantReportRequest = (
  overrides: Partial<TenantReportRequest> = {},
): TenantReportRequest => ({
  _tag: "TenantReport",
  interval: { start: t0, end: t0 + 10 * DAY },
  zone: utcZone,
  tenant: { _tag: "AllTenants" },
  format: "csv",
  variant: "detail",
  columns: "vendor",
  separator: ";",
  ...overrides,
});

/** A resolved license overview request: all organizations, [t0, t0+10d), UTC, a users CSV. */
export const licenseOverviewRequest = (
  overrides: Partial<LicenseOverviewRequest> = {},
): LicenseOverviewRequest => ({
  _tag: "LicenseOverview",
  interval: { start: t0, end: t0 + 10 * DAY },
  zone: utcZone,
  organizations: { _tag: "AllOrganizations" },
  format: "csv",
  variant: "users",
  separator: ";",
  ...overrides,
});

/** A CSV tenant report of every tenant, in UTC, as submitted (the interval left to defaults). */
export const tenantReport: Extract<SubmitReportInput, { readonly type: "CreateTenantReport" }> = {
  type: "CreateTenantReport",
  zone: { _tag: "Utc" },
  format: "csv",
};

/** A CSV tenant report on `acme`, in UTC, as submitted. */
export const acmeReport: SubmitReportInput = { ...tenantReport, tenantId: "acme" };

/** The task a worker ran; throws when no task was run. */
export const finishedTask = (task: Option.Option<ReportTask>): ReportTask => {
  if (Option.isNone(task)) throw new Error("expected a task to have run");
  return task.value;
};
