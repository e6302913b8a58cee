/**
 * The demo data set: deterministic (two loads give identical facts), idempotent (loading again
 * changes nothing), and showing what the README promises (Unicode names, a VM of no tenant,
 * overlapping, duplicated and ongoing periods, periods across Berlin's 2024 DST changes, a
 * license assigned beyond capacity).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LicenseStore, ProtectionPeriodStore, TenantDirectory } from "@tally/core";
import { Effect, Stream } from "effect";
import { describe, expect, it } from "vitest";
import { demoDataSet } from "../src/demo/DemoDataSet.ts";
import { loadDemoFacts } from "../src/demo/loadDemoData.ts";
import { storageLayer } from "../src/wiring/StorageLayer.ts";
import { quiet } from "./support/quiet.ts";

/** Runs a test program without log output. */
const runQuiet = <A, E>(effect: Effect.Effect<A, E>): Promise<A> =>
  Effect.runPromise(quiet(effect));

const everything = { start: -8_640_000_000_000_000, end: 8_640_000_000_000_000 };

/** Every fact in the store, read back through the ports. */
const readAllFacts = Effect.gen(function* () {
  const directory = yield* TenantDirectory;
  const periods = yield* ProtectionPeriodStore;
  const licenses = yield* LicenseStore;
  return {
    tenants: yield* directory.listTenants({ limit: 1000 }),
    vms: yield* directory.listVms({ limit: 1000 }),
    periods: yield* Stream.runCollect(
      periods.streamOverlapping(everything, { _tag: "AllTenants" }),
    ),
    organizations: yield* licenses.listOrganizations({ _tag: "AllOrganizations" }, { limit: 1000 }),
    users: yield* licenses.listUsers({ limit: 1000 }),
    events: yield* Stream.runCollect(
      licenses.streamEvents({ _tag: "AllOrganizations" }, everything.end),
    ),
  };
});

const freshStore = () => {
  const dir = mkdtempSync(join(tmpdir(), "tally-demo-"));
  return storageLayer({ _tag: "Sqlite", filename: join(dir, "tally.sqlite") });
};

const loadAndRead = (times: number) =>
  Effect.gen(function* () {
    for (let i = 0; i < times; i++) yield* loadDemoFacts();
    return yield* readAllFacts;
  }).pipe(Effect.provide(freshStore()));

describe("the demo data set", () => {
  it("gives identical facts when loaded into two fresh stores", async () => {
    const [first, second] = await runQuiet(Effect.all([loadAndRead(1), loadAndRead(1)]));
    expect(second).toEqual(first);
    expect(first.tenants).toHaveLength(demoDataSet.tenants.length);
    expect(first.vms).toHaveLength(demoDataSet.vms.length);
    expect(first.periods).toHaveLength(demoDataSet.periods.length);
    expect(first.events).toHaveLength(demoDataSet.licenseEvents.length);
  });

  it("changes nothing when loaded again into the same store", async () => {
    const [once, twice] = await runQuiet(Effect.all([loadAndRead(1), loadAndRead(2)]));
    expect(twice).toEqual(once);
  });

  it("has Cyrillic and Greek tenant names and a VM of no tenant", () => {
    const names = demoDataSet.tenants.map((t) => t.name);
    expect(names).toContain("ООО «Ромашка»");
    expect(names).toContain("Αθηνά Α.Ε.");
    expect(demoDataSet.vms).toContainEqual(expect.objectContaining({ tenantId: null }));
  });

  it("has overlapping, duplicated and ongoing periods", () => {
    const byVm = new Map<string, Array<(typeof demoDataSet.periods)[number]>>();
    for (const p of demoDataSet.periods) byVm.set(p.vmId, [...(byVm.get(p.vmId) ?? []), p]);
    const overlapping = demoDataSet.periods.filter((a) =>
      (byVm.get(a.vmId) ?? []).some(
        (b) => a !== b && a.start < (b.end ?? Infinity) && b.start < (a.end ?? Infinity),
      ),
    );
    const duplicated = demoDataSet.periods.filter((a) =>
      (byVm.get(a.vmId) ?? []).some((b) => a !== b && a.start === b.start && a.end === b.end),
    );
    expect(overlapping.length).toBeGreaterThan(0);
    expect(duplicated.length).toBeGreaterThan(0);
    expect(demoDataSet.periods).toContainEqual(expect.objectContaining({ end: null }));
  });

  it("has periods across both 2024 DST changes of Europe/Berlin", () => {
    const springForward = Date.UTC(2024, 2, 31, 1);
    const fallBack = Date.UTC(2024, 9, 27, 1);
    const spanning = (instant: number) =>
      demoDataSet.periods.filter(
        (p) =>
          p.start < instant &&
          (p.end === null || p.end > instant) &&
          p.start > Date.UTC(2024, 0, 1),
      );
    expect(spanning(springForward).length).toBeGreaterThan(0);
    expect(spanning(fallBack).length).toBeGreaterThan(0);
  });

  it("assigns one organization more licenses than its capacity", () => {
    const peaks = demoDataSet.organizations.map((org) => {
      const users = new Set(
        demoDataSet.users.filter((u) => u.organizationId === org.id).map((u) => u.id),
      );
      const held = new Set<string>();
      let peak = 0;
      for (const event of [...demoDataSet.licenseEvents].sort((a, b) => a.at - b.at)) {
        if (!users.has(event.userId)) continue;
        if (event.kind === "assigned") held.add(event.userId);
        else held.delete(event.userId);
        peak = Math.max(peak, held.size);
      }
      return { organizationId: org.id, capacity: org.capacity, peak };
    });
    expect(
      peaks.filter((p) => p.peak > p.capacity),
      JSON.stringify(peaks),
    ).not.toEqual([]);
  });

  it("offers an administrator admin/admin and operator accounts", () => {
    expect(demoDataSet.accounts).toContainEqual({
      username: "admin",
      password: "admin",
      role: "Administrator",
      tenantId: null,
    });
    expect(demoDataSet.accounts.filter((a) => a.role === "TenantOperator").length).toBeGreaterThan(
      0,
    );
  });
});
