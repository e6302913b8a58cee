/**
 * Reading facts back over the native `/v1` API, over real HTTP: round trips after ingestion,
 * keyset pagination, tenant isolation for operators, and strict query parameters.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectProblem } from "./support/Http.ts";
import { basic, startTally, type TallyFixture, users } from "./support/TallyFixture.ts";

const admin = basic(users.admin);
const operatorA = basic(users.operatorA);

interface Page {
  readonly items: ReadonlyArray<Record<string, unknown>>;
  readonly nextCursor: string | null;
}

describe("reading facts", () => {
  let tally: TallyFixture;
  beforeEach(async () => {
    tally = await startTally({ worker: false, http: { maxPageSize: 50 } });
  });
  afterEach(() => tally.close());

  const get = (path: string, authorization = admin) =>
    tally.fetch(path, { headers: { authorization } });
  const page = async (path: string, authorization = admin): Promise<Page> => {
    const res = await get(path, authorization);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Page;
  };
  const ids = (p: Page) => p.items.map((item) => item.id);
  const put = (path: string, body: unknown) =>
    tally.fetch(path, {
      method: "PUT",
      headers: { authorization: admin, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("gives back each kind of fact as it was put", async () => {
    expect((await put("/v1/tenants/R", { name: "Round" })).status).toBe(200);
    expect((await put("/v1/vms/vm-r", { name: "round-1", tenantId: "R" })).status).toBe(200);
    expect((await put("/v1/organizations/org-r", { name: "Org R", capacity: 3 })).status).toBe(200);
    expect((await put("/v1/users/u-r", { name: "r@r.test", organizationId: "org-r" })).status).toBe(
      200,
    );
    expect(await (await get("/v1/tenants/R")).json()).toEqual({ id: "R", name: "Round" });
    expect(await (await get("/v1/vms/vm-r")).json()).toEqual({
      id: "vm-r",
      name: "round-1",
      tenantId: "R",
    });
    expect(await (await get("/v1/organizations/org-r")).json()).toEqual({
      id: "org-r",
      name: "Org R",
      capacity: 3,
      tenantId: null,
    });
    expect((await page("/v1/users?organizationId=org-r")).items).toEqual([
      { id: "u-r", name: "r@r.test", organizationId: "org-r" },
    ]);
    expect(ids(await page("/v1/vms?tenantId=R"))).toEqual(["vm-r"]);
  });

  it("answers 404 for a fact that does not exist", async () => {
    await expectProblem(await get("/v1/tenants/nobody"), 404);
    await expectProblem(await get("/v1/vms/nothing"), 404);
    await expectProblem(await get("/v1/organizations/none"), 404);
    await expectProblem(await get("/v1/users?organizationId=none"), 404);
  });

  it("pages through a listing by id with an opaque cursor and a Link header", async () => {
    const vms = Array.from({ length: 7 }, (_, i) => ({
      id: `pg-${i}`,
      name: `n${i}`,
      tenantId: "A",
    }));
    const res = await tally.fetch("/v1/vms", {
      method: "POST",
      headers: { authorization: admin, "content-type": "application/json" },
      body: JSON.stringify(vms),
    });
    expect(res.status).toBe(200);
    const seen: Array<unknown> = [];
    let path: string | null = "/v1/vms?tenantId=A&limit=3";
    let pages = 0;
    while (path !== null) {
      const res: Response = await get(path);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Page;
      expect(body.items.length).toBeLessThanOrEqual(3);
      seen.push(...ids(body));
      pages++;
      if (body.nextCursor !== null) {
        expect(res.headers.get("link")).toContain(`cursor=${body.nextCursor}`);
        path = `/v1/vms?tenantId=A&limit=3&cursor=${body.nextCursor}`;
      } else path = null;
    }
    expect(seen).toEqual([
      "pg-0",
      "pg-1",
      "pg-2",
      "pg-3",
      "pg-4",
      "pg-5",
      "pg-6",
      "vm-a1",
      "vm-a2",
    ]);
    // Nine items in pages of three: the third page is full, so a fourth (empty) one ends it.
    expect(pages).toBe(4);
  });

  it("shows a tenant operator only its own tenant, VMs, organizations and users", async () => {
    expect(ids(await page("/v1/tenants", operatorA))).toEqual(["A"]);
    expect(ids(await page("/v1/tenants"))).toEqual(expect.arrayContaining(["A", "B"]));
    expect(ids(await page("/v1/vms?limit=50", operatorA))).not.toContain("vm-b1");
    expect(ids(await page("/v1/vms?limit=50", operatorA))).toContain("vm-a1");
    expect(ids(await page("/v1/organizations", operatorA))).toEqual(["org-a"]);
    expect(ids(await page("/v1/users", operatorA))).toEqual(["u-a1"]);
    expect(ids(await page("/v1/users?organizationId=org-a", operatorA))).toEqual(["u-a1"]);
    // The administrator sees both tenants' users: the filter alone leaves org-b's out.
    expect(ids(await page("/v1/users?organizationId=org-a"))).toEqual(["u-a1"]);
    expect(ids(await page("/v1/vms?tenantId=A&limit=50"))).toEqual(["vm-a1", "vm-a2"]);
    expect(await (await get("/v1/tenants/A", operatorA)).json()).toMatchObject({ id: "A" });
    expect(await (await get("/v1/vms/vm-a1", operatorA)).json()).toMatchObject({ id: "vm-a1" });
  });

  it("answers a tenant operator 404 for anything of another tenant", async () => {
    for (const path of [
      "/v1/tenants/B",
      "/v1/vms/vm-b1",
      "/v1/vms?tenantId=B",
      "/v1/organizations/org-b",
      "/v1/organizations/org-r",
      "/v1/users?organizationId=org-b",
    ]) {
      const problem = await expectProblem(await get(path, operatorA), 404);
      expect(problem.detail).not.toContain("Bravo");
    }
  });

  it("rejects a bad limit or cursor with a 400 naming the parameter", async () => {
    for (const [path, field] of [
      ["/v1/tenants?limit=0", "limit"],
      ["/v1/vms?limit=abc", "limit"],
      ["/v1/organizations?limit=51", "limit"],
      ["/v1/users?limit=1&limit=2", "limit"],
      ["/v1/tenants?cursor=!!", "cursor"],
    ] as const) {
      const problem = await expectProblem(await get(path), 400);
      expect(problem.errors?.map((e) => e.field)).toEqual([field]);
    }
  });

  it("lists the read endpoints in the OpenAPI document", async () => {
    const doc = (await (await tally.fetch("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(doc.paths["/v1/tenants"]?.get?.operationId).toBe("listTenants");
    expect(doc.paths["/v1/tenants/{id}"]?.get?.operationId).toBe("getTenant");
    expect(doc.paths["/v1/vms"]?.get?.operationId).toBe("listVms");
    expect(doc.paths["/v1/vms/{id}"]?.get?.operationId).toBe("getVm");
    expect(doc.paths["/v1/organizations"]?.get?.operationId).toBe("listOrganizations");
    expect(doc.paths["/v1/organizations/{id}"]?.get?.operationId).toBe("getOrganization");
    expect(doc.paths["/v1/users"]?.get?.operationId).toBe("listUsers");
  });
});
