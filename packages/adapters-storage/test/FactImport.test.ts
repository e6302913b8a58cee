/**
 * The bulk import against the ports it stands in for, on both backends: generated facts
 * written through FactImport (in batches cut anywhere) leave the store exactly as the ports'
 * `upsert…` methods leave another fresh store — first a consistent set, then a second round
 * that renames, moves VMs to other tenants and users to other organizations, moves periods
 * and events to other VMs and users, and repeats ids within one import (the last one wins).
 * Importing the same facts again changes nothing. A fact naming a missing tenant, VM,
 * organization or user fails the import with the first such fact's place, and a failed import
 * — a missing reference, or its source failing half-way — writes nothing at all.
 */
import {
  type LicensedUser,
  type LicenseEvent,
  LicenseStore,
  type Organization,
  type ProtectionPeriod,
  ProtectionPeriodStore,
  type Tenant,
  TenantDirectory,
  type Vm,
} from "@tally/core";
import {
  type LicenseFacts,
  licenseFactsArbitrary,
  type ProtectionFacts,
  protectionFactsArbitrary,
  withFreshContext,
} from "@tally/core/testing";
import { Context, Effect, Stream } from "effect";
import * as fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  type FactBatch,
  FactImport,
  type FactKind,
  type FactOf,
  type StorageServices,
  UnknownReferenceError,
} from "../src/index.ts";
import { backends } from "./support/Backends.ts";
import { awaitSchemaDrops, requirePostgres } from "./support/TestPostgres.ts";

await requirePostgres();
afterAll(awaitSchemaDrops);

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const everything = { start: 0, end: Date.UTC(2100, 0, 1) };

/** Everything a store holds that the facts decide, as the ports read it back. */
const snapshot = (context: Context.Context<StorageServices>) =>
  run(
    Effect.gen(function* () {
      const directory = Context.get(context, TenantDirectory);
      const periods = Context.get(context, ProtectionPeriodStore);
      const licenses = Context.get(context, LicenseStore);
      return {
        tenants: yield* directory.listTenants({ limit: 1000 }),
        vms: yield* directory.listVms({ limit: 1000 }),
        periods: yield* Stream.runCollect(
          periods.streamOverlapping(everything, { _tag: "AllTenants" }),
        ),
        organizations: yield* licenses.listOrganizations(
          { _tag: "AllOrganizations" },
          { limit: 1000 },
        ),
        users: yield* licenses.listUsers({ limit: 1000 }),
        events: yield* Stream.runCollect(
          licenses.streamEvents({ _tag: "AllOrganizations" }, everything.end),
        ),
      };
    }),
  );

/** The facts of one round, in the order they must be loaded. */
interface Round {
  readonly tenants: ReadonlyArray<Tenant>;
  readonly vms: ReadonlyArray<Vm>;
  readonly periods: ReadonlyArray<ProtectionPeriod>;
  readonly organizations: ReadonlyArray<Organization>;
  readonly users: ReadonlyArray<LicensedUser>;
  readonly events: ReadonlyArray<LicenseEvent>;
}

/** Writes a round through the ports, one call per kind. */
const throughPorts = (context: Context.Context<StorageServices>, round: Round) =>
  run(
    Effect.gen(function* () {
      const directory = Context.get(context, TenantDirectory);
      const licenses = Context.get(context, LicenseStore);
      yield* directory.upsertTenants(round.tenants);
      yield* directory.upsertVms(round.vms);
      yield* Context.get(context, ProtectionPeriodStore).upsertPeriods(round.periods);
      yield* licenses.upsertOrganizations(round.organizations);
      yield* licenses.upsertUsers(round.users);
      yield* licenses.upsertEvents(round.events);
    }),
  );

/** The facts as batches cut after the given lengths; places count from `firstPlace`. */
const batches = <A>(
  facts: ReadonlyArray<A>,
  cuts: ReadonlyArray<number>,
  firstPlace = 1,
): Stream.Stream<FactBatch<A>> => {
  const out: Array<FactBatch<A>> = [];
  let at = 0;
  for (const cut of [...cuts, facts.length]) {
    const end = Math.min(facts.length, at + Math.max(1, cut));
    if (end <= at) continue;
    out.push({
      facts: facts.slice(at, end),
      places: facts.slice(at, end).map((_, i) => firstPlace + at + i),
    });
    at = end;
  }
  if (at < facts.length) {
    out.push({
      facts: facts.slice(at),
      places: facts.slice(at).map((_, i) => firstPlace + at + i),
    });
  }
  return Stream.fromIterable(out);
};

const importKind = <K extends FactKind>(
  context: Context.Context<StorageServices>,
  kind: K,
  facts: ReadonlyArray<FactOf[K]>,
  cuts: ReadonlyArray<number>,
) => Context.get(context, FactImport).importFacts(kind, batches(facts, cuts));

/** Writes a round through the bulk import, one import per kind. */
const throughImport = (
  context: Context.Context<StorageServices>,
  round: Round,
  cuts: ReadonlyArray<number>,
) =>
  run(
    Effect.gen(function* () {
      yield* importKind(context, "tenants", round.tenants, cuts);
      yield* importKind(context, "vms", round.vms, cuts);
      yield* importKind(context, "protection-periods", round.periods, cuts);
      yield* importKind(context, "organizations", round.organizations, cuts);
      yield* importKind(context, "users", round.users, cuts);
      yield* importKind(context, "license-events", round.events, cuts);
    }),
  );

/** A first round: consistent protection and license facts (organizations of the tenants). */
const firstRound = protectionFactsArbitrary({ maxVms: 10, maxPeriods: 30 }).chain(
  (protection: ProtectionFacts) =>
    licenseFactsArbitrary({ tenantIds: protection.tenants.map((t) => t.id) }).map(
      (licenses: LicenseFacts): Round => ({ ...protection, ...licenses }),
    ),
);

/** Picks an element by a drawn number (undefined from an empty list). */
const pick = <A>(items: ReadonlyArray<A>, n: number): A | undefined =>
  items.length === 0 ? undefined : items[n % items.length];

/**
 * A second round over the first one's ids: renamed, moved, re-dated facts, and for each kind a
 * fact repeated at the end of its import with other values (which must win). About half of the
 * periods and events are left out, so that those of a VM or user that moves must follow it.
 */
const secondRound = (first: Round) =>
  fc
    .record({
      moves: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
      shift: fc.integer({ min: -48, max: 48 }),
    })
    .map(({ moves, shift }): Round => {
      const m = (i: number) => moves[i % moves.length] as number;
      const hour = 3_600_000;
      const tenants = first.tenants.map((t, i) => ({ ...t, name: `${t.name} (${m(i)})` }));
      const vms = first.vms.map((vm, i) => ({
        ...vm,
        tenantId: m(i) % 3 === 0 ? null : (pick(first.tenants, m(i + 1))?.id ?? null),
      }));
      const periods = first.periods.flatMap((p, i) => {
        if (m(i + 4) % 2 === 0) return [];
        const start = p.start + shift * hour;
        return [
          {
            ...p,
            vmId: pick(first.vms, m(i))?.id ?? p.vmId,
            start,
            end: m(i + 2) % 4 === 0 ? null : start + (1 + (m(i + 3) % 50)) * hour,
          },
        ];
      });
      const users = first.users.map((u, i) => ({
        ...u,
        organizationId: pick(first.organizations, m(i))?.id ?? u.organizationId,
      }));
      const events = first.events.flatMap((e, i) =>
        m(i + 4) % 2 === 0
          ? []
          : [
              {
                ...e,
                userId: pick(first.users, m(i))?.id ?? e.userId,
                kind: m(i + 1) % 2 === 0 ? ("assigned" as const) : ("revoked" as const),
                at: e.at + shift * hour,
              },
            ],
      );
      /** The list with its fact `n` repeated at the end, changed by `change`. */
      const repeated = <A>(list: ReadonlyArray<A>, n: number, change: (a: A) => A) => {
        const fact = pick(list, n);
        return fact === undefined ? list : [...list, change(fact)];
      };
      return {
        tenants: repeated(tenants, m(5), (t) => ({ ...t, name: `${t.name}, again` })),
        vms: repeated(vms, m(6), (vm) => ({ ...vm, name: `${vm.name}, again` })),
        periods: repeated(periods, m(7), (p) => ({ ...p, start: p.start - hour })),
        organizations: repeated(first.organizations, m(8), (o) => ({
          ...o,
          capacity: o.capacity + 1,
        })),
        users: repeated(users, m(9), (u) => ({ ...u, name: `${u.name}, again` })),
        events: repeated(events, m(10), (e) => ({ ...e, at: e.at + hour })),
      };
    });

const cutsArbitrary = fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 6 });

describe.each(backends)("$name bulk import", ({ name, makeLayer }) => {
  const withTwoStores = <A>(
    use: (
      viaPorts: Context.Context<StorageServices>,
      viaImport: Context.Context<StorageServices>,
    ) => Promise<A>,
  ) =>
    withFreshContext(makeLayer, (viaPorts) =>
      withFreshContext(makeLayer, (viaImport) => use(viaPorts, viaImport)),
    );

  it(
    "leaves the store as the ports do, over two rounds, and changes nothing when sent again",
    () =>
      fc.assert(
        fc.asyncProperty(
          firstRound.chain((first) => fc.tuple(fc.constant(first), secondRound(first))),
          cutsArbitrary,
          ([first, second], cuts) =>
            withTwoStores(async (viaPorts, viaImport) => {
              await throughPorts(viaPorts, first);
              await throughImport(viaImport, first, cuts);
              expect(await snapshot(viaImport)).toEqual(await snapshot(viaPorts));
              await throughPorts(viaPorts, second);
              await throughImport(viaImport, second, cuts);
              const expected = await snapshot(viaPorts);
              expect(await snapshot(viaImport)).toEqual(expected);
              await throughImport(viaImport, second, [...cuts].reverse());
              expect(await snapshot(viaImport)).toEqual(expected);
            }),
        ),
        { numRuns: name === "SQLite" ? 40 : 10 },
      ),
    240_000,
  );

  it("names the first fact that refers to a missing tenant, VM, organization or user, and writes none of the import", () =>
    withFreshContext(makeLayer, async (context) => {
      await throughImport(
        context,
        {
          tenants: [{ id: "t", name: "T" }],
          vms: [{ id: "vm", name: "VM", tenantId: "t" }],
          periods: [],
          organizations: [{ id: "o", name: "O", capacity: 1, tenantId: null }],
          users: [{ id: "u", name: "U", organizationId: "o" }],
          events: [],
        },
        [],
      );
      const before = await snapshot(context);
      const cases = [
        {
          kind: "vms",
          facts: [
            { id: "vm-1", name: "ok", tenantId: "t" },
            { id: "vm-2", name: "no tenant", tenantId: null },
            { id: "vm-3", name: "missing", tenantId: "t-missing" },
            { id: "vm-4", name: "missing too", tenantId: "t-other" },
          ],
          error: { place: 3, field: "tenantId", id: "t-missing", missing: "tenant" },
        },
        {
          kind: "protection-periods",
          facts: [
            { id: "p-1", vmId: "vm", start: 0, end: 10 },
            { id: "p-2", vmId: "vm-missing", start: 0, end: null },
          ],
          error: { place: 2, field: "vmId", id: "vm-missing", missing: "VM" },
        },
        {
          kind: "users",
          facts: [
            { id: "u-1", name: "x", organizationId: "o-missing" },
            { id: "u-2", name: "y", organizationId: "o" },
          ],
          error: { place: 1, field: "organizationId", id: "o-missing", missing: "organization" },
        },
        {
          kind: "license-events",
          facts: [
            { id: "e-1", userId: "u", kind: "assigned", at: 5 },
            { id: "e-2", userId: "u", kind: "revoked", at: 6 },
            { id: "e-3", userId: "u-missing", kind: "assigned", at: 7 },
          ],
          error: { place: 3, field: "userId", id: "u-missing", missing: "user" },
        },
      ] as const;
      for (const { kind, facts, error } of cases) {
        const failure = await run(
          Effect.flip(importKind(context, kind, facts as ReadonlyArray<FactOf[typeof kind]>, [1])),
        );
        expect(failure).toBeInstanceOf(UnknownReferenceError);
        expect(failure).toMatchObject(error);
      }
      expect(await snapshot(context)).toEqual(before);
    }));

  it("keeps the last of an id repeated in one import, whether the id is new or stored", () =>
    withFreshContext(makeLayer, async (context) => {
      const vm = { id: "vm", name: "VM", tenantId: null };
      await run(importKind(context, "vms", [vm], []));
      const period = (id: string, start: number) => ({ id, vmId: "vm", start, end: start + 10 });
      await run(importKind(context, "protection-periods", [period("a", 0), period("a", 50)], []));
      expect((await snapshot(context)).periods.map((p) => p.start)).toEqual([50]);
      await run(
        importKind(
          context,
          "protection-periods",
          [period("b", 100), period("a", 200), period("b", 300), period("a", 400)],
          [2],
        ),
      );
      expect((await snapshot(context)).periods.map((p) => [p.start, p.end])).toEqual([
        [300, 310],
        [400, 410],
      ]);
      // A stored id whose last row is what is stored, though an earlier row is not: the last
      // row still wins (the stored period stays), and so it does when every row is the same.
      await run(importKind(context, "protection-periods", [period("a", 0), period("a", 400)], []));
      await run(
        importKind(context, "protection-periods", [period("b", 300), period("b", 300)], []),
      );
      expect((await snapshot(context)).periods.map((p) => [p.start, p.end])).toEqual([
        [300, 310],
        [400, 410],
      ]);
    }));

  it("writes nothing when its source fails half-way", () =>
    withFreshContext(makeLayer, async (context) => {
      await throughImport(
        context,
        {
          tenants: [],
          vms: [{ id: "vm", name: "VM", tenantId: null }],
          periods: [],
          organizations: [],
          users: [],
          events: [],
        },
        [],
      );
      const before = await snapshot(context);
      const good = Array.from({ length: 50 }, (_, i) => ({
        id: `p-${i}`,
        vmId: "vm",
        start: i * 1000,
        end: i * 1000 + 500,
      }));
      const failing = batches(good, [10, 10, 10]).pipe(
        Stream.concat(Stream.fail("the file broke off")),
      );
      const failure = await run(
        Effect.flip(Context.get(context, FactImport).importFacts("protection-periods", failing)),
      );
      expect(failure).toBe("the file broke off");
      expect(await snapshot(context)).toEqual(before);
    }));
});
