/**
 * `runTask`: running one named task, for a caller that waits on its own — other queued tasks,
 * however old, stay queued, and a task that is not Queued is left exactly as it is.
 */
import { Effect, Option, Result } from "effect";
import { describe, expect, it } from "vitest";
import {
  Clock,
  cancelTask,
  claimTask,
  getTask,
  NotFoundError,
  runNextTask,
  runTask,
  submitReport,
  TaskStore,
} from "../../src/index.ts";
import {
  acmeOperator,
  acmeReport,
  admin,
  HOUR,
  makeTestWorld,
  seedProtection,
} from "./TestWorld.ts";

/** A world with protection facts and two queued tasks, `older` submitted an hour first. */
const twoQueuedTasks = async () => {
  const world = makeTestWorld();
  await world.run(seedProtection);
  const older = (await world.run(submitReport(acmeOperator, acmeReport))).task;
  await world.run(world.clock.advance(HOUR));
  const newer = (await world.run(submitReport(admin, { ...acmeReport, tenantId: undefined }))).task;
  return { world, older, newer };
};

describe("runTask", () => {
  it("runs the named task and leaves an older queued task queued", async () => {
    const { world, older, newer } = await twoQueuedTasks();

    const ran = await world.run(runTask(newer.id, "w1"));
    expect(Option.map(ran, (t) => [t.id, t.state._tag, t.attempts])).toEqual(
      Option.some([newer.id, "Succeeded", 1]),
    );
    expect(await world.run(getTask(admin, older.id))).toEqual(older);
  });

  it("does not take over a task another worker is running, and returns none", async () => {
    const { world, older } = await twoQueuedTasks();
    // Another worker has claimed the older task and is still producing it.
    const running = Option.getOrThrow(
      await world.run(
        Effect.gen(function* () {
          const now = yield* (yield* Clock).now;
          return yield* (yield* TaskStore).claimNext((task) =>
            Result.getOrThrow(claimTask(task, { workerId: "w-other", now, leaseMs: HOUR })),
          );
        }),
      ),
    );
    expect(running.id).toBe(older.id);

    expect(await world.run(runTask(older.id, "w1"))).toEqual(Option.none());
    expect(await world.run(getTask(admin, older.id))).toEqual(running);
  });

  it("does not run a finished task again, and returns none", async () => {
    const { world, newer } = await twoQueuedTasks();
    await world.run(runTask(newer.id, "w1"));
    const succeeded = await world.run(getTask(admin, newer.id));
    expect(succeeded.state._tag).toBe("Succeeded");

    expect(await world.run(runTask(newer.id, "w2"))).toEqual(Option.none());
    expect(await world.run(getTask(admin, newer.id))).toEqual(succeeded);
  });

  it("does not run a cancelled task, and returns none", async () => {
    const { world, newer } = await twoQueuedTasks();
    await world.run(cancelTask(admin, newer.id));
    const cancelled = await world.run(getTask(admin, newer.id));

    expect(await world.run(runTask(newer.id, "w1"))).toEqual(Option.none());
    expect(await world.run(getTask(admin, newer.id))).toEqual(cancelled);
  });

  it("fails with NotFoundError for a task that does not exist", async () => {
    const world = makeTestWorld();
    expect(await world.runFailure(runTask("no-such-task", "w1"))).toEqual(
      new NotFoundError({ resource: "task", id: "no-such-task" }),
    );
  });

  it("leaves the older task for runNextTask, which still takes the oldest first", async () => {
    const { world, older, newer } = await twoQueuedTasks();
    await world.run(runTask(newer.id, "w1"));
    const next = await world.run(runNextTask("w2"));
    expect(Option.map(next, (t) => [t.id, t.state._tag])).toEqual(
      Option.some([older.id, "Succeeded"]),
    );
  });
});
