import { Effect, Option, Result, Stream } from "effect";
import { describe, expect, it } from "vitest";
import {
  cancelTask,
  claimTask,
  deleteExpiredReports,
  getReport,
  getTask,
  ingestLicenseEvents,
  ingestOrganizations,
  ingestProtectionPeriods,
  ingestTenants,
  ingestUsers,
  ingestVms,
  listReports,
  NotFoundError,
  ReportStore,
  readReport,
  runNextTask,
  StorageError,
  submitReport,
  sweepExpiredLeases,
  TaskStore,
} from "../../src/index.ts";
import {
  acmeOperator,
  acmeReport,
  admin,
  DAY,
  finishedTask,
  globexOperator,
  HOUR,
  makeTestWorld,
  seedProtection,
  t0,
} from "./TestWorld.ts";

const text = (bytes: ReadonlyArray<Uint8Array>): string =>
  new TextDecoder().decode(Buffer.concat(bytes.map((b) => Buffer.from(b))));

const readText = (stream: Stream.Stream<Uint8Array, unknown>) =>
  Effect.map(Stream.runCollect(stream), text);

describe("runNextTask", () => {
  it("does nothing when no task is queued", async () => {
    const world = makeTestWorld();
    expect(await world.run(runNextTask("w1"))).toEqual(Option.none());
  });

  it("runs a submitted tenant report to a stored report the submitter can read", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const { task } = await world.run(submitReport(acmeOperator, acmeReport));
    const createdAt = task.createdAt;
    await world.run(world.clock.advance(HOUR));

    const done = finishedTask(await world.run(runNextTask("w1")));
    expect(done.state._tag).toBe("Succeeded");
    expect(done.progress).toBe(100);
    expect(done.attempts).toBe(1);
    const reportId = done.state._tag === "Succeeded" ? done.state.reportId : "";
    // Reports take ids of their own kind from the IdGenerator, apart from the tasks'.
    expect(reportId).toBe("report-000001");

    const { meta, content } = await world.run(readReport(acmeOperator, reportId));
    // Ongoing protection ends when the task was created: the report is "as of" the request.
    const expected = [
      `report ${task.id} as of ${createdAt}`,
      `acme vm-1 ${t0} ${t0 + 3 * DAY}`,
      `acme vm-2 ${t0 + 5 * DAY} ${createdAt} ongoing`,
      "",
    ].join("\n");
    expect(await world.run(readText(content))).toBe(expected);
    expect(meta).toMatchObject({
      taskId: task.id,
      type: "CreateTenantReport",
      format: "csv",
      tenantScope: "acme",
      rowCount: 2,
      byteSize: Buffer.byteLength(expected),
      fileName: "tenant-protection-acme-20240101-20240229.csv",
      createdAt: createdAt + HOUR,
      expiresAt: createdAt + HOUR + 24 * HOUR,
    });

    const range = await world.run(readReport(acmeOperator, reportId, { start: 0, end: 5 }));
    expect(await world.run(readText(range.content))).toBe("report");
    expect(await world.runFailure(readReport(globexOperator, reportId))).toEqual(
      new NotFoundError({ resource: "report", id: reportId }),
    );
  });

  it("includes VMs of no tenant only in a report on all tenants", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    await world.run(submitReport(admin, { ...acmeReport, tenantId: undefined, end: t0 + 4 * DAY }));
    const done = finishedTask(await world.run(runNextTask("w1")));
    const reportId = done.state._tag === "Succeeded" ? done.state.reportId : "";
    const { content } = await world.run(readReport(admin, reportId));
    expect((await world.run(readText(content))).split("\n").slice(1)).toEqual([
      `acme vm-1 ${t0} ${t0 + 3 * DAY}`,
      `globex vm-3 ${t0 + DAY} ${t0 + 2 * DAY}`,
      `- vm-9 ${t0 + 2 * DAY} ${t0 + 4 * DAY}`,
      "",
    ]);
  });

  it("gives byte-identical output for a task whenever it runs", async () => {
    const digestOfRunAfter = async (delay: number) => {
      const world = makeTestWorld();
      await world.run(seedProtection);
      await world.run(submitReport(admin, { ...acmeReport, tenantId: undefined }));
      await world.run(world.clock.advance(delay));
      const done = finishedTask(await world.run(runNextTask("w1")));
      const reportId = done.state._tag === "Succeeded" ? done.state.reportId : "";
      return (await world.run(getReport(admin, reportId))).sha256;
    };
    expect(await digestOfRunAfter(12 * HOUR)).toBe(await digestOfRunAfter(0));
  });

  it("runs a license overview", async () => {
    const world = makeTestWorld();
    await world.run(
      Effect.gen(function* () {
        yield* ingestOrganizations(admin, [
          { id: "org-1", name: "Org", capacity: 1, tenantId: "acme" },
        ]);
        yield* ingestUsers(admin, [
          { id: "u-1", name: "ada@example.org", organizationId: "org-1" },
          { id: "u-2", name: "Σωκράτης", organizationId: "org-1" },
        ]);
        yield* ingestLicenseEvents(admin, [
          { id: "e-1", userId: "u-1", kind: "assigned", at: t0 - DAY },
          { id: "e-2", userId: "u-2", kind: "assigned", at: t0 + DAY },
        ]);
      }),
    );
    await world.run(
      submitReport(admin, {
        type: "CreateLicenseOverviewReport",
        zone: { _tag: "Utc" },
        format: "csv",
        start: t0,
        end: t0 + 7 * DAY,
      }),
    );
    const done = finishedTask(await world.run(runNextTask("w1")));
    expect(done.state._tag).toBe("Succeeded");
    const reportId = done.state._tag === "Succeeded" ? done.state.reportId : "";
    const { meta, content } = await world.run(readReport(admin, reportId));
    expect(meta.fileName).toBe("license-overview-all-20240101-20240107.csv");
    expect(meta.rowCount).toBe(2);
    expect((await world.run(readText(content))).split("\n").slice(1)).toEqual([
      `org-1 u-1 Licensed ${t0 - DAY}`,
      `org-1 u-2 Exceeded ${t0 + DAY}`,
      "",
    ]);
  });

  it("fails the task when the renderer fails mid-report, and stores no report", async () => {
    const world = makeTestWorld({ renderer: { failAtLine: 1 } });
    await world.run(seedProtection);
    await world.run(submitReport(admin, { ...acmeReport }));
    const done = finishedTask(await world.run(runNextTask("w1")));
    expect(done.state).toEqual({
      _tag: "Failed",
      error: { code: "RenderFailed", message: "rendering csv failed: refused line 1" },
    });
    expect(done.lease).toBeNull();
    expect(await world.run(listReports(admin, { limit: 10 }))).toEqual([]);
  });

  it("fails the task with InternalError when the renderer dies, and the worker lives on", async () => {
    const world = makeTestWorld({ renderer: { dieAtLine: 0 } });
    await world.run(seedProtection);
    await world.run(submitReport(admin, acmeReport));
    const done = finishedTask(await world.run(runNextTask("w1")));
    expect(done.state).toEqual({
      _tag: "Failed",
      error: {
        code: "InternalError",
        message:
          "the report could not be produced because of an internal error: renderer bug at line 0",
      },
    });
    expect(await world.run(listReports(admin, { limit: 10 }))).toEqual([]);
  });

  it("fails the task when no renderer serves its format", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    await world.run(submitReport(admin, { ...acmeReport, format: "pdf" }));
    const done = finishedTask(await world.run(runNextTask("w1")));
    expect(done.state).toEqual({
      _tag: "Failed",
      error: {
        code: "FormatUnavailable",
        message: "no renderer is configured for the format 'pdf'",
      },
    });
  });

  it("leaves the task running for a retry when storing fails in a way retrying may fix", async () => {
    const world = makeTestWorld({
      reportStore: (inner) => ({
        ...inner,
        put: () =>
          Effect.fail(new StorageError({ reason: "Busy", operation: "put", detail: "disk busy" })),
      }),
    });
    await world.run(seedProtection);
    const { task } = await world.run(submitReport(admin, acmeReport));
    const error = await world.runFailure(runNextTask("w1"));
    expect(error).toMatchObject({ _tag: "StorageError", reason: "Busy" });
    // Its lease will expire and the sweeper will queue it again, as one more attempt.
    expect(await world.run(getTask(admin, task.id))).toMatchObject({
      state: { _tag: "Running" },
      attempts: 1,
    });
  });

  it("fails the task when storing fails in a way retrying cannot fix", async () => {
    const world = makeTestWorld({
      reportStore: (inner) => ({
        ...inner,
        put: () =>
          Effect.fail(
            new StorageError({ reason: "ConstraintViolation", operation: "put", detail: "no" }),
          ),
      }),
    });
    await world.run(seedProtection);
    await world.run(submitReport(admin, acmeReport));
    const done = finishedTask(await world.run(runNextTask("w1")));
    expect(done.state).toEqual({
      _tag: "Failed",
      error: { code: "StorageFailed", message: "storage put failed (ConstraintViolation): no" },
    });
  });

  it("stops a running task at its next progress step when cancelled, keeping no report", async () => {
    let cancelled = false;
    const world: ReturnType<typeof makeTestWorld> = makeTestWorld({
      settings: { progressEveryRows: 1 },
      renderer: {
        // The first line is being written: the task is running. Cancel it, once.
        beforeLine: () =>
          cancelled
            ? Effect.void
            : Effect.provideContext(
                Effect.gen(function* () {
                  cancelled = true;
                  const { outcome } = yield* Effect.orDie(cancelTask(admin, "task-000001"));
                  expect(outcome).toBe("Stopping");
                }),
                world.context,
              ),
      },
    });
    await world.run(seedProtection);
    await world.run(ingestBigTenant);
    await world.run(submitReport(admin, { ...acmeReport, tenantId: "big" }));
    const done = finishedTask(await world.run(runNextTask("w1")));
    expect(done.state._tag).toBe("Cancelled");
    expect(done.cancelRequested).toBe(true);
    expect(await world.run(listReports(admin, { limit: 10 }))).toEqual([]);
    expect(await world.runFailure(cancelTask(admin, done.id))).toMatchObject({
      _tag: "ConflictError",
    });
  });

  it("cancels a queued task at once and never runs it", async () => {
    const world = makeTestWorld();
    await world.run(seedProtection);
    const { task } = await world.run(submitReport(admin, acmeReport));
    const cancelled = await world.run(cancelTask(admin, task.id));
    expect(cancelled.outcome).toBe("Cancelled");
    expect(cancelled.task.state._tag).toBe("Cancelled");
    expect(await world.run(runNextTask("w1"))).toEqual(Option.none());
  });

  it("reports progress while rendering and never goes back", async () => {
    const seen: Array<number> = [];
    const world: ReturnType<typeof makeTestWorld> = makeTestWorld({
      settings: { progressEveryRows: 100 },
      renderer: {
        beforeLine: () =>
          Effect.provideContext(
            Effect.map(Effect.orDie(getTask(admin, "task-000001")), (t) => {
              seen.push(t.progress);
            }),
            world.context,
          ),
      },
    });
    await world.run(seedProtection);
    await world.run(ingestBigTenant);
    await world.run(submitReport(admin, { ...acmeReport, tenantId: "big" }));
    const done = finishedTask(await world.run(runNextTask("w1")));
    expect(done.state._tag).toBe("Succeeded");
    expect(seen.length).toBe(10_000);
    expect(seen.at(-1)).toBe(99);
    expect(seen.filter((p) => p > 0 && p < 99).length).toBeGreaterThan(0);
    expect(seen.filter((p, i) => i > 0 && p < (seen[i - 1] ?? 0))).toEqual([]);
  });

  it("checks in no sooner than `progressEveryMs` after its last check-in", async () => {
    const seen: Array<number> = [];
    let lines = 0;
    const world: ReturnType<typeof makeTestWorld> = makeTestWorld({
      settings: { progressEveryRows: 100, progressEveryMs: 1_000 },
      renderer: {
        beforeLine: () =>
          Effect.provideContext(
            Effect.gen(function* () {
              // 100 ms pass per 250 lines, 4 s over the report: by rows a check-in is due
              // every 100 lines, by time once a second.
              if (++lines % 250 === 0) yield* world.clock.advance(100);
              const task = yield* Effect.orDie(getTask(admin, "task-000001"));
              seen.push(task.progress);
            }),
            world.context,
          ),
      },
    });
    await world.run(seedProtection);
    await world.run(ingestBigTenant);
    await world.run(submitReport(admin, { ...acmeReport, tenantId: "big" }));
    const done = finishedTask(await world.run(runNextTask("w1")));
    expect(done.state._tag).toBe("Succeeded");
    expect(seen.length).toBe(10_000);
    // By rows alone there would be ~100 check-ins (see the test above); the clock allows the
    // first and then one per second of the 4 s the report takes (the meter counts the rows
    // read, a batch ahead of the lines written, so the last may fall after the last line).
    const distinct = new Set(seen.filter((p) => p > 0)).size;
    expect(distinct).toBeGreaterThanOrEqual(3);
    expect(distinct).toBeLessThanOrEqual(5);
  });

  it("writes nothing when its lease was lost and the task requeued meanwhile", async () => {
    let expireOnce = true;
    const world: ReturnType<typeof makeTestWorld> = makeTestWorld({
      settings: { progressEveryRows: 1, leaseMs: 60_000 },
      renderer: {
        beforeLine: () =>
          expireOnce
            ? Effect.provideContext(
                Effect.gen(function* () {
                  expireOnce = false;
                  yield* world.clock.advance(60_000);
                  yield* Effect.orDie(sweepExpiredLeases());
                }),
                world.context,
              )
            : Effect.void,
      },
    });
    await world.run(seedProtection);
    await world.run(ingestBigTenant);
    await world.run(submitReport(admin, { ...acmeReport, tenantId: "big" }));
    const left = finishedTask(await world.run(runNextTask("w1")));
    expect(left.state._tag).toBe("Queued");
    expect(left.attempts).toBe(1);
    expect(await world.run(listReports(admin, { limit: 10 }))).toEqual([]);
    // The next run is a second attempt and succeeds.
    const done = finishedTask(await world.run(runNextTask("w2")));
    expect(done.state._tag).toBe("Succeeded");
    expect(done.attempts).toBe(2);
  });
});

describe("sweepExpiredLeases", () => {
  /** Claims the next task as a worker that then dies without a word. */
  const claimAndDie = (workerId: string, now: number, leaseMs: number) =>
    Effect.gen(function* () {
      const tasks = yield* TaskStore;
      return yield* tasks.claimNext((task) =>
        Result.getOrThrow(claimTask(task, { workerId, now, leaseMs })),
      );
    });

  it("requeues a task whose worker died, then fails it once the attempts are used up", async () => {
    const world = makeTestWorld({ settings: { maxAttempts: 2, leaseMs: 30_000 } });
    await world.run(seedProtection);
    const { task } = await world.run(submitReport(admin, acmeReport));

    await world.run(claimAndDie("w1", world.clock.current(), 30_000));
    expect(await world.run(sweepExpiredLeases())).toBe(0);
    await world.run(world.clock.advance(30_000));
    expect(await world.run(sweepExpiredLeases())).toBe(1);
    const requeued = await world.run(getTask(admin, task.id));
    expect(requeued).toMatchObject({ state: { _tag: "Queued" }, attempts: 1, lease: null });

    await world.run(claimAndDie("w2", world.clock.current(), 30_000));
    await world.run(world.clock.advance(30_000));
    expect(await world.run(sweepExpiredLeases())).toBe(1);
    const failed = await world.run(getTask(admin, task.id));
    expect(failed.state._tag).toBe("Failed");
    expect(failed.state._tag === "Failed" && failed.state.error.code).toBe("AttemptsExhausted");
    expect(failed.attempts).toBe(2);
  });
});

describe("a retried task", () => {
  it("removes the report an earlier attempt stored but never finished with, and ends with one", async () => {
    const world = makeTestWorld({ settings: { leaseMs: 30_000 } });
    await world.run(seedProtection);
    const { task } = await world.run(submitReport(admin, acmeReport));
    // Attempt 1 stores its report, then its worker dies before marking the task Succeeded.
    await world.run(
      Effect.gen(function* () {
        const tasks = yield* TaskStore;
        yield* tasks.claimNext((t) =>
          Result.getOrThrow(
            claimTask(t, { workerId: "w1", now: world.clock.current(), leaseMs: 30_000 }),
          ),
        );
        yield* (yield* ReportStore).put({
          draft: {
            id: "report-left-behind",
            taskId: task.id,
            type: task.type,
            format: "csv",
            contentType: "text/csv",
            fileName: "left-behind.csv",
            request: task.request,
            tenantScope: task.tenantScope,
            createdAt: world.clock.current(),
            expiresAt: world.clock.current() + DAY,
          },
          content: Stream.make(new TextEncoder().encode("partial attempt")),
          rowCount: () => 1,
        });
      }),
    );
    await world.run(world.clock.advance(30_000));
    expect(await world.run(sweepExpiredLeases())).toBe(1);

    const done = finishedTask(await world.run(runNextTask("w2")));
    expect(done).toMatchObject({ state: { _tag: "Succeeded" }, attempts: 2 });
    const reports = (await world.run(listReports(admin, { limit: 100 }))).filter(
      (r) => r.taskId === task.id,
    );
    expect(reports.map((r) => r.id)).toEqual([
      done.state._tag === "Succeeded" ? done.state.reportId : "",
    ]);
  });
});

describe("deleteExpiredReports", () => {
  it("deletes reports past their retention, which are not found even before that", async () => {
    const world = makeTestWorld({ settings: { reportRetentionMs: HOUR } });
    await world.run(seedProtection);
    await world.run(submitReport(admin, acmeReport));
    const done = finishedTask(await world.run(runNextTask("w1")));
    const reportId = done.state._tag === "Succeeded" ? done.state.reportId : "";
    await world.run(world.clock.advance(HOUR));
    expect(await world.runFailure(getReport(admin, reportId))).toEqual(
      new NotFoundError({ resource: "report", id: reportId }),
    );
    expect(await world.run(listReports(admin, { limit: 10 }))).toEqual([]);
    expect(await world.run(deleteExpiredReports())).toBe(1);
    expect(await world.run(deleteExpiredReports())).toBe(0);
  });
});

/**
 * Tenant `big`: 10,000 VMs with one period each — more rows than the in-memory store puts in
 * one chunk, so a report on it passes several progress steps.
 */
const ingestBigTenant = Effect.gen(function* () {
  const ids = Array.from({ length: 10_000 }, (_, i) => `big-vm-${String(i).padStart(5, "0")}`);
  yield* ingestTenants(admin, [{ id: "big", name: "Big" }]);
  yield* ingestVms(
    admin,
    ids.map((id) => ({ id, name: id, tenantId: "big" })),
  );
  yield* ingestProtectionPeriods(
    admin,
    ids.map((vmId, i) => ({ id: `p-${vmId}`, vmId, start: t0 + i * 1000, end: t0 + DAY })),
  );
}).pipe(Effect.orDie);
