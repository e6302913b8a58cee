import { Result } from "effect";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { IllegalTransitionError, LeaseLostError } from "../../src/domain/errors.ts";
import type { ReportTask } from "../../src/domain/ReportTask.ts";
import {
  acknowledgeCancel,
  attemptsExhaustedCode,
  claimTask,
  expireLease,
  failTask,
  isTerminal,
  releaseTask,
  renewLease,
  requestCancel,
  succeedTask,
} from "../../src/domain/TaskLifecycle.ts";
import { reportTaskArbitrary } from "../../src/testing/TaskArbitraries.ts";
import { sampleQueuedTask, T0 } from "./SampleTask.ts";

const leaseMs = 30_000;

const queued = sampleQueuedTask;

const ok = <E>(result: Result.Result<ReportTask, E>): ReportTask => {
  if (Result.isFailure(result)) throw new Error(`expected success, got ${String(result.failure)}`);
  return result.success;
};

const failure = <E>(result: Result.Result<ReportTask, E>): E => {
  if (Result.isSuccess(result)) throw new Error("expected a failure");
  return result.failure;
};

const running = (now = T0 + 1_000, workerId = "w1", task = queued()): ReportTask =>
  ok(claimTask(task, { workerId, now, leaseMs }));

describe("newTask", () => {
  it("makes a Queued task with progress 0, no attempts, version 0 and no lease", () => {
    const task = queued();
    expect(task).toMatchObject({
      state: { _tag: "Queued" },
      progress: 0,
      attempts: 0,
      version: 0,
      lease: null,
      cancelRequested: false,
      createdAt: T0,
      stateChangedAt: T0,
      changedAt: T0,
      startedAt: null,
      finishedAt: null,
    });
  });
});

describe("claimTask", () => {
  it("makes a Queued task Running with a lease, attempts + 1, startedAt and version + 1", () => {
    const task = running(T0 + 1_000, "w1");
    expect(task).toMatchObject({
      state: { _tag: "Running" },
      attempts: 1,
      progress: 0,
      lease: { workerId: "w1", expiresAt: T0 + 1_000 + leaseMs },
      startedAt: T0 + 1_000,
      stateChangedAt: T0 + 1_000,
      changedAt: T0 + 1_000,
      version: 1,
    });
  });

  it("refuses a task that is not Queued, saying so", () => {
    const error = failure(claimTask(running(), { workerId: "w2", now: T0 + 2_000, leaseMs }));
    expect(error._tag).toBe("IllegalTransitionError");
    expect(error.message).toBe(
      "task t1: cannot claim from Running: only a Queued task can be claimed",
    );
  });

  it("refuses a task whose attempts are used up", () => {
    const exhausted: ReportTask = { ...queued(2), attempts: 2 };
    expect(failure(claimTask(exhausted, { workerId: "w1", now: T0, leaseMs })).message).toBe(
      "task t1: cannot claim from Queued: all 2 allowed attempts are used (attempts: 2)",
    );
  });

  it("refuses a lease length that is not a positive integer, naming it", () => {
    expect(failure(claimTask(queued(), { workerId: "w1", now: T0, leaseMs: 0 })).message).toBe(
      "task t1: cannot claim from Queued: leaseMs: expected a positive integer, got 0",
    );
  });
});

describe("renewLease", () => {
  it("extends the holder's lease and raises progress", () => {
    const task = ok(
      renewLease(running(), { workerId: "w1", now: T0 + 5_000, leaseMs, progress: 42 }),
    );
    expect(task.lease).toEqual({ workerId: "w1", expiresAt: T0 + 5_000 + leaseMs });
    expect(task.progress).toBe(42);
    expect(task.version).toBe(2);
    expect(task.stateChangedAt, "the state did not change").toBe(T0 + 1_000);
    expect(task.changedAt).toBe(T0 + 5_000);
  });

  it("never lowers progress, rounds down and clamps to 0..100", () => {
    const at50 = ok(
      renewLease(running(), { workerId: "w1", now: T0 + 2_000, leaseMs, progress: 50 }),
    );
    const lower = ok(renewLease(at50, { workerId: "w1", now: T0 + 3_000, leaseMs, progress: 10 }));
    expect(lower.progress).toBe(50);
    const over = ok(renewLease(at50, { workerId: "w1", now: T0 + 3_000, leaseMs, progress: 250 }));
    expect(over.progress).toBe(100);
    const fraction = ok(
      renewLease(at50, { workerId: "w1", now: T0 + 3_000, leaseMs, progress: 61.9 }),
    );
    expect(fraction.progress).toBe(61);
    const none = ok(renewLease(at50, { workerId: "w1", now: T0 + 3_000, leaseMs }));
    expect(none.progress).toBe(50);
  });

  it("refuses a progress that is not a number", () => {
    const error = failure(
      renewLease(running(), { workerId: "w1", now: T0 + 2_000, leaseMs, progress: Number.NaN }),
    );
    expect(error.message).toBe(
      "task t1: cannot renewLease from Running: progress: expected a number from 0 to 100, got NaN",
    );
  });

  it("refuses a lease length that is not a positive integer, naming the event", () => {
    expect(
      failure(renewLease(running(), { workerId: "w1", now: T0 + 2_000, leaseMs: 0 })).message,
    ).toBe("task t1: cannot renewLease from Running: leaseMs: expected a positive integer, got 0");
  });

  it("tells another worker that it lost the lease", () => {
    const error = failure(renewLease(running(), { workerId: "w2", now: T0 + 2_000, leaseMs }));
    expect(error._tag).toBe("LeaseLostError");
    expect(error.message).toBe(
      "task t1: worker w2 no longer holds the lease: the lease is held by worker w1",
    );
  });

  it("tells the holder that its lease expired, with the instant", () => {
    const error = failure(
      renewLease(running(T0), { workerId: "w1", now: T0 + leaseMs, leaseMs, progress: 10 }),
    );
    expect(error.message).toBe(
      "task t1: worker w1 no longer holds the lease: the lease expired at 2024-01-01T00:00:30.000Z",
    );
  });

  it("refuses a task whose state and lease disagree (a faulty store's) with a typed error", () => {
    const leaseless: ReportTask = { ...running(), lease: null };
    expect(
      failure(renewLease(leaseless, { workerId: "w1", now: T0 + 2_000, leaseMs })).message,
    ).toBe("task t1: worker w1 no longer holds the lease: the task carries no lease");
    expect(failure(expireLease(leaseless, { now: T0 + leaseMs })).message).toBe(
      "task t1: cannot expireLease from Running: only a Running task has a lease that can expire",
    );
    // The other disagreement: a Queued task still carrying a lease is not Running, so no lease of it expires.
    const leased: ReportTask = { ...queued(), lease: { workerId: "w1", expiresAt: T0 } };
    expect(failure(expireLease(leased, { now: T0 + leaseMs })).message).toBe(
      "task t1: cannot expireLease from Queued: only a Running task has a lease that can expire",
    );
  });

  it("tells the worker of a task that is no longer running", () => {
    const error = failure(renewLease(queued(), { workerId: "w1", now: T0, leaseMs }));
    expect(error.message).toBe(
      "task t1: worker w1 no longer holds the lease: the task is Queued, not Running",
    );
  });
});

describe("succeedTask", () => {
  it("makes a running task Succeeded with the report id, progress 100, no lease, finishedAt", () => {
    const task = ok(succeedTask(running(), { workerId: "w1", now: T0 + 9_000, reportId: "r1" }));
    expect(task).toMatchObject({
      state: { _tag: "Succeeded", reportId: "r1" },
      progress: 100,
      lease: null,
      finishedAt: T0 + 9_000,
      stateChangedAt: T0 + 9_000,
      version: 2,
    });
  });

  it("still succeeds when cancellation was requested but not acknowledged: the report is complete", () => {
    const stopping = ok(requestCancel(running(), { now: T0 + 2_000 }));
    const task = ok(succeedTask(stopping, { workerId: "w1", now: T0 + 3_000, reportId: "r1" }));
    expect(task.state).toEqual({ _tag: "Succeeded", reportId: "r1" });
  });

  it("refuses a worker without the lease", () => {
    const error = failure(
      succeedTask(running(), { workerId: "w2", now: T0 + 2_000, reportId: "r" }),
    );
    expect(error._tag).toBe("LeaseLostError");
  });
});

describe("failTask", () => {
  it("makes a running task Failed with the worker's reason, keeping progress", () => {
    const at30 = ok(
      renewLease(running(), { workerId: "w1", now: T0 + 2_000, leaseMs, progress: 30 }),
    );
    const failure = { code: "RenderFailed", message: "font missing" };
    const task = ok(failTask(at30, { workerId: "w1", now: T0 + 3_000, failure }));
    expect(task).toMatchObject({
      state: { _tag: "Failed", error: failure },
      progress: 30,
      lease: null,
      finishedAt: T0 + 3_000,
    });
  });
});

describe("requestCancel", () => {
  it("cancels a queued task at once", () => {
    const task = ok(requestCancel(queued(), { now: T0 + 1 }));
    expect(task).toMatchObject({
      state: { _tag: "Cancelled" },
      cancelRequested: true,
      finishedAt: T0 + 1,
      stateChangedAt: T0 + 1,
      version: 1,
    });
  });

  it("asks a running task to stop without changing its state", () => {
    const task = ok(requestCancel(running(), { now: T0 + 2_000 }));
    expect(task).toMatchObject({
      state: { _tag: "Running" },
      cancelRequested: true,
      version: 2,
      changedAt: T0 + 2_000,
      stateChangedAt: T0 + 1_000,
    });
  });

  it("returns the same task when asked again (idempotent, no new version)", () => {
    const stopping = ok(requestCancel(running(), { now: T0 + 2_000 }));
    expect(ok(requestCancel(stopping, { now: T0 + 3_000 }))).toBe(stopping);
  });

  it("refuses a finished task", () => {
    const done = ok(succeedTask(running(), { workerId: "w1", now: T0 + 2_000, reportId: "r1" }));
    expect(failure(requestCancel(done, { now: T0 + 3_000 })).message).toBe(
      "task t1: cannot requestCancel from Succeeded: the task has already finished",
    );
  });
});

describe("refusals", () => {
  it("name a running task whose cancellation was requested as such, and a cancelled one as Cancelled", () => {
    const stopping = ok(requestCancel(running(), { now: T0 + 2_000 }));
    expect(failure(claimTask(stopping, { workerId: "w2", now: T0 + 3_000, leaseMs })).message).toBe(
      "task t1: cannot claim from Running (cancel requested): only a Queued task can be claimed",
    );
    const cancelled = ok(acknowledgeCancel(stopping, { workerId: "w1", now: T0 + 3_000 }));
    expect(failure(requestCancel(cancelled, { now: T0 + 4_000 })).message).toBe(
      "task t1: cannot requestCancel from Cancelled: the task has already finished",
    );
    expect(
      failure(claimTask(running(), { workerId: "w2", now: T0 + 3_000, leaseMs })).message,
    ).toBe("task t1: cannot claim from Running: only a Queued task can be claimed");
  });
});

describe("acknowledgeCancel", () => {
  it("cancels a running task whose cancellation was requested", () => {
    const stopping = ok(requestCancel(running(), { now: T0 + 2_000 }));
    const task = ok(acknowledgeCancel(stopping, { workerId: "w1", now: T0 + 3_000 }));
    expect(task).toMatchObject({
      state: { _tag: "Cancelled" },
      lease: null,
      finishedAt: T0 + 3_000,
    });
  });

  it("refuses when no cancellation was requested", () => {
    const error = failure(acknowledgeCancel(running(), { workerId: "w1", now: T0 + 2_000 }));
    expect(error.message).toBe(
      "task t1: cannot acknowledgeCancel from Running: no cancellation was requested",
    );
  });
});

describe("releaseTask", () => {
  it("queues the task again without using up the attempt", () => {
    const at70 = ok(
      renewLease(running(), { workerId: "w1", now: T0 + 2_000, leaseMs, progress: 70 }),
    );
    const task = ok(releaseTask(at70, { workerId: "w1", now: T0 + 3_000 }));
    expect(task).toMatchObject({
      state: { _tag: "Queued" },
      attempts: 0,
      progress: 0,
      lease: null,
      stateChangedAt: T0 + 3_000,
    });
  });

  it("gives back only the attempt it releases, after earlier attempts expired", () => {
    let task = queued(3);
    task = ok(claimTask(task, { workerId: "w1", now: T0, leaseMs }));
    task = ok(expireLease(task, { now: T0 + leaseMs }));
    task = ok(claimTask(task, { workerId: "w2", now: T0 + leaseMs, leaseMs }));
    expect(task.attempts).toBe(2);
    task = ok(releaseTask(task, { workerId: "w2", now: T0 + leaseMs + 1 }));
    expect(task).toMatchObject({ state: { _tag: "Queued" }, attempts: 1 });
  });

  it("cancels instead when cancellation was requested", () => {
    const stopping = ok(requestCancel(running(), { now: T0 + 2_000 }));
    expect(ok(releaseTask(stopping, { workerId: "w1", now: T0 + 3_000 })).state._tag).toBe(
      "Cancelled",
    );
  });
});

describe("expireLease", () => {
  it("refuses a lease that is still valid, saying until when", () => {
    expect(failure(expireLease(running(T0), { now: T0 + 1_000 })).message).toBe(
      "task t1: cannot expireLease from Running: the lease is valid until 2024-01-01T00:00:30.000Z",
    );
  });

  it("refuses a task that is not running", () => {
    expect(failure(expireLease(queued(), { now: T0 })).message).toBe(
      "task t1: cannot expireLease from Queued: only a Running task has a lease that can expire",
    );
  });

  it("queues the task again with progress 0, keeping the attempt count", () => {
    const task = ok(expireLease(running(T0), { now: T0 + leaseMs }));
    expect(task).toMatchObject({
      state: { _tag: "Queued" },
      attempts: 1,
      progress: 0,
      lease: null,
    });
  });

  it("fails the task once every attempt's lease expired, saying so", () => {
    let task = queued(2);
    let now = T0;
    for (let attempt = 1; attempt <= 2; attempt++) {
      task = ok(claimTask(task, { workerId: `w${attempt}`, now, leaseMs }));
      now += leaseMs;
      task = ok(expireLease(task, { now }));
    }
    expect(task.state).toEqual({
      _tag: "Failed",
      error: {
        code: attemptsExhaustedCode,
        message:
          "gave up after 2 attempts: the worker's lease expired each time (last at 2024-01-01T00:01:00.000Z)",
      },
    });
    expect(task.finishedAt).toBe(now);
  });

  it("cancels a task whose cancellation was requested", () => {
    const stopping = ok(requestCancel(running(T0), { now: T0 + 1 }));
    expect(ok(expireLease(stopping, { now: T0 + leaseMs })).state._tag).toBe("Cancelled");
  });
});

/** One event a client, a worker or the reaper may cause, with the time that passes first. */
const eventArbitrary = fc.record({
  kind: fc.constantFrom(
    "claim",
    "renew",
    "renew",
    "succeed",
    "fail",
    "requestCancel",
    "acknowledgeCancel",
    "release",
    "expire",
  ),
  workerId: fc.constantFrom("w1", "w2"),
  elapsedMs: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.constant(leaseMs)),
  leaseMs: fc.integer({ min: 1, max: 2 * leaseMs }),
  progress: fc.integer({ min: -10, max: 120 }),
});
type Event = typeof eventArbitrary extends fc.Arbitrary<infer A> ? A : never;

const apply = (
  task: ReportTask,
  event: Event,
  now: number,
): Result.Result<ReportTask, IllegalTransitionError | LeaseLostError> => {
  const { workerId } = event;
  switch (event.kind) {
    case "claim":
      return claimTask(task, { workerId, now, leaseMs: event.leaseMs });
    case "renew":
      return renewLease(task, { workerId, now, leaseMs: event.leaseMs, progress: event.progress });
    case "succeed":
      return succeedTask(task, { workerId, now, reportId: `r-${now}` });
    case "fail":
      return failTask(task, { workerId, now, failure: { code: "X", message: "boom" } });
    case "requestCancel":
      return requestCancel(task, { now });
    case "acknowledgeCancel":
      return acknowledgeCancel(task, { workerId, now });
    case "release":
      return releaseTask(task, { workerId, now });
    default:
      return expireLease(task, { now });
  }
};

/** The invariants every reachable task keeps. */
const expectConsistent = (task: ReportTask): void => {
  expect(task.lease !== null, "a lease exactly while Running").toBe(task.state._tag === "Running");
  expect(task.attempts).toBeGreaterThanOrEqual(0);
  expect(task.attempts, "attempts never exceed maxAttempts").toBeLessThanOrEqual(task.maxAttempts);
  expect(task.progress).toBeGreaterThanOrEqual(0);
  expect(task.progress).toBeLessThanOrEqual(100);
  expect(task.finishedAt !== null, "finishedAt exactly in terminal states").toBe(
    isTerminal(task.state),
  );
  const hasResult = "reportId" in task.state || "error" in task.state;
  expect(hasResult, "a result only in terminal states").toBe(
    task.state._tag === "Succeeded" || task.state._tag === "Failed",
  );
  if (task.state._tag === "Succeeded") expect(task.progress).toBe(100);
  if (task.state._tag === "Queued") expect(task.cancelRequested).toBe(false);
};

/** Checks one step from `before` to the outcome of `event` against the lifecycle's laws. */
const expectLawfulStep = (
  before: ReportTask,
  after: Result.Result<ReportTask, unknown>,
  event: Event,
  now: number,
): void => {
  if (isTerminal(before.state)) {
    expect(after, `terminal states are absorbing (${event.kind})`).toMatchObject({
      _tag: "Failure",
    });
    return;
  }
  if (Result.isFailure(after)) return;
  const next = after.success;
  if (next === before) {
    expect(event.kind, "only a repeated cancel request returns the task unchanged").toBe(
      "requestCancel",
    );
    return;
  }
  expect(next.version, "version + 1 per transition").toBe(before.version + 1);
  expect(next.changedAt).toBe(now);
  expect(next.stateChangedAt).toBe(
    next.state._tag === before.state._tag ? before.stateChangedAt : now,
  );
  expect(next.id).toBe(before.id);
  expect(next.createdAt).toBe(before.createdAt);
  if (before.state._tag === "Queued" && next.state._tag === "Running") {
    expect(next.attempts, "a claim uses an attempt").toBe(before.attempts + 1);
  }
  if (before.state._tag === "Running" && next.state._tag === "Queued") {
    expect(next.attempts, "a release gives its attempt back, an expired lease does not").toBe(
      event.kind === "release" ? before.attempts - 1 : before.attempts,
    );
  }
  if (before.state._tag === "Running" && next.state._tag === "Running") {
    expect(next.attempts, "the same attempt").toBe(before.attempts);
    expect(next.progress, "progress never decreases within an attempt").toBeGreaterThanOrEqual(
      before.progress,
    );
  }
  expectConsistent(next);
};

describe("the lifecycle under random events", () => {
  it("keeps every invariant from a new task", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(eventArbitrary, { maxLength: 60 }),
        (maxAttempts, events) => {
          let task = queued(maxAttempts);
          let now = T0;
          for (const event of events) {
            now += event.elapsedMs;
            const after = apply(task, event, now);
            expectLawfulStep(task, after, event, now);
            if (Result.isSuccess(after)) task = after.success;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps every invariant from any reachable task", () => {
    fc.assert(
      fc.property(
        reportTaskArbitrary(),
        fc.array(eventArbitrary, { maxLength: 30 }),
        (start, events) => {
          expectConsistent(start);
          let task = start;
          let now = start.changedAt;
          for (const event of events) {
            now += event.elapsedMs;
            const after = apply(task, event, now);
            expectLawfulStep(task, after, event, now);
            if (Result.isSuccess(after)) task = after.success;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("fails every transition from a terminal state", () => {
    fc.assert(
      fc.property(
        reportTaskArbitrary({ states: ["Succeeded", "Failed", "Cancelled"] }),
        eventArbitrary,
        fc.integer({ min: 0, max: 10 * leaseMs }),
        (task, event, elapsed) => {
          expect(apply(task, event, task.changedAt + elapsed)).toMatchObject({ _tag: "Failure" });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("no task stays Running forever: once its lease expired the reaper ends or requeues it", () => {
    fc.assert(
      fc.property(reportTaskArbitrary({ states: ["Running"] }), (task) => {
        const next = ok(expireLease(task, { now: task.lease?.expiresAt ?? 0 }));
        expect(next.state._tag).not.toBe("Running");
        expectConsistent(next);
      }),
      { numRuns: 200 },
    );
  });
});
