import { Effect, Layer } from "effect";
import { describe, expect, it } from "vitest";
import {
  Clock,
  defaultTallySettings,
  IdGenerator,
  InMemory,
  ManualClock,
  SequentialIdGenerator,
  SystemClock,
  TallySettings,
} from "../../src/index.ts";

describe("ManualClock", () => {
  it("tells the instant it was set to, and moves only when told", async () => {
    const manual = ManualClock.make(1_000);
    const read = Effect.gen(function* () {
      return yield* (yield* Clock).now;
    }).pipe(Effect.provide(manual.layer));
    expect(await Effect.runPromise(read)).toBe(1_000);
    await Effect.runPromise(manual.advance(500));
    expect(await Effect.runPromise(read)).toBe(1_500);
    await Effect.runPromise(manual.setTo(42));
    expect(await Effect.runPromise(read)).toBe(42);
    expect(manual.current()).toBe(42);
  });
});

describe("SystemClock", () => {
  it("reads effect's clock in epoch milliseconds", async () => {
    const now = await Effect.runPromise(SystemClock.clock.now);
    expect(now).toSatisfy(Number.isSafeInteger);
    expect(Math.abs(now - Date.now())).toBeLessThan(60_000);
  });
});

describe("SequentialIdGenerator", () => {
  it("counts up per kind from 1, zero-padded", async () => {
    const ids = SequentialIdGenerator.make();
    const next = (kind: string) => Effect.runPromise(ids.next(kind));
    expect([await next("task"), await next("task"), await next("report")]).toEqual([
      "task-000001",
      "task-000002",
      "report-000001",
    ]);
  });

  it("starts afresh with every layer build", async () => {
    const first = Effect.gen(function* () {
      return yield* (yield* IdGenerator).next("task");
    });
    expect(await Effect.runPromise(Effect.provide(first, SequentialIdGenerator.layer))).toBe(
      "task-000001",
    );
    expect(await Effect.runPromise(Effect.provide(first, SequentialIdGenerator.layer))).toBe(
      "task-000001",
    );
  });
});

describe("InMemory.layer", () => {
  it("provides every port the use cases need, with settings that a later layer overrides", async () => {
    const settings = Effect.gen(function* () {
      return yield* TallySettings;
    });
    expect(await Effect.runPromise(Effect.provide(settings, InMemory.layer))).toEqual(
      defaultTallySettings,
    );
    const custom = { ...defaultTallySettings, localZone: "Europe/Berlin" };
    const overridden = Layer.merge(InMemory.layer, Layer.succeed(TallySettings, custom));
    expect(await Effect.runPromise(Effect.provide(settings, overridden))).toEqual(custom);
  });
});
