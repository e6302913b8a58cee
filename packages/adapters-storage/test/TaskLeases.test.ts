/**
 * Lease expiry on both backends: a worker that stops renewing loses its task to the next
 * claimer, who starts attempt two; after the last allowed attempt the sweep fails the task
 * with a message saying why. Time comes from a manual clock; the core's lifecycle and its
 * lease sweep (`sweepExpiredLeases`) drive the store.
 */
import {
  attemptsExhaustedCode,
  type Clock,
  claimTask,
  ManualClock,
  type ReportTask,
  sweepExpiredLeases,
  TaskStore,
} from "@tally/core";
import { withFreshContext } from "@tally/core/testing";
import { Context, Effect, Layer, Option, Result } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { backends } from "./support/Backends.ts";
import { queuedTask, T0 } from "./support/SampleTasks.ts";
import { awaitSchemaDrops, requirePostgres } from "./support/TestPostgres.ts";

await requirePostgres();
afterAll(awaitSchemaDrops);

const leaseMs = 30_000;

describe.each(backends)("$name task leases", ({ makeLayer }) => {
  it("a task whose lease runs out is claimed again with attempts + 1, and fails after the last attempt", () =>
    withFreshContext(makeLayer, async (context) => {
      const store = Context.get(context, TaskStore);
      const clock = ManualClock.make(T0);
      const run = <A, E>(effect: Effect.Effect<A, E, TaskStore | Clock>) =>
        Effect.runPromise(
          effect.pipe(Effect.provide(Layer.mergeAll(Layer.succeed(TaskStore, store), clock.layer))),
        );
      const claim = (workerId: string) =>
        run(
          store.claimNext((task: ReportTask) =>
            Result.getOrThrow(claimTask(task, { workerId, now: clock.current(), leaseMs })),
          ),
        );

      await run(store.insert(queuedTask("leased", T0, 2)));
      const first = Option.getOrThrow(await claim("worker-a"));
      expect(first.attempts).toBe(1);
      expect(first.lease).toEqual({ workerId: "worker-a", expiresAt: T0 + leaseMs });

      await run(clock.advance(leaseMs - 1));
      expect(await run(sweepExpiredLeases()), "a live lease is left alone").toBe(0);
      expect(await claim("worker-b"), "nothing to claim while it runs").toEqual(Option.none());

      await run(clock.advance(1));
      expect(await run(sweepExpiredLeases()), "the lease expired exactly now").toBe(1);
      const requeued = Option.getOrThrow(await run(store.get("leased")));
      expect(requeued.state._tag).toBe("Queued");
      expect(requeued.lease).toBeNull();

      const second = Option.getOrThrow(await claim("worker-b"));
      expect(second.attempts, "the second claim is attempt two").toBe(2);
      expect(second.lease?.workerId).toBe("worker-b");

      await run(clock.advance(leaseMs));
      expect(await run(sweepExpiredLeases())).toBe(1);
      const failed = Option.getOrThrow(await run(store.get("leased")));
      expect(failed.state._tag).toBe("Failed");
      if (failed.state._tag !== "Failed") return;
      expect(failed.state.error.code).toBe(attemptsExhaustedCode);
      expect(failed.state.error.message).toMatch(/gave up after 2 attempts/);
      expect(failed.finishedAt).toBe(clock.current());
      expect(await claim("worker-c"), "a failed task is not claimed").toEqual(Option.none());
      expect(await run(store.listExpiredLeases(clock.current() + 10 * leaseMs, 10))).toEqual([]);
    }));
});
