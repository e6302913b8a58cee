/**
 * Reading stored reports and facts past one page, the not-found answers that name what was
 * missing, and the housekeeping use cases over more tasks than one page or one sweep holds.
 */
import { Effect, Logger, Option, References, Result, Stream } from "effect";
import { describe, expect, it } from "vitest";
import {
  claimTask,
  deleteReport,
  getOrganizationFor,
  getReport,
  getTenantFor,
  ingestOrganizations,
  ingestUsers,
  listReports,
  listTenantsFor,
  listUsersFor,
  listVmsFor,
  NotFoundError,
  newTask,
  type ReportDraft,
  ReportStore,
  type ReportTask,
  releaseHeldTasks,
  sweepExpiredLeases,
  TaskStore,
} from "../../src/index.ts";
import {
  acmeOperator,
  admin,
  DAY,
  globexOperator,
  makeTestWorld,
  seedProtection,
  t0,
  tenantReportRequest,
} from "./TestWorld.ts";

describe("listing and deleting reports", () => {
  const now = Date.UTC(2024, 2, 1);
  /** A stored report of `acme`, created `n` ms after t0, expiring at `expiresAt`. */
  const draft = (n: number, expiresAt: number): ReportDraft => ({
    id: `r-${n}`,
    taskId: `task-${n}`,
    type: "CreateTenantReport",
    format: "csv",
    contentType: "text/csv",
    fileName: `r-${n}.csv`,
    request: tenantReportRequest(),
    tenantScope: "acme",
    createdAt: t0 + n,
    expiresAt,
  });
  const put = (d: ReportDraft) =>
    Effect.flatMap(Effect.service(ReportStore), (store) =>
      store.put({
        draft: d,
        content: Stream.make(new TextEncoder().encode("x")),
        rowCount: () => 1,
      }),
    );
  /** Two expired reports (one expiring exactly now), then three live ones. */
  const seedReports = Effect.forEach(
    [
      draft(1, now - 1),
      draft(2, now),
      draft(3, now + DAY),
      draft(4, now + DAY),
      draft(5, now + DAY),
    ],
    put,
  );

  it("skips expired reports and reads on until the page is full", async () => {
    const world = makeTestWorld({ now });
    await world.run(seedReports);
    const ids = async (query: Parameters<typeof listReports>[1]) =>
      (await world.run(listReports(acmeOperator, query))).map((m) => m.id);
    expect(await ids({ limit: 2 })).toEqual(["r-3", "r-4"]);
    expect(await ids({ limit: 2, after: { createdAt: t0 + 4, id: "r-4" } })).toEqual(["r-5"]);
    expect(await ids({ limit: 10 })).toEqual(["r-3", "r-4", "r-5"]);
    expect(await world.run(listReports(globexOperator, { limit: 2 }))).toEqual([]);
  });

  it("answers not found for a report whose retention ends now", async () => {
    const world = makeTestWorld({ now });
    await world.run(seedReports);
    expect(await world.runFailure(getReport(admin, "r-2"))).toEqual(
      new NotFoundError({ resource: "report", id: "r-2" }),
    );
    expect((await world.run(getReport(admin, "r-3"))).id).toBe("r-3");
  });

  it("answers not found when the report is deleted by someone else between reading and deleting it", async () => {
    const world = makeTestWorld({
      now,
      // Another deleter wins the race: by the time this delete runs, the report is gone.
      reportStore: (inner) => ({
        ...inner,
        delete: (id) => Effect.andThen(inner.delete(id), inner.delete(id)),
      }),
    });
    await world.run(seedReports);
    expect(await world.runFailure(deleteReport(acmeOperator, "r-3"))).toEqual(
      new NotFoundError({ resource: "report", id: "r-3" }),
    );
    expect(await world.runFailure(getReport(admin, "r-3"))).toBeInstanceOf(NotFoundError);
  });
});

describe("reading facts", () => {
  it("names the kind of fact and the id that was not found", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    await world.run(
      ingestOrganizations(admin, [{ id: "org-g", name: "G", capacity: 1, tenantId: "globex" }]),
    );
    expect(await world.runFailure(getTenantFor(admin, "initech"))).toEqual(
      new NotFoundError({ resource: "tenant", id: "initech" }),
    );
    expect(await world.runFailure(getOrganizationFor(admin, "org-x"))).toEqual(
      new NotFoundError({ resource: "organization", id: "org-x" }),
    );
    expect(await world.runFailure(getOrganizationFor(acmeOperator, "org-g"))).toEqual(
      new NotFoundError({ resource: "organization", id: "org-g" }),
    );
    expect(await world.runFailure(listVmsFor(admin, { tenantId: "initech", limit: 10 }))).toEqual(
      new NotFoundError({ resource: "tenant", id: "initech" }),
    );
  });

  it("pages the VMs of one named tenant, and an operator's own tenant after an earlier id", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const vmIds = async (page: Parameters<typeof listVmsFor>[1]) =>
      (await world.run(listVmsFor(admin, page))).map((v) => v.id);
    expect(await vmIds({ tenantId: "acme", limit: 1 })).toEqual(["vm-1"]);
    expect(await vmIds({ tenantId: "acme", after: "vm-1", limit: 1 })).toEqual(["vm-2"]);
    expect(await vmIds({ tenantId: "acme", after: "vm-2", limit: 5 })).toEqual([]);
    expect(
      (await world.run(listTenantsFor(acmeOperator, { after: "a", limit: 5 }))).map((t) => t.id),
    ).toEqual(["acme"]);
  });

  it("finds an operator's users in every organization of its tenant, past the first thousand", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const organizations = Array.from({ length: 1001 }, (_, i) => ({
      id: `org-${String(i).padStart(4, "0")}`,
      name: `Org ${i}`,
      capacity: 1,
      tenantId: "acme",
    }));
    await world.run(ingestOrganizations(admin, organizations));
    await world.run(
      ingestUsers(admin, [
        { id: "u-first", name: "first", organizationId: "org-0000" },
        { id: "u-last", name: "last", organizationId: "org-1000" },
      ]),
    );
    expect((await world.run(listUsersFor(acmeOperator, { limit: 10 }))).map((u) => u.id)).toEqual([
      "u-first",
      "u-last",
    ]);
    expect(await world.run(listUsersFor(globexOperator, { limit: 10 }))).toEqual([]);
  });
});

describe("housekeeping", () => {
  const task = (n: number): ReportTask =>
    newTask({
      id: `task-${String(n).padStart(4, "0")}`,
      type: "CreateTenantReport",
      request: tenantReportRequest(),
      principal: admin,
      tenantScope: null,
      now: t0 + n,
      maxAttempts: 3,
      idempotencyKey: null,
    });

  /** `count` tasks, claimed in creation order by the worker `workerOf(n)` with a minute's lease. */
  const claimedTasks = (count: number, workerOf: (n: number) => string) =>
    Effect.gen(function* () {
      const store = yield* TaskStore;
      for (let n = 1; n <= count; n++) yield* store.insert(task(n));
      for (let n = 1; n <= count; n++) {
        yield* store.claimNext((queued) =>
          Result.getOrThrow(
            claimTask(queued, { workerId: workerOf(n), now: t0 + 5000, leaseMs: 60_000 }),
          ),
        );
      }
    });

  const states = (ids: ReadonlyArray<string>) =>
    Effect.flatMap(Effect.service(TaskStore), (store) =>
      Effect.forEach(ids, (id) =>
        Effect.map(store.get(id), (found) => Option.getOrThrow(found).state._tag),
      ),
    );

  it("releases the held tasks of a process's workers however many pages of running tasks there are", async () => {
    const world = makeTestWorld({ now: t0 + 10_000 });
    const workerOf = (n: number) => (n % 3 === 0 ? "theirs/w1" : `mine/w${n % 2}`);
    await world.run(claimedTasks(450, workerOf));
    const released = await world.run(
      releaseHeldTasks(new Set(["mine/w0", "mine/w1"])).pipe(Effect.provide(Logger.layer([]))),
    );
    const mine = Array.from({ length: 450 }, (_, i) => i + 1).filter((n) => n % 3 !== 0);
    expect(released.map((t) => t.id)).toEqual(mine.map((n) => task(n).id));
    expect(new Set(released.map((t) => t.state._tag))).toEqual(new Set(["Queued"]));
    expect(await world.run(states([task(449).id, task(450).id]))).toEqual(["Queued", "Running"]);
  });

  it("logs each released task with its id, the worker that held it and the state it went to", async () => {
    const world = makeTestWorld({ now: t0 + 10_000 });
    await world.run(claimedTasks(2, (n) => `mine/w${n}`));
    const lines: Array<{ message: unknown; annotations: Record<string, unknown> }> = [];
    const capture = Logger.make((options) => {
      lines.push({
        message: options.message,
        annotations: { ...options.fiber.getRef(References.CurrentLogAnnotations) },
      });
    });
    await world.run(
      releaseHeldTasks(new Set(["mine/w2"])).pipe(Effect.provide(Logger.layer([capture]))),
    );
    expect(lines).toEqual([
      {
        message: ["task released"],
        annotations: { taskId: task(2).id, workerId: "mine/w2", state: "Queued" },
      },
    ]);
  });

  it("sweeps at most `limit` expired leases at a time (500 unless told), leaving the rest to the next sweep", async () => {
    const world = makeTestWorld({ now: t0 });
    await world.run(claimedTasks(503, () => "gone/w1"));
    await world.run(world.clock.setTo(t0 + 5000 + 60_001));
    expect(await world.run(sweepExpiredLeases({ limit: 2 }))).toBe(2);
    expect(await world.run(sweepExpiredLeases())).toBe(500);
    expect(await world.run(sweepExpiredLeases())).toBe(1);
    expect(await world.run(sweepExpiredLeases())).toBe(0);
    expect(await world.run(states([task(1).id, task(503).id]))).toEqual(["Queued", "Queued"]);
  });
});
