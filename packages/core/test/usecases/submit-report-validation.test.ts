import { describe, expect, it } from "vitest";
import {
  ConflictError,
  ingestOrganizations,
  type SubmitReportInput,
  submitReport,
  ValidationError,
} from "../../src/index.ts";
import { admin, DAY, makeTestWorld, seedProtection, t0, tenantReport } from "./TestWorld.ts";

const overview: SubmitReportInput = {
  type: "CreateLicenseOverviewReport",
  zone: { _tag: "Utc" },
  format: "csv",
  start: t0,
  end: t0 + DAY,
};

describe("submitReport's validation", () => {
  it("says which variant a PDF takes instead of a summary, per report type", async () => {
    const world = makeTestWorld();
    const tenant = (await world.runFailure(
      submitReport(admin, { ...tenantReport, format: "pdf", variant: "summary" }),
    )) as ValidationError;
    expect(tenant.issues).toEqual([
      {
        field: "variant",
        expected:
          "detail for a PDF (a PDF always has the summary and the detail), or the CSV format",
        actual: '"summary"',
      },
    ]);
    const license = (await world.runFailure(
      submitReport(admin, { ...overview, format: "pdf", variant: "summary" }),
    )) as ValidationError;
    expect(license.issues[0]?.expected).toBe(
      "users for a PDF (a PDF always has the summary and the detail), or the CSV format",
    );
  });

  it("accepts a summary as a CSV and keeps the variant asked for", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const tenant = await world.run(submitReport(admin, { ...tenantReport, variant: "summary" }));
    expect(tenant.task.request.variant).toBe("summary");
    const license = await world.run(submitReport(admin, { ...overview, variant: "summary" }));
    expect(license.task.request.variant).toBe("summary");
  });

  it("defaults a license overview to the users variant, without a column set", async () => {
    const world = makeTestWorld();
    const { task } = await world.run(submitReport(admin, overview));
    expect(task.request).toMatchObject({ _tag: "LicenseOverview", variant: "users" });
    expect("columns" in task.request).toBe(false);
  });

  it("refuses an overview naming both an organization and a tenant, in the caller's names", async () => {
    const world = makeTestWorld();
    const both = { ...overview, organizationId: "org-1", tenantId: "acme" };
    const plain = (await world.runFailure(submitReport(admin, both))) as ValidationError;
    expect(plain.issues).toEqual([
      {
        field: "organizationId",
        expected: "either organizationId or tenantId, not both",
        actual: '"org-1"',
      },
    ]);
    const named = (await world.runFailure(
      submitReport(admin, both, { fieldNames: { organizationId: "org", tenantId: "tenant" } }),
    )) as ValidationError;
    expect(named.issues).toEqual([
      { field: "org", expected: "either org or tenant, not both", actual: '"org-1"' },
    ]);
  });

  it("names the other bound in a reversed interval's issues", async () => {
    const world = makeTestWorld();
    const error = (await world.runFailure(
      submitReport(admin, { ...tenantReport, start: t0 + DAY, end: t0 }),
    )) as ValidationError;
    expect(error.issues[0]?.expected).toMatch(/^an instant before end /);
    expect(error.issues[1]?.expected).toMatch(/^an instant after start /);
  });

  it("refuses a start at the defaulted end: the interval would be empty", async () => {
    const world = makeTestWorld();
    const error = (await world.runFailure(
      submitReport(admin, { ...tenantReport, start: world.clock.current() }),
    )) as ValidationError;
    expect(error.issues.map((i) => i.field)).toEqual(["start"]);
  });

  it("names a request of no known type by its type field", async () => {
    const world = makeTestWorld();
    const error = (await world.runFailure(
      submitReport(admin, { ...tenantReport, type: "CreateSomething" as "CreateTenantReport" }),
    )) as ValidationError;
    expect(error.issues.map((i) => i.field)).toEqual(["type"]);
  });

  it("takes idempotency keys of 1 to 255 characters, and reports a bad one with the body's issues", async () => {
    const world = makeTestWorld();
    for (const key of ["", "k".repeat(256)]) {
      const error = (await world.runFailure(
        submitReport(admin, tenantReport, { idempotencyKey: key }),
      )) as ValidationError;
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.issues).toEqual([
        {
          field: "idempotencyKey",
          expected: "1 to 255 characters",
          actual: key === "" ? '""' : expect.stringMatching(/^"k+"… \(256 characters\)$/),
        },
      ]);
    }
    const both = (await world.runFailure(
      submitReport(admin, { ...tenantReport, format: "xls" as "csv" }, { idempotencyKey: "" }),
    )) as ValidationError;
    expect(both.issues.map((i) => i.field)).toEqual(["format", "idempotencyKey"]);
    const named = (await world.runFailure(
      submitReport(admin, tenantReport, {
        idempotencyKey: "",
        fieldNames: { idempotencyKey: "Idempotency-Key" },
      }),
    )) as ValidationError;
    expect(named.issues.map((i) => i.field)).toEqual(["Idempotency-Key"]);
    for (const key of ["k", "k".repeat(255)]) {
      const { replayed } = await world.run(
        submitReport(admin, tenantReport, { idempotencyKey: key }),
      );
      expect(replayed).toBe(false);
    }
  });

  it("binds an idempotency key to every field of the request", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    await world.run(
      ingestOrganizations(admin, [
        { id: "org-1", name: "One", capacity: 5, tenantId: "acme" },
        { id: "org-2", name: "Two", capacity: 5, tenantId: "acme" },
      ]),
    );
    const first = { ...tenantReport, start: t0, end: t0 + 2 * DAY, tenantId: "acme" };
    const changes: ReadonlyArray<SubmitReportInput> = [
      { ...first, start: t0 + 1 },
      { ...first, end: t0 + 2 * DAY - 1 },
      { ...first, tenantId: "globex" },
      { ...first, columns: "extended" },
    ];
    let n = 0;
    for (const changed of changes) {
      const key = `k-${++n}`;
      await world.run(submitReport(admin, first, { idempotencyKey: key }));
      const error = await world.runFailure(submitReport(admin, changed, { idempotencyKey: key }));
      expect(error).toBeInstanceOf(ConflictError);
    }
    const one = { ...overview, organizationId: "org-1" };
    const { task } = await world.run(submitReport(admin, one, { idempotencyKey: "k-org" }));
    const error = await world.runFailure(
      submitReport(admin, { ...one, organizationId: "org-2" }, { idempotencyKey: "k-org" }),
    );
    expect((error as ConflictError).reason).toBe(
      `the idempotency key "k-org" was already used for a different request (task '${task.id}'); use a new key for a new request`,
    );
  });

  it("replays a request that spells out the defaults it left out the first time", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const cases: ReadonlyArray<[SubmitReportInput, SubmitReportInput]> = [
      [tenantReport, { ...tenantReport, variant: "detail", columns: "vendor", separator: ";" }],
      [overview, { ...overview, variant: "users", separator: ";" }],
    ];
    for (const [i, [implicit, explicit]] of cases.entries()) {
      const key = `defaults-${i}`;
      const first = await world.run(submitReport(admin, implicit, { idempotencyKey: key }));
      const again = await world.run(submitReport(admin, explicit, { idempotencyKey: key }));
      expect(again).toEqual({ task: first.task, replayed: true });
    }
  });

  describe("tells the caller what each field should have been", () => {
    const issuesOf = async (input: unknown) =>
      (
        (await makeTestWorld().runFailure(
          submitReport(admin, input as SubmitReportInput),
        )) as ValidationError
      ).issues;
    const zones =
      "one of UTC, Local, UTC+HH:MM, UTC-HH:MM with an offset between UTC-12:00 and UTC+14:00";

    it("for a tenant report", async () => {
      expect(
        await issuesOf({
          ...tenantReport,
          start: 1.5,
          organizationId: "org-1",
          variant: "users",
          columns: "all",
          separator: "|",
        }),
      ).toEqual([
        {
          field: "start",
          expected: "an instant in whole milliseconds since 1970-01-01T00:00:00Z",
          actual: "1.5",
        },
        {
          field: "organizationId",
          expected: "no organization for a tenant report",
          actual: '"org-1"',
        },
        {
          field: "variant",
          expected: "one of detail, summary for CreateTenantReport",
          actual: '"users"',
        },
        { field: "columns", expected: "one of vendor, extended", actual: '"all"' },
        { field: "separator", expected: "one of ;, ,", actual: '"|"' },
      ]);
    });

    it("for a license overview", async () => {
      expect(
        await issuesOf({ ...overview, variant: "detail", columns: "vendor", separator: "|" }),
      ).toEqual([
        {
          field: "variant",
          expected: "one of users, summary for CreateLicenseOverviewReport",
          actual: '"detail"',
        },
        { field: "columns", expected: "no column set for a license overview", actual: '"vendor"' },
        { field: "separator", expected: "one of ;, ,", actual: '"|"' },
      ]);
      expect(
        await issuesOf({
          type: "CreateLicenseOverviewReport",
          zone: { _tag: "Utc" },
          format: "csv",
        }),
      ).toEqual([
        {
          field: "start",
          expected: "the start of the interval (a license overview needs both bounds)",
          actual: "nothing",
        },
        {
          field: "end",
          expected: "the end of the interval (a license overview needs both bounds)",
          actual: "nothing",
        },
      ]);
      expect(await issuesOf({ ...overview, end: 2.5 })).toEqual([
        {
          field: "end",
          expected: "an instant in whole milliseconds since 1970-01-01T00:00:00Z",
          actual: "2.5",
        },
      ]);
    });

    it("for a zone it does not accept, of either report type", async () => {
      // Offsets beyond UTC-12:00 and UTC+14:00 are well-formed specs that no API text names.
      for (const zone of [
        { _tag: "Offset", minutes: 15 * 60 },
        { _tag: "Offset", minutes: -13 * 60 },
        { _tag: "Fixed", offsetMinutes: 60 },
        "UTC",
      ]) {
        for (const base of [tenantReport, overview]) {
          expect(await issuesOf({ ...base, zone })).toEqual([
            { field: "zone", expected: zones, actual: JSON.stringify(zone) },
          ]);
        }
      }
    });

    it("for a request of no known type", async () => {
      const input = { ...tenantReport, type: "CreateSomething" };
      expect(await issuesOf(input)).toEqual([
        {
          field: "type",
          expected: "a type of CreateTenantReport or CreateLicenseOverviewReport",
          actual: JSON.stringify(input),
        },
      ]);
    });
  });
});
