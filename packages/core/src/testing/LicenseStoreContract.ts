/**
 * The LicenseStore contract suite: what every license store — in-memory, SQLite, PostgreSQL
 * or a user's own — must do, run unchanged against each.
 *
 * ```ts
 * // sqlite-storage.test.ts — Tally's SQLite storage through this suite; put your own layer
 * // factory in its place. Each test gets a fresh store; the seed makes runs repeatable.
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { SqliteStorage } from "@tally/adapters-storage";
 * import { LicenseStoreContract } from "@tally/core/testing";
 *
 * const directory = mkdtempSync(join(tmpdir(), "tally-contract-"));
 * let databases = 0;
 * const freshStore = () =>
 *   SqliteStorage.layer({ filename: join(directory, `${++databases}.sqlite`) });
 *
 * LicenseStoreContract.suite("SqliteStorage", freshStore, { numRuns: 50, seed: 20261206 });
 * ```
 *
 * Every test builds a fresh layer (property tests: one per run) and compares the store with a
 * simple model computed from the same facts (`FactModels.ts`).
 */
import { Effect, type Layer, Option, Stream } from "effect";
import * as fc from "fast-check";
import { expect } from "vitest";
import { compareCodePoints } from "../domain/CodePointOrder.ts";
import { StorageError } from "../domain/errors.ts";
import type { Instant } from "../domain/Instant.ts";
import type { LicensedUser, Organization, OrganizationFilter } from "../domain/License.ts";
import { LicenseStore } from "../ports/LicenseStore.ts";
import {
  type ContractCheck,
  type ContractSuiteOptions,
  fixedCaseFirst,
  registerContract,
  standaloneChecks,
} from "./ContractSuite.ts";
import {
  defaultFactsFrom,
  defaultInstantStepMs,
  instantArbitrary,
  organizationFilterArbitrary,
} from "./DomainArbitraries.ts";
import { type LicenseFacts, licenseFactsArbitrary } from "./FactArbitraries.ts";
import { expectedEventRows, selectsOrganization } from "./FactModels.ts";
import { codePointOrderedIds } from "./KnownCases.ts";
import { runEffect, withFreshService } from "./withFreshService.ts";

/** Builds a fresh LicenseStore layer; called once per test (and per property run). */
export type MakeLicenseStoreLayer = () => Layer.Layer<LicenseStore, unknown>;

type Store = LicenseStore["Service"];
type Check = ContractCheck<MakeLicenseStoreLayer>["run"];

const withStore = <A>(makeLayer: MakeLicenseStoreLayer, use: (store: Store) => Promise<A>) =>
  withFreshService(makeLayer, LicenseStore, use);

const HOUR = defaultInstantStepMs;
const T0: Instant = defaultFactsFrom;
const tenantIds = ["tenant-α", "tenant-β"];

const load = async (store: Store, facts: LicenseFacts): Promise<void> => {
  await runEffect(store.upsertOrganizations(facts.organizations));
  await runEffect(store.upsertUsers(facts.users));
  await runEffect(store.upsertEvents(facts.events));
};

const streamed = (store: Store, filter: OrganizationFilter, until: Instant) =>
  runEffect(Stream.runCollect(store.streamEvents(filter, until)));

const byId = <A extends { readonly id: string }>(a: A, b: A): number =>
  compareCodePoints(a.id, b.id);

/** Facts with a filter naming their organizations and tenants, or ones they lack. */
const factsAndFilter = licenseFactsArbitrary({ tenantIds }).chain((facts) =>
  fc.tuple(
    fc.constant(facts),
    organizationFilterArbitrary({
      organizationIds: [...facts.organizations.map((o) => o.id), "no such organization"],
      tenantIds: [...tenantIds, "no such tenant"],
    }),
  ),
);

/** Facts, a filter, and an `until` that is most often the instant of one of their events. */
const eventScenario = factsAndFilter.chain(([facts, filter]) =>
  fc.tuple(
    fc.constant(facts),
    fc.constant(filter),
    fc.oneof(
      instantArbitrary(),
      fc.constant(Number.MAX_SAFE_INTEGER),
      ...(facts.events.length === 0 ? [] : [fc.constantFrom(...facts.events.map((e) => e.at))]),
    ),
  ),
);

const events: Check = (makeLayer, runs) =>
  fc.assert(
    fc.asyncProperty(eventScenario, ([facts, filter, until]) =>
      withStore(makeLayer, async (store) => {
        await load(store, facts);
        const expected = expectedEventRows(facts, filter, until);
        expect(await streamed(store, filter, until), "the events before until, in order").toEqual(
          expected,
        );
        expect(
          await runEffect(store.countEvents(filter, until)),
          "countEvents is the stream's length",
        ).toBe(expected.length);
      }),
    ),
    runs,
  );

const untilBound: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    await load(store, {
      organizations: [{ id: "org", name: "Org", capacity: 1, tenantId: null }],
      users: [{ id: "u", name: "ada@example.org", organizationId: "org" }],
      events: [
        { id: "before", userId: "u", kind: "assigned", at: T0 - 1 },
        { id: "at", userId: "u", kind: "revoked", at: T0 },
      ],
    });
    const rows = await streamed(store, { _tag: "AllOrganizations" }, T0);
    expect(
      rows.map((row) => row.eventId),
      "at < until: an event at until is excluded",
    ).toEqual(["before"]);
  });

/** Fixed case: organizations and users whose ids order differently by UTF-16 code unit. */
const listsByCodePoint = (makeLayer: MakeLicenseStoreLayer): Promise<void> =>
  withStore(makeLayer, async (store) => {
    const reversed = [...codePointOrderedIds].reverse();
    await load(store, {
      organizations: reversed.map((id) => ({ id, name: `org ${id}`, capacity: 1, tenantId: null })),
      users: reversed.map((id) => ({ id, name: `user ${id}`, organizationId: "z" })),
      events: [],
    });
    const all = { _tag: "AllOrganizations" } as const;
    const organizations = await runEffect(store.listOrganizations(all, { limit: 100 }));
    expect(
      organizations.map((organization) => organization.id),
      "organizations by id in code point order (not UTF-16 order)",
    ).toStrictEqual(codePointOrderedIds);
    const users = await runEffect(store.listUsers({ limit: 100 }));
    expect(
      users.map((user) => user.id),
      "users by id in code point order (not UTF-16 order)",
    ).toStrictEqual(codePointOrderedIds);
  });

const listings: Check = fixedCaseFirst(listsByCodePoint, (makeLayer, runs) =>
  fc.assert(
    fc.asyncProperty(factsAndFilter, fc.integer({ min: 1, max: 5 }), ([facts, filter], limit) =>
      withStore(makeLayer, async (store) => {
        await load(store, facts);
        for (const organization of facts.organizations) {
          expect(await runEffect(store.getOrganization(organization.id))).toEqual(
            Option.some(organization),
          );
        }
        expect(Option.isNone(await runEffect(store.getOrganization("no such organization")))).toBe(
          true,
        );
        const organizations: Array<Organization> = [];
        for (let after: string | undefined; ; ) {
          const page = await runEffect(store.listOrganizations(filter, { after, limit }));
          organizations.push(...page);
          const last = page[page.length - 1];
          if (page.length < limit || last === undefined) break;
          after = last.id;
        }
        expect(organizations, "the filter's organizations, by id, paged").toEqual(
          facts.organizations.filter((o) => selectsOrganization(filter, o)).sort(byId),
        );
        const organizationId = facts.organizations[0]?.id;
        const users: Array<LicensedUser> = [];
        for (let after: string | undefined; ; ) {
          const page = await runEffect(store.listUsers({ after, limit, organizationId }));
          users.push(...page);
          const last = page[page.length - 1];
          if (page.length < limit || last === undefined) break;
          after = last.id;
        }
        expect(users, "the users of one organization, by id, paged").toEqual(
          facts.users.filter((u) => u.organizationId === organizationId).sort(byId),
        );
        expect(await runEffect(store.listUsers({ limit: 1000 })), "all users").toEqual(
          [...facts.users].sort(byId),
        );
      }),
    ),
    runs,
  ),
);

const constraints: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    await load(store, {
      organizations: [{ id: "org", name: "Org", capacity: 2, tenantId: "tenant-α" }],
      users: [{ id: "u-1", name: "Ада", organizationId: "org" }],
      events: [{ id: "e-1", userId: "u-1", kind: "assigned", at: T0 }],
    });
    const expectViolation = (error: unknown) => {
      expect(error, "a StorageError").toBeInstanceOf(StorageError);
      expect((error as StorageError).reason).toBe("ConstraintViolation");
    };
    expectViolation(
      await runEffect(
        Effect.flip(
          store.upsertUsers([
            { id: "u-2", name: "fine", organizationId: "org" },
            { id: "u-3", name: "orphan", organizationId: "no such organization" },
          ]),
        ),
      ),
    );
    expect(
      await runEffect(store.listUsers({ limit: 10 })),
      "nothing of the refused users was written",
    ).toEqual([{ id: "u-1", name: "Ада", organizationId: "org" }]);
    expectViolation(
      await runEffect(
        Effect.flip(
          store.upsertEvents([
            { id: "e-2", userId: "u-1", kind: "revoked", at: T0 + HOUR },
            { id: "e-3", userId: "no such user", kind: "assigned", at: T0 },
          ]),
        ),
      ),
    );
    expect(
      (await streamed(store, { _tag: "AllOrganizations" }, T0 + 24 * HOUR)).map((r) => r.eventId),
      "nothing of the refused events was written",
    ).toEqual(["e-1"]);
  });

const upserts: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    const facts: LicenseFacts = {
      organizations: [
        { id: "org-a", name: "Άλφα", capacity: 1, tenantId: "tenant-α" },
        { id: "org-b", name: "Бета", capacity: 0, tenantId: null },
      ],
      users: [{ id: "u", name: "σ@example.org", organizationId: "org-a" }],
      events: [{ id: "e", userId: "u", kind: "assigned", at: T0 }],
    };
    await load(store, facts);
    await load(store, facts);
    const all: OrganizationFilter = { _tag: "AllOrganizations" };
    const until = T0 + 24 * HOUR;
    expect(await streamed(store, all, until), "sent twice, stored once").toEqual(
      expectedEventRows(facts, all, until),
    );
    // A user moved to another organization takes its events along; an event can be corrected.
    const moved: LicenseFacts = {
      ...facts,
      users: [{ id: "u", name: "renamed", organizationId: "org-b" }],
      events: [{ id: "e", userId: "u", kind: "assigned", at: T0 + HOUR }],
    };
    await runEffect(store.upsertUsers(moved.users));
    await runEffect(store.upsertEvents(moved.events));
    expect(await streamed(store, all, until)).toEqual([
      {
        organizationId: "org-b",
        userId: "u",
        userName: "renamed",
        eventId: "e",
        kind: "assigned",
        at: T0 + HOUR,
      },
    ]);
    await runEffect(
      store.upsertOrganizations([{ id: "org-a", name: "Renamed", capacity: 7, tenantId: null }]),
    );
    expect(await runEffect(store.getOrganization("org-a"))).toEqual(
      Option.some({ id: "org-a", name: "Renamed", capacity: 7, tenantId: null }),
    );
  });

const definitions = {
  events: {
    title:
      "streamEvents yields the filter's events before until, joined with their user, in order; countEvents agrees",
    run: events,
  },
  untilBound: {
    title: "streamEvents excludes events at exactly until",
    run: untilBound,
  },
  listings: {
    title: "organizations and users come back as stored and list by id in code point order, paged",
    run: listings,
  },
  constraints: {
    title:
      "users of unknown organizations and events of unknown users fail with ConstraintViolation and write nothing",
    run: constraints,
  },
  upserts: {
    title: "upserts replace by id: sending facts again changes nothing, and changes take effect",
    run: upserts,
  },
} as const satisfies Record<string, ContractCheck<MakeLicenseStoreLayer>>;

/** The name of a check of the LicenseStore contract. */
export type LicenseStoreCheckName = keyof typeof definitions;

/** Registers the contract as a vitest `describe` block named `name`, one test per check. */
export const suite = (
  name: string,
  makeLayer: MakeLicenseStoreLayer,
  options?: ContractSuiteOptions,
): void => registerContract(name, definitions, makeLayer, options);

/** Each check on its own, reporting pass or fail rather than throwing. */
export const checks = standaloneChecks(definitions);
