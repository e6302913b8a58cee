/**
 * The TenantDirectory contract suite: what every tenant directory — in-memory, SQLite,
 * PostgreSQL or a user's own — must do, run unchanged against each.
 *
 * ```ts
 * // sqlite-storage.test.ts — Tally's SQLite storage through this suite; put your own layer
 * // factory in its place. Each test gets a fresh store; the seed makes runs repeatable.
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { SqliteStorage } from "@tally/adapters-storage";
 * import { TenantDirectoryContract } from "@tally/core/testing";
 *
 * const directory = mkdtempSync(join(tmpdir(), "tally-contract-"));
 * let databases = 0;
 * const freshStore = () =>
 *   SqliteStorage.layer({ filename: join(directory, `${++databases}.sqlite`) });
 *
 * TenantDirectoryContract.suite("SqliteStorage", freshStore, { numRuns: 50, seed: 20261206 });
 * ```
 *
 * Every test builds a fresh layer (property tests: one per run) and shares nothing.
 */
import { type Layer, Option } from "effect";
import * as fc from "fast-check";
import { expect } from "vitest";
import { compareCodePoints } from "../domain/CodePointOrder.ts";
import type { Tenant, Vm } from "../domain/Tenant.ts";
import { type PageRequest, TenantDirectory } from "../ports/TenantDirectory.ts";
import {
  type ContractCheck,
  type ContractSuiteOptions,
  fixedCaseFirst,
  registerContract,
  standaloneChecks,
} from "./ContractSuite.ts";
import { displayNameArbitrary, idArbitrary } from "./DomainArbitraries.ts";
import { protectionFactsArbitrary } from "./FactArbitraries.ts";
import { codePointOrderedIds } from "./KnownCases.ts";
import { runEffect, withFreshService } from "./withFreshService.ts";

/** Builds a fresh TenantDirectory layer; called once per test (and per property run). */
export type MakeTenantDirectoryLayer = () => Layer.Layer<TenantDirectory, unknown>;

type Directory = TenantDirectory["Service"];
type Check = ContractCheck<MakeTenantDirectoryLayer>["run"];

const withDirectory = <A>(
  makeLayer: MakeTenantDirectoryLayer,
  use: (directory: Directory) => Promise<A>,
) => withFreshService(makeLayer, TenantDirectory, use);

const byId = <A extends { readonly id: string }>(a: A, b: A): number =>
  compareCodePoints(a.id, b.id);

/** Reads every page of a listing, checking that pages are full until the last. */
const allPages = async <A extends { readonly id: string }>(
  list: (page: PageRequest) => Promise<ReadonlyArray<A>>,
  limit: number,
): Promise<Array<A>> => {
  const all: Array<A> = [];
  let after: string | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = await list({ after, limit });
    expect(page.length, "a page holds at most `limit` items").toBeLessThanOrEqual(limit);
    all.push(...page);
    const last = page[page.length - 1];
    if (page.length < limit || last === undefined) return all;
    after = last.id;
  }
  throw new Error("the listing never ended");
};

const roundTrip: Check = (makeLayer, runs) =>
  fc.assert(
    fc.asyncProperty(protectionFactsArbitrary({ maxPeriods: 0 }), (facts) =>
      withDirectory(makeLayer, async (directory) => {
        await runEffect(directory.upsertTenants(facts.tenants));
        await runEffect(directory.upsertVms(facts.vms));
        for (const tenant of facts.tenants) {
          expect(await runEffect(directory.getTenant(tenant.id))).toEqual(Option.some(tenant));
        }
        for (const vm of facts.vms) {
          expect(await runEffect(directory.getVm(vm.id))).toEqual(Option.some(vm));
        }
        const unknown = "no such id \u{1F47B}";
        expect(await runEffect(directory.getTenant(unknown))).toEqual(Option.none());
        expect(await runEffect(directory.getVm(unknown))).toEqual(Option.none());
      }),
    ),
    runs,
  );

const replaceById: Check = (makeLayer) =>
  withDirectory(makeLayer, async (directory) => {
    const tenants: Array<Tenant> = [
      { id: "t-1", name: "Первый" },
      { id: "t-2", name: "Δεύτερος" },
    ];
    await runEffect(directory.upsertTenants(tenants));
    await runEffect(directory.upsertTenants(tenants));
    expect(
      await runEffect(directory.listTenants({ limit: 10 })),
      "sent twice, stored once",
    ).toEqual(tenants);
    await runEffect(directory.upsertTenants([{ id: "t-1", name: "Renamed 🏷" }]));
    expect(await runEffect(directory.getTenant("t-1"))).toEqual(
      Option.some({ id: "t-1", name: "Renamed 🏷" }),
    );
    const vm: Vm = { id: "vm", name: "vm", tenantId: "t-1" };
    await runEffect(directory.upsertVms([vm]));
    await runEffect(directory.upsertVms([{ ...vm, tenantId: "t-2", name: "moved" }]));
    expect(await runEffect(directory.getVm("vm"))).toEqual(
      Option.some({ id: "vm", name: "moved", tenantId: "t-2" }),
    );
    await runEffect(directory.upsertVms([{ ...vm, tenantId: null }]));
    expect(await runEffect(directory.listVms({ limit: 10, tenantId: "t-2" }))).toEqual([]);
    expect(await runEffect(directory.listVms({ limit: 10 }))).toEqual([
      { id: "vm", name: "vm", tenantId: null },
    ]);
  });

/** Ids that sort differently by code point than by UTF-16 code unit, to page through. */
const pagingIds = fc.uniqueArray(
  fc
    .tuple(fc.constantFrom("a", "Z", "\uFF5A", "😀", "é"), idArbitrary({ maxLength: 4 }))
    .map(([first, rest]) => first + rest),
  { maxLength: 30 },
);

/** Fixed case: tenants and VMs whose ids order differently by UTF-16 code unit. */
const listsByCodePoint = (makeLayer: MakeTenantDirectoryLayer): Promise<void> =>
  withDirectory(makeLayer, async (directory) => {
    const reversed = [...codePointOrderedIds].reverse();
    await runEffect(directory.upsertTenants(reversed.map((id) => ({ id, name: `tenant ${id}` }))));
    await runEffect(
      directory.upsertVms(reversed.map((id) => ({ id, name: `vm ${id}`, tenantId: null }))),
    );
    const tenants = await allPages((page) => runEffect(directory.listTenants(page)), 2);
    expect(
      tenants.map((tenant) => tenant.id),
      "tenants by id in code point order (not UTF-16 order)",
    ).toStrictEqual(codePointOrderedIds);
    const vms = await allPages((page) => runEffect(directory.listVms(page)), 2);
    expect(
      vms.map((vm) => vm.id),
      "VMs by id in code point order (not UTF-16 order)",
    ).toStrictEqual(codePointOrderedIds);
  });

const listTenants: Check = fixedCaseFirst(listsByCodePoint, (makeLayer, runs) =>
  fc.assert(
    fc.asyncProperty(
      pagingIds,
      fc.integer({ min: 1, max: 7 }),
      displayNameArbitrary(),
      (ids, limit, name) =>
        withDirectory(makeLayer, async (directory) => {
          const tenants = ids.map((id) => ({ id, name }));
          await runEffect(directory.upsertTenants(tenants));
          const listed = await allPages((page) => runEffect(directory.listTenants(page)), limit);
          expect(listed, "every tenant once, by id in code point order").toEqual(
            [...tenants].sort(byId),
          );
        }),
    ),
    runs,
  ),
);

const listVms: Check = fixedCaseFirst(listsByCodePoint, (makeLayer, runs) =>
  fc.assert(
    fc.asyncProperty(
      pagingIds,
      fc.integer({ min: 1, max: 7 }),
      fc.array(fc.constantFrom("t-a", "t-b", null)),
      (ids, limit, owners) =>
        withDirectory(makeLayer, async (directory) => {
          await runEffect(
            directory.upsertTenants([
              { id: "t-a", name: "A" },
              { id: "t-b", name: "B" },
            ]),
          );
          const vms: Array<Vm> = ids.map((id, i) => ({
            id,
            name: `vm ${i}`,
            tenantId: owners.length === 0 ? null : (owners[i % owners.length] ?? null),
          }));
          await runEffect(directory.upsertVms(vms));
          const all = await allPages((page) => runEffect(directory.listVms(page)), limit);
          expect(all, "every VM once, by id in code point order").toEqual([...vms].sort(byId));
          const ofA = await allPages(
            (page) => runEffect(directory.listVms({ ...page, tenantId: "t-a" })),
            limit,
          );
          expect(ofA, "the VMs of one tenant").toEqual(
            vms.filter((vm) => vm.tenantId === "t-a").sort(byId),
          );
        }),
    ),
    runs,
  ),
);

const definitions = {
  roundTrip: {
    title: "tenants and VMs come back as stored, Unicode names included; unknown ids are none",
    run: roundTrip,
  },
  replaceById: {
    title: "upserts replace by id and sending a batch again changes nothing",
    run: replaceById,
  },
  listTenants: {
    title: "listTenants pages through every tenant once, by id in code point order",
    run: listTenants,
  },
  listVms: {
    title:
      "listVms pages through every VM once, by id in code point order, optionally of one tenant",
    run: listVms,
  },
} as const satisfies Record<string, ContractCheck<MakeTenantDirectoryLayer>>;

/** The name of a check of the TenantDirectory contract. */
export type TenantDirectoryCheckName = keyof typeof definitions;

/** Registers the contract as a vitest `describe` block named `name`, one test per check. */
export const suite = (
  name: string,
  makeLayer: MakeTenantDirectoryLayer,
  options?: ContractSuiteOptions,
): void => registerContract(name, definitions, makeLayer, options);

/** Each check on its own, reporting pass or fail rather than throwing. */
export const checks = standaloneChecks(definitions);
