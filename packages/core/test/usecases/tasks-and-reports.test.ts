import { Effect, Option, Stream } from "effect";
import { describe, expect, it } from "vitest";
import {
  ConflictError,
  cancelTask,
  claimTask,
  deleteReport,
  ForbiddenError,
  getReport,
  listReports,
  listTasks,
  NotFoundError,
  ReportStore,
  type ReportTask,
  readReport,
  runNextTask,
  type SubmitReportInput,
  submitReport,
  TaskStore,
  ValidationError,
} from "../../src/index.ts";
import { acmeOperator, admin, globexOperator, makeTestWorld, seedProtection } from "./TestWorld.ts";

const report = (tenantId?: string): SubmitReportInput => ({
  type: "CreateTenantReport",
  zone: { _tag: "Utc" },
  format: "csv",
  ...(tenantId === undefined ? {} : { tenantId }),
});

/** A world with a task of each tenant and one of all tenants, created in that order. */
const worldWithTasks = async () => {
  const world = makeTestWorld();
  await world.run(seedProtection);
  const acme = await world.run(submitReport(acmeOperator, report("acme")));
  await world.run(world.clock.advance(1));
  const globex = await world.run(submitReport(globexOperator, report("globex")));
  await world.run(world.clock.advance(1));
  const all = await world.run(submitReport(admin, report()));
  return { world, acme: acme.task, globex: globex.task, all: all.task };
};

const ids = (tasks: ReadonlyArray<ReportTask>) => tasks.map((t) => t.id);

describe("listTasks", () => {
  it("shows a tenant operator only its own tenant's tasks, and an administrator all", async () => {
    const { world, acme, globex, all } = await worldWithTasks();
    expect(ids(await world.run(listTasks(acmeOperator, { limit: 10 })))).toEqual([acme.id]);
    expect(ids(await world.run(listTasks(globexOperator, { limit: 10 })))).toEqual([globex.id]);
    expect(ids(await world.run(listTasks(admin, { limit: 10 })))).toEqual([
      acme.id,
      globex.id,
      all.id,
    ]);
    expect(ids(await world.run(listTasks(admin, { limit: 10, tenantScope: "globex" })))).toEqual([
      globex.id,
    ]);
  });

  it("refuses a tenant operator asking for another tenant's tasks", async () => {
    const { world } = await worldWithTasks();
    const error = await world.runFailure(
      listTasks(acmeOperator, { limit: 10, tenantScope: "globex" }),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
  });

  it("filters by state and pages by creation", async () => {
    const { world, acme, globex, all } = await worldWithTasks();
    await world.run(cancelTask(admin, globex.id));
    expect(ids(await world.run(listTasks(admin, { limit: 10, states: ["Queued"] })))).toEqual([
      acme.id,
      all.id,
    ]);
    const first = await world.run(listTasks(admin, { limit: 1 }));
    const after = { createdAt: acme.createdAt, id: acme.id };
    expect(ids(first)).toEqual([acme.id]);
    expect(ids(await world.run(listTasks(admin, { limit: 2, after })))).toEqual([
      globex.id,
      all.id,
    ]);
  });

  it("rejects a page size outside 1 to 1000", async () => {
    const { world } = await worldWithTasks();
    for (const limit of [0, 1001, 2.5]) {
      const error = await world.runFailure(listTasks(admin, { limit }));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        { field: "limit", expected: "an integer from 1 to 1000", actual: String(limit) },
      ]);
    }
    expect(ids(await world.run(listTasks(admin, { limit: 1000 })))).toHaveLength(3);
  });
});

describe("cancelTask", () => {
  it("answers not found for another tenant's task, and leaves it alone", async () => {
    const { world, globex } = await worldWithTasks();
    expect(await world.runFailure(cancelTask(acmeOperator, globex.id))).toEqual(
      new NotFoundError({ resource: "task", id: globex.id }),
    );
    const [stored] = await world.run(listTasks(admin, { limit: 1, tenantScope: "globex" }));
    expect(stored?.state._tag).toBe("Queued");
  });

  it("is a conflict for a finished task", async () => {
    const { world, acme } = await worldWithTasks();
    await world.run(runNextTask("w1"));
    const error = await world.runFailure(cancelTask(acmeOperator, acme.id));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).reason).toContain("Succeeded");
  });

  it("answers Stopping, repeatedly, while a running task has not stopped yet", async () => {
    const { world, acme } = await worldWithTasks();
    // Claim it without running it, as a worker that is busy elsewhere.
    await world.run(
      Effect.gen(function* () {
        const tasks = yield* TaskStore;
        yield* tasks.claimNext((task) => {
          const claimed = claimTask(task, { workerId: "w", now: task.createdAt, leaseMs: 60_000 });
          if (claimed._tag === "Failure") throw claimed.failure;
          return claimed.success;
        });
      }),
    );
    const first = await world.run(cancelTask(acmeOperator, acme.id));
    const second = await world.run(cancelTask(acmeOperator, acme.id));
    expect([first.outcome, second.outcome]).toEqual(["Stopping", "Stopping"]);
    expect(second.task).toEqual(first.task);
    expect(first.task).toMatchObject({ state: { _tag: "Running" }, cancelRequested: true });
  });
});

describe("reports", () => {
  const runAll = async (world: ReturnType<typeof makeTestWorld>) => {
    const finished: Array<ReportTask> = [];
    for (;;) {
      const next = await world.run(runNextTask("w1"));
      if (Option.isNone(next)) return finished;
      finished.push(next.value);
    }
  };
  const reportIdOf = (task: ReportTask | undefined) =>
    task?.state._tag === "Succeeded" ? task.state.reportId : "";

  it("lists to each principal the reports it may see", async () => {
    const { world } = await worldWithTasks();
    const [acme, globex, all] = await runAll(world);
    const listed = async (principal: typeof admin) =>
      (await world.run(listReports(principal, { limit: 10 }))).map((m) => m.id);
    expect(await listed(acmeOperator)).toEqual([reportIdOf(acme)]);
    expect(await listed(globexOperator)).toEqual([reportIdOf(globex)]);
    expect(await listed(admin)).toEqual([reportIdOf(acme), reportIdOf(globex), reportIdOf(all)]);
    const error = await world.runFailure(getReport(acmeOperator, reportIdOf(all)));
    expect(error).toEqual(new NotFoundError({ resource: "report", id: reportIdOf(all) }));
  });

  it("deletes a report its tenant's operator may see, and nothing else", async () => {
    const { world } = await worldWithTasks();
    const [acme, globex] = await runAll(world);
    expect(await world.runFailure(deleteReport(acmeOperator, reportIdOf(globex)))).toBeInstanceOf(
      NotFoundError,
    );
    await world.run(deleteReport(acmeOperator, reportIdOf(acme)));
    expect(await world.runFailure(getReport(admin, reportIdOf(acme)))).toBeInstanceOf(
      NotFoundError,
    );
    expect((await world.run(getReport(admin, reportIdOf(globex)))).id).toBe(reportIdOf(globex));
  });

  it("reads a report whole, or any inclusive byte range inside it", async () => {
    const { world } = await worldWithTasks();
    const [acme] = await runAll(world);
    const meta = await world.run(getReport(acmeOperator, reportIdOf(acme)));
    const bytesOf = (range?: { start: number; end: number }) =>
      world.run(
        Effect.flatMap(readReport(acmeOperator, meta.id, range), (download) =>
          Effect.map(Stream.runCollect(download.content), (chunks) =>
            Buffer.concat(chunks.map((c) => Buffer.from(c))),
          ),
        ),
      );
    const whole = await bytesOf();
    expect(whole.length).toBe(meta.byteSize);
    const last = meta.byteSize - 1;
    for (const [start, end] of [
      [0, 0],
      [0, last],
      [last, last],
      [3, 7],
    ] as const) {
      expect(await bytesOf({ start, end })).toEqual(whole.subarray(start, end + 1));
    }
  });

  it("rejects a byte range that is reversed, negative, fractional or beyond the report, naming the range", async () => {
    const { world } = await worldWithTasks();
    const [acme] = await runAll(world);
    const meta = await world.run(getReport(admin, reportIdOf(acme)));
    const last = meta.byteSize - 1;
    for (const range of [
      { start: 5, end: 4 },
      { start: -1, end: 4 },
      { start: 0.5, end: 4 },
      { start: 0, end: 4.5 },
      { start: 0, end: meta.byteSize },
    ]) {
      expect(await world.runFailure(readReport(admin, meta.id, range))).toEqual(
        ValidationError.single(
          "range",
          `bytes start-end with 0 <= start <= end <= ${last}`,
          `${range.start}-${range.end}`,
        ),
      );
    }
  });

  it("has no byte range to offer of an empty report", async () => {
    const { world } = await worldWithTasks();
    const [acme] = await runAll(world);
    const stored = await world.run(getReport(admin, reportIdOf(acme)));
    // A report of no bytes, stored as a renderer that writes nothing would leave it.
    const meta = await world.run(
      Effect.gen(function* () {
        const store = yield* ReportStore;
        return yield* store.put({
          draft: { ...stored, id: "empty" },
          content: Stream.empty,
          rowCount: () => 0,
        });
      }),
    );
    expect(meta.byteSize).toBe(0);
    expect(await world.runFailure(readReport(admin, meta.id, { start: 0, end: 0 }))).toEqual(
      ValidationError.single("range", "no range: the report is empty", "0-0"),
    );
  });

  it("rejects a byte range beyond the report", async () => {
    const { world } = await worldWithTasks();
    const [acme] = await runAll(world);
    const meta = await world.run(getReport(admin, reportIdOf(acme)));
    const error = await world.runFailure(
      readReport(admin, meta.id, { start: 0, end: meta.byteSize }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.field).toBe("range");
  });
});
