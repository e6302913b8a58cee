/**
 * The ProtectionPeriodStore contract suite: what every period store — in-memory, SQLite,
 * PostgreSQL or a user's own — must do, run unchanged against each. Periods are joined with
 * VMs and tenants, so the layer provides the TenantDirectory too (sharing one database).
 *
 * ```ts
 * // sqlite-storage.test.ts — Tally's SQLite storage through this suite; put your own layer
 * // factory in its place. Each test gets a fresh store; the seed makes runs repeatable.
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { SqliteStorage } from "@tally/adapters-storage";
 * import { ProtectionPeriodStoreContract } from "@tally/core/testing";
 *
 * const directory = mkdtempSync(join(tmpdir(), "tally-contract-"));
 * let databases = 0;
 * const freshStore = () =>
 *   SqliteStorage.layer({ filename: join(directory, `${++databases}.sqlite`) });
 *
 * ProtectionPeriodStoreContract.suite("SqliteStorage", freshStore, { numRuns: 50, seed: 20261206 });
 * ```
 *
 * Every test builds a fresh layer (property tests: one per run) and compares the store with a
 * simple model computed from the same facts (`FactModels.ts`).
 */
import { Context, Effect, type Layer, Option, Stream } from "effect";
import * as fc from "fast-check";
import { expect } from "vitest";
import { StorageError } from "../domain/errors.ts";
import type { Instant } from "../domain/Instant.ts";
import type { PeriodRow, ProtectionPeriod } from "../domain/ProtectionPeriod.ts";
import type { ReportingInterval } from "../domain/ReportingInterval.ts";
import type { TenantFilter } from "../domain/Tenant.ts";
import { ProtectionPeriodStore } from "../ports/ProtectionPeriodStore.ts";
import { TenantDirectory } from "../ports/TenantDirectory.ts";
import {
  type ContractCheck,
  type ContractSuiteOptions,
  registerContract,
  standaloneChecks,
} from "./ContractSuite.ts";
import {
  defaultFactsFrom,
  defaultFactsUntil,
  defaultInstantStepMs,
  reportingIntervalArbitrary,
  tenantFilterArbitrary,
} from "./DomainArbitraries.ts";
import { type ProtectionFacts, protectionFactsArbitrary } from "./FactArbitraries.ts";
import { expectedEarliestStart, expectedPeriodRows } from "./FactModels.ts";
import { withFreshContext } from "./withFreshContext.ts";
import { runEffect } from "./withFreshService.ts";

/** Builds a fresh layer with a TenantDirectory and a ProtectionPeriodStore over one database. */
export type MakeProtectionLayer = () => Layer.Layer<
  TenantDirectory | ProtectionPeriodStore,
  unknown
>;

interface Stores {
  readonly directory: TenantDirectory["Service"];
  readonly periods: ProtectionPeriodStore["Service"];
}

type Check = ContractCheck<MakeProtectionLayer>["run"];

const withStores = <A>(makeLayer: MakeProtectionLayer, use: (stores: Stores) => Promise<A>) =>
  withFreshContext(makeLayer, (context) =>
    use({
      directory: Context.get(context, TenantDirectory),
      periods: Context.get(context, ProtectionPeriodStore),
    }),
  );

const HOUR = defaultInstantStepMs;
/** 2024-03-01T00:00:00Z. */
const T0: Instant = defaultFactsFrom;

/** Loads facts the way the use cases do: tenants, then VMs, then periods. */
const load = async (stores: Stores, facts: ProtectionFacts): Promise<void> => {
  await runEffect(stores.directory.upsertTenants(facts.tenants));
  await runEffect(stores.directory.upsertVms(facts.vms));
  await runEffect(stores.periods.upsertPeriods(facts.periods));
};

const streamed = (stores: Stores, interval: ReportingInterval, filter: TenantFilter) =>
  runEffect(Stream.runCollect(stores.periods.streamOverlapping(interval, filter)));

/** Intervals far wider than any facts. */
const everything: ReportingInterval = {
  start: defaultFactsFrom - 365 * 24 * HOUR,
  end: defaultFactsUntil + 365 * 24 * HOUR,
};

/**
 * Intervals for a set of facts: anywhere on the grid, far wider than the facts, or — most
 * often — with bounds at the facts' own starts and ends, where an off-by-one would show.
 */
const intervalFor = (facts: ProtectionFacts): fc.Arbitrary<ReportingInterval> => {
  const bounds = facts.periods.flatMap((p) => (p.end === null ? [p.start] : [p.start, p.end]));
  const onBounds =
    bounds.length === 0
      ? reportingIntervalArbitrary()
      : fc
          .tuple(fc.constantFrom(...bounds), fc.constantFrom(...bounds), fc.nat(48))
          .map(([a, b, extra]) => ({
            start: Math.min(a, b),
            end: Math.max(a, b) + (a === b ? (extra + 1) * HOUR : 0),
          }));
  return fc.oneof(
    { weight: 2, arbitrary: reportingIntervalArbitrary() },
    { weight: 1, arbitrary: fc.constant(everything) },
    { weight: 4, arbitrary: onBounds },
  );
};

/**
 * Facts with a filter — all tenants (most often), one of their tenants, or a tenant they
 * lack — and an interval for them.
 */
const scenario = protectionFactsArbitrary().chain((facts) =>
  fc.record({
    facts: fc.constant(facts),
    filter: fc.oneof(
      { weight: 2, arbitrary: fc.constant<TenantFilter>({ _tag: "AllTenants" }) },
      {
        weight: 3,
        arbitrary: tenantFilterArbitrary({
          tenantIds: [...facts.tenants.map((t) => t.id), "no such tenant"],
        }),
      },
    ),
    interval: intervalFor(facts),
  }),
);

const overlapping: Check = (makeLayer, runs) =>
  fc.assert(
    fc.asyncProperty(scenario, ({ facts, filter, interval }) =>
      withStores(makeLayer, async (stores) => {
        await load(stores, facts);
        const expected = expectedPeriodRows(facts, interval, filter);
        expect(await streamed(stores, interval, filter), "the overlapping rows, in order").toEqual(
          expected,
        );
        expect(
          await runEffect(stores.periods.countOverlapping(interval, filter)),
          "countOverlapping is the stream's length",
        ).toBe(expected.length);
      }),
    ),
    runs,
  );

const boundaries: Check = (makeLayer) =>
  withStores(makeLayer, async (stores) => {
    const interval = { start: T0 + 10 * HOUR, end: T0 + 20 * HOUR };
    const period = (id: string, start: number, end: number | null): ProtectionPeriod => ({
      id,
      vmId: `vm-${id}`,
      start: T0 + start * HOUR,
      end: end === null ? null : T0 + end * HOUR,
    });
    const periods = [
      period("ends-at-start", 5, 10),
      period("ends-after-start", 5, 11),
      period("starts-at-start", 10, 12),
      period("inside", 12, 13),
      period("covers", 0, 30),
      period("starts-before-end", 19, 25),
      period("starts-at-end", 20, 25),
      period("ongoing-before-end", 19, null),
      period("ongoing-at-end", 20, null),
      period("ongoing-long-before", -1000, null),
    ];
    await load(stores, {
      tenants: [{ id: "t", name: "T" }],
      vms: periods.map((p) => ({ id: p.vmId, name: p.id, tenantId: "t" })),
      periods,
    });
    const ids = (await streamed(stores, interval, { _tag: "AllTenants" })).map((row) => row.vmName);
    expect(ids, "start < interval.end and (end null or end > interval.start)").toEqual([
      "covers",
      "ends-after-start",
      "inside",
      "ongoing-before-end",
      "ongoing-long-before",
      "starts-at-start",
      "starts-before-end",
    ]);
  });

const withoutTenant: Check = (makeLayer) =>
  withStores(makeLayer, async (stores) => {
    await load(stores, {
      tenants: [
        { id: "b", name: "Бета" },
        { id: "a", name: "Άλφα" },
      ],
      vms: [
        { id: "vm-free", name: "free", tenantId: null },
        { id: "vm-b", name: "bee", tenantId: "b" },
        { id: "vm-a", name: "ay", tenantId: "a" },
      ],
      periods: [
        { id: "p-free", vmId: "vm-free", start: T0, end: null },
        { id: "p-b", vmId: "vm-b", start: T0, end: T0 + HOUR },
        { id: "p-a", vmId: "vm-a", start: T0 + HOUR, end: T0 + 2 * HOUR },
      ],
    });
    const interval = { start: T0, end: T0 + 24 * HOUR };
    expect(await streamed(stores, interval, { _tag: "AllTenants" })).toEqual([
      {
        tenantId: "a",
        tenantName: "Άλφα",
        vmId: "vm-a",
        vmName: "ay",
        start: T0 + HOUR,
        end: T0 + 2 * HOUR,
      },
      { tenantId: "b", tenantName: "Бета", vmId: "vm-b", vmName: "bee", start: T0, end: T0 + HOUR },
      { tenantId: null, tenantName: null, vmId: "vm-free", vmName: "free", start: T0, end: null },
    ] satisfies Array<PeriodRow>);
    const ofA = await streamed(stores, interval, { _tag: "OneTenant", tenantId: "a" });
    expect(
      ofA.map((row) => row.vmId),
      "one tenant: no VMs of no tenant",
    ).toEqual(["vm-a"]);
    expect(
      await runEffect(stores.periods.earliestStart({ _tag: "OneTenant", tenantId: "a" })),
    ).toEqual(Option.some(T0 + HOUR));
  });

const codePointOrder: Check = (makeLayer) =>
  withStores(makeLayer, async (stores) => {
    // By UTF-16 code unit "😀" (D83D) sorts before "\uFF5A"; by code point it comes after.
    const tenantIds = ["😀", "\uFF5A", "z", "Z", "é"];
    await load(stores, {
      tenants: tenantIds.map((id) => ({ id, name: `tenant ${id}` })),
      vms: [
        ...tenantIds.map((id) => ({ id: `vm ${id}`, name: `ВМ ${id}`, tenantId: id })),
        { id: "vm 😀 2", name: "second", tenantId: "😀" },
        { id: "vm \uFF5A 😀", name: "astral", tenantId: "😀" },
      ],
      periods: [
        ...tenantIds.map((id) => ({ id: `p ${id}`, vmId: `vm ${id}`, start: T0, end: null })),
        { id: "p2", vmId: "vm 😀 2", start: T0, end: T0 + HOUR },
        { id: "p3", vmId: "vm \uFF5A 😀", start: T0, end: T0 + HOUR },
      ],
    });
    const rows = await streamed(stores, { start: T0, end: T0 + HOUR }, { _tag: "AllTenants" });
    expect(rows.map((row) => `${row.tenantId}/${row.vmId}`)).toEqual([
      "Z/vm Z",
      "z/vm z",
      "é/vm é",
      "\uFF5A/vm \uFF5A",
      "😀/vm \uFF5A 😀",
      "😀/vm 😀",
      "😀/vm 😀 2",
    ]);
  });

const upserts: Check = (makeLayer, runs) =>
  fc.assert(
    fc.asyncProperty(protectionFactsArbitrary(), (facts) =>
      withStores(makeLayer, async (stores) => {
        const all: TenantFilter = { _tag: "AllTenants" };
        await load(stores, facts);
        const once = await streamed(stores, everything, all);
        await load(stores, facts);
        expect(
          await streamed(stores, everything, all),
          "sending the facts again changes nothing",
        ).toEqual(once);
        const ongoing = facts.periods.find((p) => p.end === null);
        if (ongoing === undefined) return;
        // An ongoing period is closed by sending it again, with an end.
        const closed = { ...ongoing, end: ongoing.start + HOUR };
        await runEffect(stores.periods.upsertPeriods([closed]));
        const changed = { ...facts, periods: [...facts.periods, closed] };
        expect(await streamed(stores, everything, all), "a period replaced by id").toEqual(
          expectedPeriodRows(changed, everything, all),
        );
      }),
    ),
    runs,
  );

const unknownVm: Check = (makeLayer) =>
  withStores(makeLayer, async (stores) => {
    await load(stores, {
      tenants: [{ id: "t", name: "T" }],
      vms: [{ id: "vm-1", name: "one", tenantId: "t" }],
      periods: [{ id: "kept", vmId: "vm-1", start: T0, end: T0 + HOUR }],
    });
    const batch: Array<ProtectionPeriod> = [
      { id: "new", vmId: "vm-1", start: T0 + HOUR, end: null },
      { id: "kept", vmId: "vm-1", start: T0, end: T0 + 5 * HOUR },
      { id: "orphan", vmId: "vm-unknown", start: T0, end: null },
    ];
    const error = await runEffect(Effect.flip(stores.periods.upsertPeriods(batch)));
    expect(error, "a StorageError").toBeInstanceOf(StorageError);
    expect((error as StorageError).reason).toBe("ConstraintViolation");
    expect(
      await streamed(stores, { start: T0 - HOUR, end: T0 + 24 * HOUR }, { _tag: "AllTenants" }),
      "nothing of the refused batch was written",
    ).toEqual([
      { tenantId: "t", tenantName: "T", vmId: "vm-1", vmName: "one", start: T0, end: T0 + HOUR },
    ]);
  });

const earliest: Check = (makeLayer, runs) =>
  fc.assert(
    fc.asyncProperty(scenario, ({ facts, filter }) =>
      withStores(makeLayer, async (stores) => {
        expect(
          await runEffect(stores.periods.earliestStart(filter)),
          "an empty store has no earliest start",
        ).toEqual(Option.none());
        await load(stores, facts);
        expect(await runEffect(stores.periods.earliestStart(filter))).toEqual(
          Option.fromUndefinedOr(expectedEarliestStart(facts, filter)),
        );
      }),
    ),
    runs,
  );

const manyRows: Check = (makeLayer) =>
  withStores(makeLayer, async (stores) => {
    const tenants = Array.from({ length: 5 }, (_, i) => ({
      id: `tenant-${i}`,
      name: `Tenant ${i}`,
    }));
    const vms = Array.from({ length: 500 }, (_, i) => ({
      id: `vm-${String(i).padStart(3, "0")}`,
      name: `VM ${i}`,
      tenantId: i % 6 === 5 ? null : `tenant-${i % 6}`,
    }));
    const periods = Array.from({ length: 12_000 }, (_, i) => ({
      id: `period-${i}`,
      vmId: (vms[(i * 7) % vms.length] as { id: string }).id,
      start: T0 + ((i * 13) % 1000) * HOUR,
      end: i % 10 === 0 ? null : T0 + (((i * 13) % 1000) + 1 + (i % 48)) * HOUR,
    }));
    const facts = { tenants, vms, periods };
    await runEffect(stores.directory.upsertTenants(tenants));
    await runEffect(stores.directory.upsertVms(vms));
    for (let i = 0; i < periods.length; i += 2_000) {
      await runEffect(stores.periods.upsertPeriods(periods.slice(i, i + 2_000)));
    }
    const interval = { start: T0 + 100 * HOUR, end: T0 + 900 * HOUR };
    const all: TenantFilter = { _tag: "AllTenants" };
    const expected = expectedPeriodRows(facts, interval, all);
    expect(expected.length, "the test spans many chunks").toBeGreaterThan(9_000);
    expect(await streamed(stores, interval, all), "every row once, in order").toEqual(expected);
    expect(await runEffect(stores.periods.countOverlapping(interval, all))).toBe(expected.length);
  });

const definitions = {
  overlapping: {
    title:
      "streamOverlapping yields exactly the overlapping periods of the filter, joined and in order; countOverlapping agrees",
    run: overlapping,
  },
  boundaries: {
    title:
      "a period overlaps when it starts before the interval's end and ends after its start (or has not ended)",
    run: boundaries,
  },
  withoutTenant: {
    title: "VMs of no tenant are included, last, only when all tenants are asked for",
    run: withoutTenant,
  },
  codePointOrder: {
    title: "tenant and VM ids are ordered by Unicode code point, not by UTF-16 code unit",
    run: codePointOrder,
  },
  upserts: {
    title:
      "upserts replace by id: sending facts again changes nothing, and an ongoing period can be closed",
    run: upserts,
  },
  unknownVm: {
    title:
      "a batch with a period of an unknown VM fails with ConstraintViolation and writes nothing",
    run: unknownVm,
  },
  earliest: {
    title: "earliestStart is the earliest start of the filter's periods, none for no periods",
    run: earliest,
  },
  manyRows: {
    title: "streams twelve thousand periods completely and in order",
    run: manyRows,
  },
} as const satisfies Record<string, ContractCheck<MakeProtectionLayer>>;

/** The name of a check of the ProtectionPeriodStore contract. */
export type ProtectionPeriodStoreCheckName = keyof typeof definitions;

/** Registers the contract as a vitest `describe` block named `name`, one test per check. */
export const suite = (
  name: string,
  makeLayer: MakeProtectionLayer,
  options?: ContractSuiteOptions,
): void => registerContract(name, definitions, makeLayer, options);

/** Each check on its own, reporting pass or fail rather than throwing. */
export const checks = standaloneChecks(definitions);
