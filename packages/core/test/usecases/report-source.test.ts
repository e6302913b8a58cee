/**
 * What a renderer is handed: the report content read lazily from the stores, the row meter's
 * checkpoints (how often, with what progress), the row count a stored report records, and the
 * same content made at once for an embedding service (`tenantReport`, `licenseOverview`).
 */
import { Context, Effect, Stream } from "effect";
import { describe, expect, it } from "vitest";
import {
  ForbiddenError,
  ingestLicenseEvents,
  ingestOrganizations,
  ingestUsers,
  type LicenseOverviewRequest,
  licenseOverview,
  ProtectionPeriodStore,
  type TenantReportRequest,
  tenantReport,
  ValidationError,
} from "../../src/index.ts";
import { licenseOverviewSource, tenantReportSource } from "../../src/usecases/ReportSource.ts";
import {
  acmeOperator,
  admin,
  DAY,
  globexOperator,
  licenseOverviewRequest,
  makeTestWorld,
  seedProtection,
  t0,
  tenantReportRequest,
} from "./TestWorld.ts";

/** A world with the seeded periods, streamed by the store one row per chunk. */
const rowByRowWorld = async () => {
  const world = makeTestWorld();
  await world.run(seedProtection);
  const inner = Context.get(world.context, ProtectionPeriodStore);
  const store = ProtectionPeriodStore.of({
    ...inner,
    streamOverlapping: (interval, filter) =>
      Stream.rechunk(inner.streamOverlapping(interval, filter), 1),
  });
  return { world, store };
};

/** Runs a tenant report's source with a meter that records every checkpoint's progress. */
const meteredTenantReport = async (
  request: TenantReportRequest,
  progressEveryRows: number,
  read: "lines" | "summaries then lines",
) => {
  const { world, store } = await rowByRowWorld();
  const checkpoints: Array<number> = [];
  const checkpoint = (progress: number) => Effect.sync(() => void checkpoints.push(progress));
  const rows = await world.run(
    Effect.gen(function* () {
      const source = yield* tenantReportSource("task-1", request, t0 + 10 * DAY, {
        progressEveryRows,
        checkpoint,
      });
      const summaries = read === "lines" ? undefined : (yield* source.content.summaries).length;
      const lines = (yield* Stream.runCollect(source.content.lines)).length;
      return { summaries, lines, rowCount: source.rowCount(), source };
    }).pipe(Effect.provideService(ProtectionPeriodStore, store)),
  );
  return { checkpoints, ...rows };
};

describe("the row meter", () => {
  // The seeded world has 5 periods: a CSV reads them once, a PDF twice (summaries, then lines).
  it("checks in every `progressEveryRows` rows with the share of the rows read so far", async () => {
    const csv = await meteredTenantReport(tenantReportRequest(), 2, "lines");
    expect(csv.checkpoints).toEqual([40, 80]);
    const every3 = await meteredTenantReport(tenantReportRequest(), 3, "lines");
    expect(every3.checkpoints).toEqual([60]);
  });

  it("expects a PDF to read the rows twice, and stays below 100 until the report is stored", async () => {
    const pdf = await meteredTenantReport(
      tenantReportRequest({ format: "pdf" }),
      2,
      "summaries then lines",
    );
    expect(pdf.checkpoints).toEqual([20, 40, 60, 80, 99]);
  });

  it("checks in at every row when asked for fewer than one row between checkpoints", async () => {
    const { checkpoints } = await meteredTenantReport(tenantReportRequest(), 0, "lines");
    expect(checkpoints).toEqual([20, 40, 60, 80, 99]);
  });
});

describe("a report's row count", () => {
  it("is the number of lines of a detail report, and of summaries of a summary CSV", async () => {
    const detail = await meteredTenantReport(tenantReportRequest(), 100, "summaries then lines");
    // acme/vm-1 (merged), acme/vm-2, globex/vm-3, (no tenant)/vm-9; three tenants' summaries.
    expect([detail.lines, detail.summaries, detail.rowCount]).toEqual([4, 3, 4]);
    const summary = await meteredTenantReport(
      tenantReportRequest({ variant: "summary" }),
      100,
      "summaries then lines",
    );
    expect([summary.lines, summary.summaries, summary.rowCount]).toEqual([4, 3, 3]);
    // A PDF of the summary variant still lists every line.
    const pdf = await meteredTenantReport(
      tenantReportRequest({ variant: "summary", format: "pdf" }),
      100,
      "summaries then lines",
    );
    expect(pdf.rowCount).toBe(4);
  });

  it("names the tenant of a one-tenant report, and no tenant otherwise", async () => {
    const one = await meteredTenantReport(
      tenantReportRequest({ tenant: { _tag: "OneTenant", tenantId: "globex" } }),
      100,
      "lines",
    );
    expect(one.source.content.tenantName).toBe("Глобекс");
    expect(one.lines).toBe(1);
    const all = await meteredTenantReport(tenantReportRequest(), 100, "lines");
    expect(all.source.content.tenantName).toBeNull();
  });
});

describe("a license overview's content", () => {
  /** 1,001 organizations, two of which (the first and the last by id) have a user. */
  const manyOrganizations = Effect.gen(function* () {
    yield* seedProtection;
    yield* ingestOrganizations(
      admin,
      Array.from({ length: 1001 }, (_, i) => ({
        id: `org-${String(i).padStart(4, "0")}`,
        name: `Org ${i}`,
        capacity: 1,
        tenantId: "acme",
      })),
    );
    yield* ingestUsers(admin, [
      { id: "u-first", name: "first", organizationId: "org-0000" },
      { id: "u-last", name: "last", organizationId: "org-1000" },
    ]);
    yield* ingestLicenseEvents(admin, [
      { id: "e-1", userId: "u-first", kind: "assigned", at: t0 + DAY },
      { id: "e-2", userId: "u-last", kind: "assigned", at: t0 + 2 * DAY },
    ]);
  });

  const overview = async (request: LicenseOverviewRequest) => {
    const world = makeTestWorld();
    await world.run(manyOrganizations);
    return world.run(
      Effect.gen(function* () {
        const source = yield* licenseOverviewSource("task-1", request, t0 + 10 * DAY, {
          progressEveryRows: 1000,
          checkpoint: () => Effect.void,
        });
        const summaries = yield* source.content.summaries;
        const users = yield* Stream.runCollect(source.content.users);
        return { summaries, users, rowCount: source.rowCount() };
      }),
    );
  };

  it("summarizes every organization, past the first thousand, and counts users or summaries", async () => {
    const users = await overview(licenseOverviewRequest());
    expect(users.summaries).toHaveLength(1001);
    expect(users.summaries.at(-1)).toMatchObject({ organizationId: "org-1000", newUsers: 1 });
    expect(users.users.map((u) => [u.organizationId, u.userId])).toEqual([
      ["org-0000", "u-first"],
      ["org-1000", "u-last"],
    ]);
    expect(users.rowCount).toBe(2);
    expect((await overview(licenseOverviewRequest({ variant: "summary" }))).rowCount).toBe(1001);
    expect(
      (await overview(licenseOverviewRequest({ variant: "summary", format: "pdf" }))).rowCount,
    ).toBe(2);
  });
});

describe("reports made at once", () => {
  const seeded = async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    return world;
  };

  it("gives a tenant report's lines and summaries in the zone asked for, as text or as a zone", async () => {
    const world = await seeded();
    const content = await world.run(
      tenantReport(acmeOperator, {
        tenantId: "acme",
        zone: "UTC+05:30",
        start: t0,
        end: t0 + 7 * DAY,
      }),
    );
    expect(content.taskId).toBe("report-000001");
    expect(content.tenantName).toBe("Acme Ltd");
    expect(content.request).toMatchObject({
      tenant: { _tag: "OneTenant", tenantId: "acme" },
      zone: { resolved: { _tag: "Fixed", offsetMinutes: 330 } },
      format: "csv",
      variant: "detail",
    });
    const lines = await world.run(Stream.runCollect(content.lines));
    expect(lines.map((l) => [l.vmId, l.start])).toEqual([
      ["vm-1", t0],
      ["vm-2", t0 + 5 * DAY],
    ]);
    const summaries = await world.run(content.summaries);
    expect(summaries.map((s) => [s.tenantId, s.vmCount])).toEqual([["acme", 2]]);
    const again = await world.run(
      tenantReport(admin, { zone: { _tag: "Utc" }, format: "pdf", start: t0, end: t0 + DAY }),
    );
    expect(again.taskId).toBe("report-000002");
    expect(again.request).toMatchObject({
      tenant: { _tag: "AllTenants" },
      zone: { resolved: { _tag: "Fixed", offsetMinutes: 0 } },
      format: "pdf",
    });
  });

  it("defaults to UTC and refuses a zone it cannot read, naming the zone", async () => {
    const world = await seeded();
    const content = await world.run(tenantReport(admin, { start: t0, end: t0 + DAY }));
    expect(content.request.zone.resolved).toEqual({ _tag: "Fixed", offsetMinutes: 0 });
    const error = await world.runFailure(tenantReport(admin, { zone: "Mars/Olympus" }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.field)).toEqual(["zone"]);
    expect(
      await world.runFailure(tenantReport(globexOperator, { tenantId: "acme" })),
    ).toBeInstanceOf(ForbiddenError);
  });

  it("gives a license overview's users and summaries, within what the principal may see", async () => {
    const world = await seeded();
    await world.run(
      Effect.gen(function* () {
        yield* ingestOrganizations(admin, [
          { id: "org-a", name: "A", capacity: 1, tenantId: "acme" },
          { id: "org-g", name: "G", capacity: 1, tenantId: "globex" },
        ]);
        yield* ingestUsers(admin, [
          { id: "u-1", name: "one", organizationId: "org-a" },
          { id: "u-2", name: "two", organizationId: "org-g" },
        ]);
        yield* ingestLicenseEvents(admin, [
          { id: "e-1", userId: "u-1", kind: "assigned", at: t0 + DAY },
          { id: "e-2", userId: "u-2", kind: "assigned", at: t0 + DAY },
        ]);
      }),
    );
    const content = await world.run(
      licenseOverview(acmeOperator, { zone: "UTC", start: t0, end: t0 + 7 * DAY }),
    );
    expect(content.taskId).toBe("report-000001");
    expect(content.request).toMatchObject({ format: "csv", variant: "users" });
    expect((await world.run(Stream.runCollect(content.users))).map((u) => u.userId)).toEqual([
      "u-1",
    ]);
    expect((await world.run(content.summaries)).map((s) => s.organizationId)).toEqual(["org-a"]);
    expect(
      await world.runFailure(
        licenseOverview(acmeOperator, { organizationId: "org-g", start: t0, end: t0 + DAY }),
      ),
    ).toBeInstanceOf(ForbiddenError);
  });
});
