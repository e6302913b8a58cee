/**
 * Bulk ingestion on both backends: large batches in one call, idempotent when sent again, the
 * last of duplicate ids winning; and the copies of the tenant (on periods) and organization
 * (on events) that make the report streams single index scans follow a VM or user that moves.
 */
import {
  type LicenseEvent,
  LicenseStore,
  type ProtectionPeriod,
  ProtectionPeriodStore,
  TenantDirectory,
} from "@tally/core";
import { withFreshContext } from "@tally/core/testing";
import { Context, Effect, Stream } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import type { StoragePorts } from "../src/index.ts";
import { backends } from "./support/Backends.ts";
import { T0 } from "./support/SampleTasks.ts";
import { awaitSchemaDrops, requirePostgres } from "./support/TestPostgres.ts";

await requirePostgres();
afterAll(awaitSchemaDrops);

const HOUR = 3_600_000;
const everything = { start: 0, end: T0 + 10_000 * HOUR };
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);

const periods = (count: number, vmCount: number): Array<ProtectionPeriod> =>
  Array.from({ length: count }, (_, i) => ({
    id: `period-${i}`,
    vmId: `vm-${i % vmCount}`,
    start: T0 + (i % 500) * HOUR,
    end: i % 9 === 0 ? null : T0 + ((i % 500) + 1 + (i % 5)) * HOUR,
  }));

describe.each(backends)("$name bulk ingestion", ({ makeLayer }) => {
  const withStores = <A>(use: (context: Context.Context<StoragePorts>) => Promise<A>) =>
    withFreshContext(makeLayer, use);

  it("loads 20,000 periods in one call, and sending them again changes nothing", () =>
    withStores(async (context) => {
      const directory = Context.get(context, TenantDirectory);
      const store = Context.get(context, ProtectionPeriodStore);
      await run(
        directory.upsertTenants([
          { id: "t-1", name: "One" },
          { id: "t-2", name: "Two" },
        ]),
      );
      await run(
        directory.upsertVms(
          Array.from({ length: 300 }, (_, i) => ({
            id: `vm-${i}`,
            name: `VM ${i}`,
            tenantId: i % 3 === 2 ? null : `t-${(i % 3) + 1}`,
          })),
        ),
      );
      const batch = periods(20_000, 300);
      await run(store.upsertPeriods(batch));
      const all = { _tag: "AllTenants" } as const;
      const once = await run(Stream.runCollect(store.streamOverlapping(everything, all)));
      expect(once.length).toBe(20_000);
      await run(store.upsertPeriods(batch));
      expect(await run(store.countOverlapping(everything, all))).toBe(20_000);
      expect(await run(Stream.runCollect(store.streamOverlapping(everything, all)))).toEqual(once);
    }));

  it("keeps the last of several periods with the same id in one batch", () =>
    withStores(async (context) => {
      const directory = Context.get(context, TenantDirectory);
      const store = Context.get(context, ProtectionPeriodStore);
      await run(directory.upsertVms([{ id: "vm-0", name: "VM", tenantId: null }]));
      await run(
        store.upsertPeriods([
          { id: "p", vmId: "vm-0", start: T0, end: null },
          { id: "p", vmId: "vm-0", start: T0, end: T0 + HOUR },
        ]),
      );
      const rows = await run(
        Stream.runCollect(store.streamOverlapping(everything, { _tag: "AllTenants" })),
      );
      expect(rows.map((row) => row.end)).toEqual([T0 + HOUR]);
    }));

  it("a VM that moves to another tenant takes its periods along", () =>
    withStores(async (context) => {
      const directory = Context.get(context, TenantDirectory);
      const store = Context.get(context, ProtectionPeriodStore);
      await run(
        directory.upsertTenants([
          { id: "a", name: "A" },
          { id: "b", name: "B" },
        ]),
      );
      await run(directory.upsertVms([{ id: "vm-0", name: "VM", tenantId: "a" }]));
      await run(store.upsertPeriods(periods(10, 1)));
      const of = async (tenantId: string) =>
        (
          await run(
            Stream.runCollect(store.streamOverlapping(everything, { _tag: "OneTenant", tenantId })),
          )
        ).length;
      expect([await of("a"), await of("b")]).toEqual([10, 0]);
      await run(directory.upsertVms([{ id: "vm-0", name: "VM", tenantId: "b" }]));
      expect([await of("a"), await of("b")], "moved to b").toEqual([0, 10]);
      expect(await run(store.earliestStart({ _tag: "OneTenant", tenantId: "b" }))).toStrictEqual(
        await run(store.earliestStart({ _tag: "AllTenants" })),
      );
      await run(directory.upsertVms([{ id: "vm-0", name: "VM", tenantId: null }]));
      const rows = await run(
        Stream.runCollect(store.streamOverlapping(everything, { _tag: "AllTenants" })),
      );
      expect([await of("b"), rows.length, rows[0]?.tenantId], "of no tenant").toEqual([
        0,
        10,
        null,
      ]);
    }));

  it("loads 20,000 license events in one call, idempotently; a user who moves takes them along", () =>
    withStores(async (context) => {
      const licenses = Context.get(context, LicenseStore);
      await run(
        licenses.upsertOrganizations([
          { id: "org-1", name: "Org 1", capacity: 10, tenantId: null },
          { id: "org-2", name: "Org 2", capacity: 10, tenantId: "t" },
        ]),
      );
      await run(
        licenses.upsertUsers(
          Array.from({ length: 100 }, (_, i) => ({
            id: `user-${i}`,
            name: `user${i}@example.org`,
            organizationId: i % 2 === 0 ? "org-1" : "org-2",
          })),
        ),
      );
      const events: Array<LicenseEvent> = Array.from({ length: 20_000 }, (_, i) => ({
        id: `event-${i}`,
        userId: `user-${i % 100}`,
        kind: i % 200 < 100 ? "assigned" : "revoked",
        at: T0 + i * 1_000,
      }));
      await run(licenses.upsertEvents(events));
      await run(licenses.upsertEvents(events));
      const all = { _tag: "AllOrganizations" } as const;
      const until = T0 + 30_000_000;
      expect(await run(licenses.countEvents(all, until))).toBe(20_000);
      const org1 = { _tag: "OneOrganization", organizationId: "org-1" } as const;
      expect(await run(licenses.countEvents(org1, until))).toBe(10_000);
      await run(licenses.upsertUsers([{ id: "user-1", name: "moved", organizationId: "org-1" }]));
      expect(await run(licenses.countEvents(org1, until)), "user-1's events moved").toBe(10_200);
      const ofTenant = { _tag: "OrganizationsOfTenant", tenantId: "t" } as const;
      const rows = await run(Stream.runCollect(licenses.streamEvents(ofTenant, until)));
      expect(rows.length).toBe(9_800);
      expect(new Set(rows.map((row) => row.organizationId))).toEqual(new Set(["org-2"]));
    }));
});
