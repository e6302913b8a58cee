import { Context, Effect, Option, Stream } from "effect";
import { describe, expect, it } from "vitest";
import {
  describeInstant,
  ForbiddenError,
  ingestLicenseEvents,
  ingestOrganizations,
  ingestProtectionPeriods,
  ingestTenants,
  ingestUsers,
  ingestVms,
  LicenseStore,
  ProtectionPeriodStore,
  StorageError,
  type StorageFailureReason,
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
    expect(vm, "nothing of a refused batch is stored").toEqual(Option.none());
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

  it("refuses every kind of data management to a tenant operator, naming it", async () => {
    const world = makeTestWorld();
    const reasons = await Promise.all(
      [
        ingestTenants(acmeOperator, []),
        ingestVms(acmeOperator, []),
        ingestProtectionPeriods(acmeOperator, []),
        ingestOrganizations(acmeOperator, []),
        ingestUsers(acmeOperator, []),
        ingestLicenseEvents(acmeOperator, []),
      ].map(async (ingest) => ((await world.runFailure(ingest)) as ForbiddenError).reason),
    );
    expect(reasons).toEqual([
      "only administrators may ingest tenants",
      "only administrators may ingest VMs",
      "only administrators may ingest protection periods",
      "only administrators may ingest organizations",
      "only administrators may ingest users",
      "only administrators may ingest license events",
    ]);
  });

  it("names at most 20 periods that end before they start, each with its start", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const reversed = Array.from({ length: 25 }, (_, i) => ({
      id: `r${i}`,
      vmId: "vm-1",
      start: t0 + i,
      end: t0 + i - 1,
    }));
    const issues = issuesOf(await world.runFailure(ingestProtectionPeriods(admin, reversed)));
    expect(issues).toHaveLength(20);
    expect(issues[19]).toEqual({
      field: "items[19].end",
      expected: `null (still protected) or an instant after start (${describeInstant(t0 + 19)})`,
      actual: describeInstant(t0 + 18),
    });
  });

  it("says what each unknown reference should name, for at most 20 items", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const vms = Array.from({ length: 25 }, (_, i) => ({
      id: `vm-x${i}`,
      name: "x",
      tenantId: `tenant-${i}`,
    }));
    const vmIssues = issuesOf(await world.runFailure(ingestVms(admin, vms, { field: "vms" })));
    expect(vmIssues).toHaveLength(20);
    expect(vmIssues[19]).toEqual({
      field: "vms[19].tenantId",
      expected: "the id of a known tenant (ingest the tenants first)",
      actual: '"tenant-19"',
    });
    // Many items naming one unknown tenant are named up to 20 as well.
    const sameTenant = vms.map((vm) => ({ ...vm, tenantId: "tenant-404" }));
    const sameIssues = issuesOf(await world.runFailure(ingestVms(admin, sameTenant)));
    expect(sameIssues).toHaveLength(20);
    expect(sameIssues[19]?.field).toBe("items[19].tenantId");
    const periods = [{ id: "q", vmId: "vm-404", start: t0, end: null }];
    expect(issuesOf(await world.runFailure(ingestProtectionPeriods(admin, periods)))).toEqual([
      {
        field: "items[0].vmId",
        expected: "the id of a known VM (ingest the VMs first)",
        actual: '"vm-404"',
      },
    ]);
    const users = [{ id: "u", name: "ada", organizationId: "org-404" }];
    expect(issuesOf(await world.runFailure(ingestUsers(admin, users)))).toEqual([
      {
        field: "items[0].organizationId",
        expected: "the id of a known organization (ingest the organizations first)",
        actual: '"org-404"',
      },
    ]);
    const events = [{ id: "e", userId: "ghost", kind: "assigned", at: t0 }];
    const [eventIssue] = issuesOf(
      await world.runFailure(ingestLicenseEvents(admin, events, { field: "events" })),
    );
    expect(eventIssue).toMatchObject({
      field: "events[].userId",
      expected: "ids of known users (ingest the users first)",
    });
    expect(eventIssue?.actual).toContain("ghost");
  });

  describe("when a store refuses a batch", () => {
    const failing = (reason: StorageFailureReason) =>
      new StorageError({ reason, operation: "upsert", detail: "refused by the store" });
    /** Runs `effect` in `world` with the period and license stores' writes failing so. */
    const runRefused = (world: ReturnType<typeof makeTestWorld>, reason: StorageFailureReason) => {
      const periods = Context.get(world.context, ProtectionPeriodStore);
      const licenses = Context.get(world.context, LicenseStore);
      const context = world.context.pipe(
        Context.add(ProtectionPeriodStore, {
          ...periods,
          upsertPeriods: () => Effect.fail(failing(reason)),
        }),
        Context.add(LicenseStore, { ...licenses, upsertUsers: () => Effect.fail(failing(reason)) }),
      );
      return <A, E>(
        effect: Effect.Effect<A, E, ProtectionPeriodStore | TenantDirectory | LicenseStore>,
      ) => Effect.runPromise(Effect.flip(Effect.provideContext(effect, context)));
    };

    it("lets a constraint violation stand when every reference exists", async () => {
      const world = makeTestWorld();
      await world.run(seedProtection);
      await world.run(
        ingestOrganizations(admin, [{ id: "org", name: "Org", capacity: 1, tenantId: null }]),
      );
      const run = runRefused(world, "ConstraintViolation");
      const periods = [{ id: "q", vmId: "vm-1", start: t0, end: null }];
      expect(await run(ingestProtectionPeriods(admin, periods))).toEqual(
        failing("ConstraintViolation"),
      );
      const users = [{ id: "u", name: "ada", organizationId: "org" }];
      expect(await run(ingestUsers(admin, users))).toEqual(failing("ConstraintViolation"));
    });

    it("passes any other failure through, even when a reference is missing", async () => {
      const world = makeTestWorld();
      const run = runRefused(world, "Busy");
      const periods = [{ id: "q", vmId: "vm-404", start: t0, end: null }];
      expect(await run(ingestProtectionPeriods(admin, periods))).toEqual(failing("Busy"));
      const users = [{ id: "u", name: "ada", organizationId: "org-404" }];
      expect(await run(ingestUsers(admin, users))).toEqual(failing("Busy"));
    });
  });
});
