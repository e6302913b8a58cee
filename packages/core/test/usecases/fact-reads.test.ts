/**
 * Reading facts back with visibility applied: what an operator may not see is not found, and
 * an operator's users are merged, by id, from all of its tenant's organizations.
 */
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import {
  ForbiddenError,
  getOrganizationFor,
  getTenantFor,
  getVmFor,
  ingestOrganizations,
  ingestUsers,
  listOrganizationsFor,
  listTenantsFor,
  listUsersFor,
  listVmsFor,
  NotFoundError,
  type Principal,
} from "../../src/index.ts";
import { acmeOperator, admin, globexOperator, makeTestWorld, seedProtection } from "./TestWorld.ts";

const seedLicenses = Effect.gen(function* () {
  yield* ingestOrganizations(admin, [
    { id: "org-a1", name: "A1", capacity: 5, tenantId: "acme" },
    { id: "org-a2", name: "A2", capacity: 5, tenantId: "acme" },
    { id: "org-g", name: "G", capacity: 5, tenantId: "globex" },
    { id: "org-none", name: "N", capacity: 5, tenantId: null },
  ]);
  // Ids interleave across the two organizations of acme, so a page must merge them.
  yield* ingestUsers(admin, [
    { id: "u1", name: "one", organizationId: "org-a2" },
    { id: "u2", name: "two", organizationId: "org-a1" },
    { id: "u3", name: "three", organizationId: "org-g" },
    { id: "u4", name: "four", organizationId: "org-a2" },
    { id: "u5", name: "five", organizationId: "org-a1" },
    { id: "u6", name: "six", organizationId: "org-none" },
    { id: "u7", name: "seven", organizationId: "org-a1" },
  ]);
});

const world = async () => {
  const w = makeTestWorld();
  await w.run(seedProtection);
  await w.run(seedLicenses);
  return w;
};

/** Every id of a listing, page by page. */
const pageThrough = async <A extends { readonly id: string }>(
  list: (page: { after: string | undefined; limit: number }) => Promise<ReadonlyArray<A>>,
  limit: number,
): Promise<Array<string>> => {
  const ids: Array<string> = [];
  let after: string | undefined;
  for (;;) {
    const page = await list({ after, limit });
    ids.push(...page.map((item) => item.id));
    if (page.length < limit) return ids;
    after = page[page.length - 1]?.id;
  }
};

describe("reading facts", () => {
  it("gives an administrator everything and an operator its own tenant's, by id", async () => {
    const w = await world();
    const tenants = (p: Principal) => w.run(listTenantsFor(p, { limit: 10 }));
    expect((await tenants(admin)).map((t) => t.id)).toEqual(["acme", "globex"]);
    expect((await tenants(acmeOperator)).map((t) => t.id)).toEqual(["acme"]);
    expect(await w.run(listTenantsFor(acmeOperator, { after: "acme", limit: 10 }))).toEqual([]);
    const vms = (p: Principal) => w.run(listVmsFor(p, { limit: 10 }));
    expect((await vms(admin)).map((v) => v.id)).toEqual(["vm-1", "vm-2", "vm-3", "vm-9"]);
    expect((await vms(globexOperator)).map((v) => v.id)).toEqual(["vm-3"]);
    const organizations = (p: Principal) => w.run(listOrganizationsFor(p, { limit: 10 }));
    expect((await organizations(acmeOperator)).map((o) => o.id)).toEqual(["org-a1", "org-a2"]);
    expect(await organizations(admin)).toHaveLength(4);
  });

  it("answers not found for another tenant's fact, exactly as for a missing one", async () => {
    const w = await world();
    expect(await w.run(getTenantFor(acmeOperator, "acme"))).toMatchObject({ id: "acme" });
    for (const failure of [
      w.runFailure(getTenantFor(acmeOperator, "globex")),
      w.runFailure(getVmFor(acmeOperator, "vm-3")),
      w.runFailure(getVmFor(acmeOperator, "vm-9")),
      w.runFailure(getOrganizationFor(acmeOperator, "org-g")),
      w.runFailure(listVmsFor(acmeOperator, { tenantId: "globex", limit: 10 })),
      w.runFailure(listUsersFor(acmeOperator, { organizationId: "org-none", limit: 10 })),
    ]) {
      expect(await failure).toBeInstanceOf(NotFoundError);
    }
    expect(await w.runFailure(getVmFor(admin, "vm-404"))).toEqual(
      new NotFoundError({ resource: "VM", id: "vm-404" }),
    );
  });

  it("pages an operator's users across its tenant's organizations in id order", async () => {
    const w = await world();
    const firstPage = await w.run(listUsersFor(acmeOperator, { limit: 2 }));
    expect(firstPage.map((u) => u.id)).toEqual(["u1", "u2"]);
    for (const limit of [1, 2, 3, 10]) {
      expect(
        await pageThrough((page) => w.run(listUsersFor(acmeOperator, page)), limit),
        `limit ${limit}`,
      ).toEqual(["u1", "u2", "u4", "u5", "u7"]);
    }
    expect(await pageThrough((page) => w.run(listUsersFor(admin, page)), 2)).toEqual([
      "u1",
      "u2",
      "u3",
      "u4",
      "u5",
      "u6",
      "u7",
    ]);
    expect(
      (await w.run(listUsersFor(acmeOperator, { organizationId: "org-a1", limit: 10 }))).map(
        (u) => u.id,
      ),
    ).toEqual(["u2", "u5", "u7"]);
  });

  it("refuses an operator without a tenant any listing", async () => {
    const w = await world();
    const nobody: Principal = { id: "ghost", role: "TenantOperator", tenantId: null };
    expect(await w.runFailure(listTenantsFor(nobody, { limit: 10 }))).toBeInstanceOf(
      ForbiddenError,
    );
    expect(await w.runFailure(listUsersFor(nobody, { limit: 10 }))).toBeInstanceOf(ForbiddenError);
  });
});
