/**
 * The count behind a report's progress runs beside the report's stream, not before it: a store
 * may answer the count only once the stream is under way (as PostgreSQL does on a second
 * connection), and the report must not wait for it. Progress is 0 until the count has answered,
 * then the share of rows read; a store that counts without waiting has answered before the first
 * row is read.
 */
import { Deferred, Effect, Logger, Option, Stream } from "effect";
import { describe, expect, it } from "vitest";
import {
  type PeriodRow,
  ProtectionPeriodStore,
  StorageError,
  TenantDirectory,
  type TenantReportRequest,
} from "../../src/index.ts";
import { tenantReportSource } from "../../src/usecases/ReportSource.ts";
import { tenantReportRequest } from "./TestWorld.ts";

const year2024 = { start: Date.UTC(2024, 0, 1), end: Date.UTC(2025, 0, 1) };
const request = (format: "csv" | "pdf"): TenantReportRequest =>
  tenantReportRequest({ interval: year2024, format });

/** 40 periods of 40 VMs of tenant acme, one a day from 2024-01-01, in chunks of 10. */
const rows: ReadonlyArray<PeriodRow> = Array.from({ length: 40 }, (_, i) => ({
  tenantId: "acme",
  tenantName: "Acme",
  vmId: `vm-${String(i).padStart(2, "0")}`,
  vmName: `web-${i}`,
  start: year2024.start + i * 86_400_000,
  end: year2024.start + (i + 1) * 86_400_000,
}));
const chunks = [0, 10, 20, 30].map((at) => rows.slice(at, at + 10));

const tenants = TenantDirectory.of({
  getTenant: () => Effect.succeed(Option.none()),
} as unknown as TenantDirectory["Service"]);

/** A store whose count answers once `countMay` is done, and counts how often it was asked. */
const storeOf = (countMay: Deferred.Deferred<void>, afterFirstChunk: Effect.Effect<void>) => {
  const asked = { counts: 0 };
  const store = ProtectionPeriodStore.of({
    upsertPeriods: () => Effect.void,
    earliestStart: () => Effect.succeed(Option.none()),
    streamOverlapping: () =>
      Stream.fromIterable(chunks).pipe(
        Stream.mapEffect((chunk, index) =>
          index === 1 ? Effect.as(afterFirstChunk, chunk) : Effect.succeed(chunk),
        ),
        Stream.flatMap((chunk) => Stream.fromArray(chunk)),
        Stream.rechunk(10),
      ),
    countOverlapping: () =>
      Effect.sync(() => asked.counts++).pipe(
        Effect.andThen(Deferred.await(countMay)),
        Effect.as(rows.length),
      ),
  });
  return { store, asked };
};

/** Runs the report's lines with a checkpoint every 10 rows; the progress of each checkpoint. */
const progressOf = (
  store: ProtectionPeriodStore["Service"],
  format: "csv" | "pdf",
): Effect.Effect<
  { readonly lines: number; readonly progress: ReadonlyArray<number> },
  StorageError
> =>
  Effect.gen(function* () {
    const progress: Array<number> = [];
    const source = yield* tenantReportSource("task-1", request(format), year2024.end, {
      progressEveryRows: 10,
      checkpoint: (p) => Effect.sync(() => progress.push(p)),
    });
    if (format === "pdf") yield* source.content.summaries;
    const lines = yield* Stream.runCount(source.content.lines);
    return { lines, progress };
  }).pipe(
    Effect.provideService(ProtectionPeriodStore, store),
    Effect.provideService(TenantDirectory, tenants),
  );

describe("the count behind a report's progress", () => {
  it("runs beside the stream: a count that answers only once rows flow does not hold the report", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const countMay = yield* Deferred.make<void>();
        // The count may answer only after the stream has delivered its first chunk.
        const { store } = storeOf(countMay, Deferred.succeed(countMay, undefined));
        return yield* progressOf(store, "csv");
      }),
    );
    expect(result.lines).toBe(40);
    // The first checkpoint may come before the count's answer (0), the last ones after it.
    expect(result.progress.slice(1)).toEqual([50, 75, 99]);
    expect([0, 25]).toContain(result.progress[0]);
  });

  it("a count that answers at once is there before the first row: progress is the share read", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const countMay = yield* Deferred.make<void>();
        yield* Deferred.succeed(countMay, undefined);
        const { store } = storeOf(countMay, Effect.void);
        return yield* progressOf(store, "csv");
      }),
    );
    expect(result).toEqual({ lines: 40, progress: [25, 50, 75, 99] });
  });

  it("a PDF reads the store twice and counts once; progress spans both passes", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const countMay = yield* Deferred.make<void>();
        yield* Deferred.succeed(countMay, undefined);
        const { store, asked } = storeOf(countMay, Effect.void);
        const run = yield* progressOf(store, "pdf");
        return { ...run, counts: asked.counts };
      }),
    );
    expect(result).toEqual({
      lines: 40,
      progress: [12, 25, 37, 50, 62, 75, 87, 99],
      counts: 1,
    });
  });

  it("a count that fails leaves progress at 0 and the report whole", async () => {
    const store = ProtectionPeriodStore.of({
      ...storeOf(Deferred.makeUnsafe<void>(), Effect.void).store,
      countOverlapping: () =>
        Effect.fail(
          new StorageError({ reason: "ConnectionError", operation: "count", detail: "down" }),
        ),
    });
    const logged: Array<{ readonly level: string; readonly message: unknown }> = [];
    const capture = Logger.make((options) => {
      logged.push({ level: options.logLevel, message: options.message });
    });
    const result = await Effect.runPromise(
      progressOf(store, "csv").pipe(Effect.provide(Logger.layer([capture]))),
    );
    expect(result).toEqual({ lines: 40, progress: [0, 0, 0, 0] });
    expect(logged.map(({ level, message }) => [level, (message as Array<unknown>)[0]])).toEqual([
      ["Warn", "rows not counted: progress stays at 0 until the end"],
    ]);
  });
});
