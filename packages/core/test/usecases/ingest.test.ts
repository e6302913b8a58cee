import { Effect, Option, Stream } from "effect";
import { describe, expect, it } from "vitest";
import {
  ForbiddenError,
  ingestLicenseEvents,
  ingestOrganizations,
  ingestProtectionPeriods,
  ingestTenants,
  ingestUsers,
  ingestVms,
  ProtectionPeriodStore,
  TenantDirectory,
  ValidationError,
} from "../../src/index.ts";
import { acmeOperator, admin, DAY, makeTestWorld, seedProtection, t0 } from "./TestWorld.ts";

const issuesOf = (error: unknown) => {
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues;
};

describe("data management", () => {
  it("is for administrators only", async () => {
    const world = makeTestWorld();
    const error = await world.runFailure(ingestTenants(acmeOperator, [{ id: "x", name: "X" }]));
    expect(error).toEqual(new ForbiddenError({ reason: "only administrators may ingest tenants" }));
  });

  it("stores facts and counts them; sending them again changes nothing", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    await world.run(seedProtection);
    const rows = await world.run(
      Effect.gen(function* () {
        const store = yield* ProtectionPeriodStore;
        return yield* Stream.runCollect(
          store.streamOverlapping({ start: t0, end: t0 + 10 * DAY }, { _tag: "AllTenants" }),
        );
      }),
    );
    expect(rows).toHaveLength(5);
    expect(await world.run(ingestTenants(admin, [{ id: "initech", name: "Initech ™" }]))).toBe(1);
  });

  it("names every malformed field by its path, with what was expected and given", async () => {
    const world = makeTestWorld();
    const issues = issuesOf(
      await world.runFailure(
        ingestTenants(admin, [{ id: "ok", name: "fine" }, { id: "", name: 5 }, { name: "no id" }], {
          field: "tenants",
        }),
      ),
    );
    expect(issues).toEqual([
      { field: "tenants[1].id", expected: "a value with a length of at least 1", actual: '""' },
      { field: "tenants[1].name", expected: "string", actual: "5" },
      { field: "tenants[2].id", expected: "a value (the field is required)", actual: "nothing" },
    ]);
    expect(issuesOf(await world.runFailure(ingestTenants(admin, { id: "x" })))[0]).toMatchObject({
      field: "items",
      expected: "an array of items",
    });
  });

  it("refuses text that cannot be stored as sent: lone surrogates and NUL", async () => {
    const world = makeTestWorld();
    const issues = issuesOf(
      await world.runFailure(
        ingestTenants(admin, [
          { id: "a", name: "bad \uD800 half" },
          { id: "b\u0000", name: "nul" },
        ]),
      ),
    );
    expect(issues.map((i) => i.field)).toEqual(["items[0].name", "items[1].id"]);
  });

  it("refuses VMs of unknown tenants and periods of unknown VMs, naming the items", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const vmIssues = issuesOf(
      await world.runFailure(
        ingestVms(admin, [
          { id: "vm-x", name: "x", tenantId: "acme" },
          { id: "vm-y", name: "y", tenantId: "umbrella" },
        ]),
      ),
    );
    expect(vmIssues).toEqual([
      {
        field: "items[1].tenantId",
        expected: "the id of a known tenant (ingest the tenants first)",
        actual: '"umbrella"',
      },
    ]);
    const periodIssues = issuesOf(
      await world.runFailure(
        ingestProtectionPeriods(admin, [
          { id: "q1", vmId: "vm-1", start: t0, end: null },
          { id: "q2", vmId: "vm-404", start: t0, end: null },
        ]),
      ),
    );
    expect(periodIssues.map((i) => i.field)).toEqual(["items[1].vmId"]);
    const vm = await world.run(
      Effect.gen(function* () {
        return yield* (yield* TenantDirectory).getVm("vm-x");
      }),
    );
    expect(Option.isNone(vm), "nothing of a refused batch is stored").toBe(true);
  });

  it("refuses a period that ends before it starts", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const issues = issuesOf(
      await world.runFailure(
        ingestProtectionPeriods(admin, [{ id: "q", vmId: "vm-1", start: t0, end: t0 }]),
      ),
    );
    expect(issues.map((i) => i.field)).toEqual(["items[0].end"]);
  });

  it("refuses users of unknown organizations and events of unknown users", async () => {
    const world = makeTestWorld();
    await world.run(
      ingestOrganizations(admin, [{ id: "org", name: "Org", capacity: 3, tenantId: null }]),
    );
    const userIssues = issuesOf(
      await world.runFailure(
        ingestUsers(admin, [{ id: "u", name: "ada@example.org", organizationId: "nope" }]),
      ),
    );
    expect(userIssues.map((i) => i.field)).toEqual(["items[0].organizationId"]);
    const eventIssues = issuesOf(
      await world.runFailure(
        ingestLicenseEvents(admin, [{ id: "e", userId: "ghost", kind: "assigned", at: t0 }]),
      ),
    );
    expect(eventIssues[0]?.field).toBe("items[].userId");
    expect(
      issuesOf(
        await world.runFailure(
          ingestLicenseEvents(admin, [{ id: "e", userId: "ghost", kind: "granted", at: t0 }]),
        ),
      )[0]?.field,
    ).toBe("items[0].kind");
  });
});
