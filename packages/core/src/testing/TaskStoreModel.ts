/**
 * A model-based test of a TaskStore: random sequences of what clients and workers do —
 * create, claim, heartbeat, succeed, fail, cancel, release, let time pass, reap expired
 * leases, race two writers — run against the store and against a model much simpler than
 * any store (a map of id → state, attempts, progress, lease holder). Workers act as real ones
 * do: read the task, compute the transition with `TaskLifecycle`, persist it with `replace` or
 * `claimNext`. After every command the store must agree with the model, through `get` and
 * `list`.
 */
import { Option, Result } from "effect";
import * as fc from "fast-check";
import { expect } from "vitest";
import { compareCodePoints } from "../domain/CodePointOrder.ts";
import type { ReportRequest } from "../domain/ReportRequest.ts";
import type { ReportTask, TaskStateTag } from "../domain/ReportTask.ts";
import {
  acknowledgeCancel,
  claimTask,
  expireLease,
  failTask,
  newTask,
  releaseTask,
  renewLease,
  requestCancel,
  succeedTask,
} from "../domain/TaskLifecycle.ts";
import type { TaskStore } from "../ports/TaskStore.ts";
import { runEffect } from "./withFreshService.ts";

/** How long the model's leases last, in ms. */
export const modelLeaseMs = 30_000;

/** What the model knows of one task. */
interface ModelTask {
  readonly id: string;
  readonly createdAt: number;
  readonly maxAttempts: number;
  state: TaskStateTag;
  attempts: number;
  progress: number;
  holder: string | null;
  expiresAt: number | null;
  cancelRequested: boolean;
}

/** The model: a clock that commands advance, and the tasks by id in creation order. */
export interface TaskStoreModel {
  now: number;
  created: number;
  readonly tasks: Map<string, ModelTask>;
}

type Store = TaskStore["Service"];
type TaskCommand = fc.AsyncCommand<TaskStoreModel, Store>;

/** An empty model at a fixed start instant (2024-01-01T00:00:00Z). */
export const emptyTaskStoreModel = (): TaskStoreModel => ({
  now: 1_704_067_200_000,
  created: 0,
  tasks: new Map(),
});

const request: ReportRequest = {
  _tag: "TenantReport",
  interval: { start: 1_700_000_000_000, end: 1_700_086_400_000 },
  zone: { spec: "UTC+05:30", resolved: { _tag: "Fixed", offsetMinutes: 330 } },
  tenant: { _tag: "OneTenant", tenantId: "tenant-ä" },
  format: "csv",
  variant: "detail",
  columns: "vendor",
  separator: ";",
};

/**
 * Ids that do not sort in creation order and whose first characters sort differently by code
 * point (t < U+FF5A < U+1F600) than by UTF-16 code unit (the emoji's surrogate comes first).
 */
const modelTaskId = (n: number): string => `${["t", "\uFF5A", "😀"][n % 3]}${(n * 37) % 101}`;

/** A command of the model-based test, named for fast-check's report of a failing sequence. */
const command = (
  name: string,
  run: (model: TaskStoreModel, store: Store) => Promise<void>,
  check: (model: Readonly<TaskStoreModel>) => boolean = () => true,
): TaskCommand => ({ check, run, toString: () => name });

const hasTasks = (model: Readonly<TaskStoreModel>): boolean => model.tasks.size > 0;

const createTask = (maxAttempts: number): TaskCommand =>
  command(`create(maxAttempts ${maxAttempts})`, async (model, store) => {
    const id = modelTaskId(model.created);
    const task = newTask({
      id,
      type: "CreateTenantReport",
      request,
      principal: { id: "admin", role: "Administrator", tenantId: null },
      tenantScope: "tenant-ä",
      now: model.now,
      maxAttempts,
      idempotencyKey: null,
    });
    await runEffect(store.insert(task));
    model.created++;
    model.tasks.set(id, {
      id,
      createdAt: model.now,
      maxAttempts,
      state: "Queued",
      attempts: 0,
      progress: 0,
      holder: null,
      expiresAt: null,
      cancelRequested: false,
    });
    await expectAgreement(model, store, [id]);
  });

const claimNext = (workerId: string): TaskCommand =>
  command(`claimNext(${workerId})`, async (model, store) => {
    const now = model.now;
    const expected = [...model.tasks.values()]
      .filter((task) => task.state === "Queued")
      .sort(byCreation)[0];
    const claimed = await runEffect(
      store.claimNext((task) =>
        Result.getOrThrow(claimTask(task, { workerId, now, leaseMs: modelLeaseMs })),
      ),
    );
    expect(
      Option.getOrNull(Option.map(claimed, (task) => task.id)),
      "claimNext takes the oldest queued task",
    ).toBe(expected?.id ?? null);
    if (expected !== undefined) {
      expected.state = "Running";
      expected.attempts++;
      expected.progress = 0;
      expected.holder = workerId;
      expected.expiresAt = now + modelLeaseMs;
    }
    await expectAgreement(model, store, expected === undefined ? [] : [expected.id]);
  });

/** The worker transitions, each needing the caller's live lease. */
type WorkerEvent = "renewLease" | "succeed" | "fail" | "acknowledgeCancel" | "release";

/** What a worker asks for: an event on a task, as its lease holder or as some worker. */
interface WorkerStep {
  readonly event: WorkerEvent;
  readonly taskIndex: number;
  /** Act as the lease holder (when there is one) rather than as `workerId`. */
  readonly asHolder: boolean;
  readonly workerId: string;
  readonly progress: number;
}

const workerStep = (step: WorkerStep): TaskCommand =>
  command(
    `${step.event}(task #${step.taskIndex}, ${step.asHolder ? "holder" : step.workerId}` +
      `${step.event === "renewLease" ? `, progress ${step.progress}` : ""})`,
    async (model, store) => {
      const expected = pick(model, step.taskIndex);
      const workerId = step.asHolder && expected.holder !== null ? expected.holder : step.workerId;
      const now = model.now;
      const stored = await load(store, expected.id);
      const next = applyWorkerStep(step, stored, workerId, now);
      const live =
        expected.state === "Running" &&
        expected.holder === workerId &&
        (expected.expiresAt ?? 0) > now;
      const allowed = live && (step.event !== "acknowledgeCancel" || expected.cancelRequested);
      expect(
        Result.isSuccess(next),
        `${step.event} by ${workerId} of ${describeTask(expected)} at ${now}`,
      ).toBe(allowed);
      if (Result.isSuccess(next)) {
        const written = await runEffect(store.replace(next.success));
        expect(written, "replace of the current version").toBe(true);
        applyWorkerStepToModel(step, expected, now);
      }
      await expectAgreement(model, store, [expected.id]);
    },
    hasTasks,
  );

const applyWorkerStep = (
  step: WorkerStep,
  task: ReportTask,
  workerId: string,
  now: number,
): Result.Result<ReportTask, unknown> => {
  switch (step.event) {
    case "renewLease":
      return renewLease(task, { workerId, now, leaseMs: modelLeaseMs, progress: step.progress });
    case "succeed":
      return succeedTask(task, { workerId, now, reportId: `report-of-${task.id}` });
    case "fail":
      return failTask(task, {
        workerId,
        now,
        failure: { code: "RenderFailed", message: "the renderer gave up" },
      });
    case "acknowledgeCancel":
      return acknowledgeCancel(task, { workerId, now });
    case "release":
      return releaseTask(task, { workerId, now });
  }
};

/** The model's own, simpler account of each worker transition. */
const applyWorkerStepToModel = (step: WorkerStep, task: ModelTask, now: number): void => {
  switch (step.event) {
    case "renewLease":
      task.progress = Math.max(task.progress, step.progress);
      task.expiresAt = now + modelLeaseMs;
      return;
    case "succeed":
      finish(task, "Succeeded", 100);
      return;
    case "fail":
      finish(task, "Failed", task.progress);
      return;
    case "acknowledgeCancel":
      finish(task, "Cancelled", task.progress);
      return;
    case "release":
      if (task.cancelRequested) {
        finish(task, "Cancelled", task.progress);
        return;
      }
      task.state = "Queued";
      task.attempts--;
      task.progress = 0;
      task.holder = null;
      task.expiresAt = null;
      return;
  }
};

const requestCancelCommand = (taskIndex: number): TaskCommand =>
  command(
    `requestCancel(task #${taskIndex})`,
    async (model, store) => {
      const expected = pick(model, taskIndex);
      const stored = await load(store, expected.id);
      const next = requestCancel(stored, { now: model.now });
      expect(Result.isSuccess(next), `requestCancel of ${describeTask(expected)}`).toBe(
        expected.state === "Queued" || expected.state === "Running",
      );
      if (Result.isSuccess(next) && next.success.version !== stored.version) {
        const written = await runEffect(store.replace(next.success));
        expect(written, "replace of the current version").toBe(true);
      }
      if (expected.state === "Queued") finish(expected, "Cancelled", 0);
      else if (expected.state === "Running") expected.cancelRequested = true;
      await expectAgreement(model, store, [expected.id]);
    },
    hasTasks,
  );

const advanceClock = (ms: number): TaskCommand =>
  command(`advanceClock(${ms} ms)`, async (model) => {
    model.now += ms;
  });

const expireLeases: TaskCommand = command("expireLeases", async (model, store) => {
  const now = model.now;
  const expected = [...model.tasks.values()]
    .filter((task) => task.state === "Running" && (task.expiresAt ?? 0) <= now)
    .sort((a, b) => (a.expiresAt ?? 0) - (b.expiresAt ?? 0) || compareCodePoints(a.id, b.id));
  const expired = await runEffect(store.listExpiredLeases(now, 1000));
  expect(
    expired.map((task) => task.id),
    "listExpiredLeases: running tasks whose lease expired, oldest lease first",
  ).toEqual(expected.map((task) => task.id));
  for (const task of expired) {
    const next = Result.getOrThrow(expireLease(task, { now }));
    expect(await runEffect(store.replace(next)), "replace of the current version").toBe(true);
  }
  for (const task of expected) {
    if (task.cancelRequested) finish(task, "Cancelled", task.progress);
    else if (task.attempts >= task.maxAttempts) finish(task, "Failed", task.progress);
    else {
      task.state = "Queued";
      task.progress = 0;
      task.holder = null;
      task.expiresAt = null;
    }
  }
  await expectAgreement(
    model,
    store,
    expired.map((task) => task.id),
  );
});

/**
 * A heartbeat and a cancel request computed from the same version race to be written: the
 * first write wins, the second must be refused (compare-and-set) and change nothing.
 */
const racingWriters = (taskIndex: number, progress: number, cancelFirst: boolean): TaskCommand =>
  command(
    `racingWriters(task #${taskIndex}, progress ${progress}, ` +
      `${cancelFirst ? "cancel" : "heartbeat"} first)`,
    async (model, store) => {
      const expected = pick(model, taskIndex);
      const now = model.now;
      const snapshot = await load(store, expected.id);
      const heartbeat = Result.getOrThrow(
        renewLease(snapshot, {
          workerId: expected.holder ?? "",
          now,
          leaseMs: modelLeaseMs,
          progress,
        }),
      );
      const cancel = Result.getOrThrow(requestCancel(snapshot, { now }));
      const [first, second] = cancelFirst ? [cancel, heartbeat] : [heartbeat, cancel];
      const firstWritten = await runEffect(store.replace(first));
      expect(firstWritten, "the first write of a version wins").toBe(true);
      const secondWritten = await runEffect(store.replace(second));
      expect(secondWritten, "a second write of the same version is refused").toBe(false);
      if (cancelFirst) expected.cancelRequested = true;
      else {
        expected.progress = Math.max(expected.progress, progress);
        expected.expiresAt = now + modelLeaseMs;
      }
      await expectAgreement(model, store, [expected.id]);
    },
    (model) => {
      if (model.tasks.size === 0) return false;
      const task = pick(model, taskIndex);
      return task.state === "Running" && !task.cancelRequested && (task.expiresAt ?? 0) > model.now;
    },
  );

const workerIdArbitrary = fc.constantFrom("worker-1", "worker-2", "wörker-3");
const taskIndexArbitrary = fc.nat(1000);
const progressArbitrary = fc.integer({ min: 0, max: 100 });

/** Arbitraries of every command of the model-based test. */
export const taskStoreCommands: ReadonlyArray<fc.Arbitrary<TaskCommand>> = [
  fc.integer({ min: 1, max: 3 }).map(createTask),
  workerIdArbitrary.map(claimNext),
  fc
    .record({
      event: fc.constantFrom<WorkerEvent>(
        "renewLease",
        "renewLease",
        "succeed",
        "fail",
        "acknowledgeCancel",
        "release",
      ),
      taskIndex: taskIndexArbitrary,
      asHolder: fc.boolean(),
      workerId: workerIdArbitrary,
      progress: progressArbitrary,
    })
    .map(workerStep),
  taskIndexArbitrary.map(requestCancelCommand),
  fc
    .constantFrom(1_000, 10_000, modelLeaseMs - 1, modelLeaseMs, 2 * modelLeaseMs)
    .map(advanceClock),
  fc.constant(expireLeases),
  fc
    .record({
      taskIndex: taskIndexArbitrary,
      progress: progressArbitrary,
      cancelFirst: fc.boolean(),
    })
    .map((s) => racingWriters(s.taskIndex, s.progress, s.cancelFirst)),
];

/**
 * The store agrees with the model: every task through `list`, filtered listings, and the
 * tasks the command touched through `get` (which must match what `list` shows).
 */
const expectAgreement = async (
  model: TaskStoreModel,
  store: Store,
  touched: ReadonlyArray<string>,
): Promise<void> => {
  const ordered = [...model.tasks.values()].sort(byCreation);
  const listed = await runEffect(store.list({ limit: 1000 }));
  expect(listed.map(summarize), "list agrees with the model, in (createdAt, id) order").toEqual(
    ordered.map(summarizeModel),
  );
  for (const id of touched) {
    const got = await load(store, id);
    expect(got, `get ${id} agrees with list`).toStrictEqual(listed.find((task) => task.id === id));
  }
  for (const state of ["Queued", "Running"] as const) {
    const filtered = await runEffect(store.list({ states: [state], limit: 1000 }));
    expect(
      filtered.map((task) => task.id),
      `list of ${state} tasks`,
    ).toEqual(ordered.filter((task) => task.state === state).map((task) => task.id));
  }
  for (const task of listed) {
    expect(task.lease !== null, `task ${task.id}: a lease exactly while Running`).toBe(
      task.state._tag === "Running",
    );
  }
};

const summarize = (task: ReportTask) => ({
  id: task.id,
  state: task.state._tag,
  attempts: task.attempts,
  progress: task.progress,
  holder: task.lease?.workerId ?? null,
  expiresAt: task.lease?.expiresAt ?? null,
  cancelRequested: task.cancelRequested,
});

const summarizeModel = (task: ModelTask): ReturnType<typeof summarize> => ({
  id: task.id,
  state: task.state,
  attempts: task.attempts,
  progress: task.progress,
  holder: task.holder,
  expiresAt: task.expiresAt,
  cancelRequested: task.cancelRequested,
});

const finish = (task: ModelTask, state: TaskStateTag, progress: number): void => {
  task.state = state;
  task.progress = progress;
  task.holder = null;
  task.expiresAt = null;
  if (state === "Cancelled") task.cancelRequested = true;
};

const pick = (model: Readonly<TaskStoreModel>, index: number): ModelTask =>
  [...model.tasks.values()][index % model.tasks.size] as ModelTask;

const load = async (store: Store, id: string): Promise<ReportTask> => {
  const found = await runEffect(store.get(id));
  expect(found, `task ${id} is stored`).toMatchObject({ _tag: "Some" });
  return Option.getOrThrow(found);
};

const byCreation = (a: ModelTask, b: ModelTask): number =>
  a.createdAt - b.createdAt || compareCodePoints(a.id, b.id);

const describeTask = (task: ModelTask): string =>
  `${task.id} (${task.state}${task.cancelRequested ? ", cancel requested" : ""}, holder ` +
  `${task.holder ?? "none"}, lease until ${task.expiresAt ?? "-"})`;
