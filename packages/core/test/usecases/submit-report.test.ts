import { describe, expect, it } from "vitest";
import {
  ConflictError,
  ForbiddenError,
  getTask,
  ingestOrganizations,
  NotFoundError,
  type SubmitReportInput,
  submitReport,
  ValidationError,
} from "../../src/index.ts";
import {
  acmeOperator,
  admin,
  DAY,
  globexOperator,
  makeTestWorld,
  seedProtection,
  t0,
  tenantReport,
} from "./TestWorld.ts";

describe("submitReport", () => {
  it("rejects a reversed interval with one issue naming each bound, in the caller's field names", async () => {
    const world = makeTestWorld();
    const error = await world.runFailure(
      submitReport(
        admin,
        { ...tenantReport, start: t0 + DAY, end: t0 },
        { fieldNames: { start: "from", end: "to" } },
      ),
    );
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    expect(issues.map((i) => i.field)).toEqual(["from", "to"]);
    expect(issues[0]?.actual).toBe("2024-01-02T00:00:00+00:00");
    expect(issues[1]?.actual).toBe("2024-01-01T00:00:00+00:00");
  });

  it("rejects equal bounds as an empty interval naming both fields", async () => {
    const world = makeTestWorld();
    const error = (await world.runFailure(
      submitReport(admin, { ...tenantReport, start: t0, end: t0 }),
    )) as ValidationError;
    expect(error.issues.map((i) => i.field)).toEqual(["start", "end"]);
  });

  it("reports every problem of a request at once", async () => {
    const world = makeTestWorld();
    const error = (await world.runFailure(
      submitReport(admin, {
        ...tenantReport,
        format: "xls" as "csv",
        variant: "users",
        separator: "|" as ";",
        start: 1.5,
      }),
    )) as ValidationError;
    expect(error.issues.map((i) => i.field).sort()).toEqual([
      "format",
      "separator",
      "start",
      "variant",
    ]);
    expect(error.issues.find((i) => i.field === "format")?.actual).toBe('"xls"');
  });

  it("requires both bounds for a license overview", async () => {
    const world = makeTestWorld();
    const error = (await world.runFailure(
      submitReport(admin, {
        type: "CreateLicenseOverviewReport",
        zone: { _tag: "Utc" },
        format: "csv",
      }),
    )) as ValidationError;
    expect(error.issues.map((i) => i.field)).toEqual(["start", "end"]);
  });

  it("rejects a summary variant for a PDF, which always has both", async () => {
    const world = makeTestWorld();
    const error = (await world.runFailure(
      submitReport(admin, { ...tenantReport, format: "pdf", variant: "summary" }),
    )) as ValidationError;
    expect(error.issues.map((i) => i.field)).toEqual(["variant"]);
  });

  it("refuses a tenant operator asking for all tenants", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const error = await world.runFailure(submitReport(acmeOperator, tenantReport));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).reason).toContain("not on all tenants");
  });

  it("refuses a tenant operator asking for another tenant, whether or not it exists", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    for (const tenantId of ["globex", "no-such-tenant"]) {
      const error = await world.runFailure(
        submitReport(acmeOperator, { ...tenantReport, tenantId }),
      );
      expect(error).toBeInstanceOf(ForbiddenError);
    }
  });

  it("answers not found for an unknown tenant", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const error = await world.runFailure(
      submitReport(admin, { ...tenantReport, tenantId: "initech" }),
    );
    expect(error).toEqual(new NotFoundError({ resource: "tenant", id: "initech" }));
  });

  it("answers not found for an unknown organization", async () => {
    const world = makeTestWorld();
    const error = await world.runFailure(
      submitReport(admin, {
        type: "CreateLicenseOverviewReport",
        zone: { _tag: "Utc" },
        format: "csv",
        start: t0,
        end: t0 + DAY,
        organizationId: "umbrella",
      }),
    );
    expect(error).toEqual(new NotFoundError({ resource: "organization", id: "umbrella" }));
  });

  it("lets an operator ask for an organization of its tenant only, learning nothing of others", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    await world.run(
      ingestOrganizations(admin, [
        { id: "org-acme", name: "A", capacity: 1, tenantId: "acme" },
        { id: "org-globex", name: "G", capacity: 1, tenantId: "globex" },
      ]),
    );
    const overview = (organizationId: string): SubmitReportInput => ({
      type: "CreateLicenseOverviewReport",
      zone: { _tag: "Utc" },
      format: "csv",
      start: t0,
      end: t0 + DAY,
      organizationId,
    });
    const { task } = await world.run(submitReport(acmeOperator, overview("org-acme")));
    expect(task.tenantScope).toBe("acme");
    expect(task.request).toMatchObject({
      _tag: "LicenseOverview",
      organizations: { _tag: "OneOrganization", organizationId: "org-acme" },
      variant: "users",
    });
    for (const other of ["org-globex", "org-unknown"]) {
      expect(await world.runFailure(submitReport(acmeOperator, overview(other)))).toBeInstanceOf(
        ForbiddenError,
      );
    }
  });

  it("gives a license overview that names no organization what the caller may see", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const overview: SubmitReportInput = {
      type: "CreateLicenseOverviewReport",
      zone: { _tag: "Utc" },
      format: "csv",
      start: t0,
      end: t0 + DAY,
    };
    const own = await world.run(submitReport(acmeOperator, overview));
    expect(own.task.tenantScope).toBe("acme");
    expect(own.task.request).toMatchObject({
      organizations: { _tag: "OrganizationsOfTenant", tenantId: "acme" },
    });
    const all = await world.run(submitReport(admin, overview));
    expect(all.task.tenantScope).toBeNull();
    expect(all.task.request).toMatchObject({ organizations: { _tag: "AllOrganizations" } });
  });

  it("answers not found for the organizations of an unknown tenant", async () => {
    const world = makeTestWorld();
    const error = await world.runFailure(
      submitReport(admin, {
        type: "CreateLicenseOverviewReport",
        zone: { _tag: "Utc" },
        format: "csv",
        start: t0,
        end: t0 + DAY,
        tenantId: "initech",
      }),
    );
    expect(error).toEqual(new NotFoundError({ resource: "tenant", id: "initech" }));
  });

  it("queues a task scoped to the operator's own tenant, with defaults resolved", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const { task, replayed } = await world.run(
      submitReport(acmeOperator, { ...tenantReport, tenantId: "acme" }),
    );
    expect(replayed).toBe(false);
    expect(task.state).toEqual({ _tag: "Queued" });
    expect(task.tenantScope).toBe("acme");
    expect(task.createdAt).toBe(world.clock.current());
    expect(task.request).toEqual({
      _tag: "TenantReport",
      // start: acme's earliest period; end: now.
      interval: { start: t0, end: world.clock.current() },
      zone: { spec: "UTC", resolved: { _tag: "Fixed", offsetMinutes: 0 } },
      tenant: { _tag: "OneTenant", tenantId: "acme" },
      format: "csv",
      variant: "detail",
      columns: "vendor",
      separator: ";",
    });
  });

  it("defaults an empty store's interval to the empty interval at now", async () => {
    const world = makeTestWorld();
    const { task } = await world.run(submitReport(admin, tenantReport));
    const now = world.clock.current();
    expect(task.request.interval).toEqual({ start: now, end: now });
  });

  it("never defaults start past an explicit end", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const { task } = await world.run(submitReport(admin, { ...tenantReport, end: t0 - DAY }));
    expect(task.request.interval).toEqual({ start: t0 - DAY, end: t0 - DAY });
  });

  it("rejects a start after the defaulted end, naming start", async () => {
    const world = makeTestWorld();
    const error = (await world.runFailure(
      submitReport(admin, { ...tenantReport, start: world.clock.current() + DAY }),
    )) as ValidationError;
    expect(error.issues.map((i) => i.field)).toEqual(["start"]);
    expect(error.issues[0]?.expected).toContain("defaults to now");
  });

  it("resolves Local to the configured zone", async () => {
    const world = makeTestWorld({ settings: { localZone: "Europe/Berlin" } });
    const { task } = await world.run(
      submitReport(admin, { ...tenantReport, zone: { _tag: "Local" }, start: t0, end: t0 + DAY }),
    );
    expect(task.request.zone).toEqual({
      spec: "Local",
      resolved: { _tag: "Iana", name: "Europe/Berlin" },
    });
  });

  it("replays the first task for the same idempotency key and input, even later", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const first = await world.run(submitReport(admin, tenantReport, { idempotencyKey: "k-1" }));
    await world.run(world.clock.advance(60_000));
    const again = await world.run(submitReport(admin, tenantReport, { idempotencyKey: "k-1" }));
    expect(again).toEqual({ task: first.task, replayed: true });
  });

  it("refuses an idempotency key no backend can store, naming it in the caller's words", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    for (const [key, found] of [
      ["k\u0000", "NUL (U+0000) at index 1"],
      ["\udc00k", "a lone surrogate U+DC00 at index 0"],
    ] as const) {
      const error = await world.runFailure(
        submitReport(admin, tenantReport, {
          idempotencyKey: key,
          fieldNames: { idempotencyKey: "Idempotency-Key" },
        }),
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        {
          field: "Idempotency-Key",
          expected: "text with no NUL (U+0000) and no lone surrogate (U+D800–U+DFFF)",
          actual: `${JSON.stringify(key)} (${found})`,
        },
      ]);
    }
    const { task } = await world.run(
      submitReport(admin, tenantReport, { idempotencyKey: "cle\u0301-😀" }),
    );
    expect(task.idempotencyKey).toBe("cle\u0301-😀");
  });

  it("refuses the same idempotency key with a different input as a conflict", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    await world.run(submitReport(admin, tenantReport, { idempotencyKey: "k-1" }));
    const error = await world.runFailure(
      submitReport(admin, { ...tenantReport, separator: "," }, { idempotencyKey: "k-1" }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).reason).toContain("task-000001");
  });

  it("scopes idempotency keys to the principal", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const acme = await world.run(
      submitReport(acmeOperator, { ...tenantReport, tenantId: "acme" }, { idempotencyKey: "k" }),
    );
    const globex = await world.run(
      submitReport(
        globexOperator,
        { ...tenantReport, tenantId: "globex" },
        { idempotencyKey: "k" },
      ),
    );
    expect(globex.replayed).toBe(false);
    expect(globex.task.id).not.toBe(acme.task.id);
  });

  it("hides a task from another tenant's operator as not found", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const { task } = await world.run(
      submitReport(acmeOperator, { ...tenantReport, tenantId: "acme" }),
    );
    expect(await world.run(getTask(acmeOperator, task.id))).toEqual(task);
    expect(await world.run(getTask(admin, task.id))).toEqual(task);
    const error = await world.runFailure(getTask(globexOperator, task.id));
    expect(error).toEqual(new NotFoundError({ resource: "task", id: task.id }));
  });
});
