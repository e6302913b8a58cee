/**
 * Concurrent claimers never share a task. PostgreSQL: eight claimers, each with a pool of its
 * own, over one schema (`FOR UPDATE SKIP LOCKED`). SQLite: eight separate processes over one
 * file (`BEGIN IMMEDIATE` and the busy timeout). Either way 500 queued tasks are each claimed
 * exactly once.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { claimTask, TaskStore } from "@tally/core";
import { Context, Effect, Exit, Layer, Option, Result, Scope } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresStorage, SqliteStorage } from "../src/index.ts";
import { queuedTask, T0 } from "./support/SampleTasks.ts";
import { temporaryDirectory } from "./support/TemporaryDatabase.ts";
import {
  awaitSchemaDrops,
  dropSchema,
  freshSchemaName,
  requirePostgres,
  testPostgresUrl,
} from "./support/TestPostgres.ts";

await requirePostgres();
afterAll(awaitSchemaDrops);

const claimers = 8;
const taskCount = 500;
const tasks = Array.from({ length: taskCount }, (_, i) =>
  queuedTask(`task-${String(i).padStart(3, "0")}`, T0 + (i % 17)),
);

/** Inserts the tasks through a layer, in a scope of its own. */
const insertTasks = (layer: Layer.Layer<TaskStore, unknown>) =>
  Effect.runPromise(
    Effect.provide(
      Effect.gen(function* () {
        const store = yield* TaskStore;
        for (const task of tasks) yield* store.insert(task);
      }),
      layer,
    ),
  );

/** Every claimed id exactly once, and nothing but the inserted tasks. */
const expectEachClaimedOnce = (perClaimer: ReadonlyArray<ReadonlyArray<string>>) => {
  const claimed = perClaimer.flat();
  expect(claimed.length, "no task was claimed twice").toBe(new Set(claimed).size);
  expect([...claimed].sort(), "every task was claimed").toEqual(tasks.map((t) => t.id).sort());
  expect(
    perClaimer.filter((ids) => ids.length > 0).length,
    "the claimers really competed",
  ).toBeGreaterThan(1);
};

/**
 * Sized for a loaded 2-core machine (both cores busy with other work), where eight Node
 * processes take many seconds just to start: the bound only ends a hang.
 */
const claimTestTimeoutMs = 300_000;

describe("PostgreSQL claims", () => {
  it("eight claimers with pools of their own claim each of 500 tasks exactly once", {
    timeout: claimTestTimeoutMs,
  }, async () => {
    const schema = freshSchemaName();
    const scope = await Effect.runPromise(Scope.make());
    try {
      const layer = () =>
        PostgresStorage.layer({ connectionString: testPostgresUrl, schema, poolSize: 2 });
      await insertTasks(layer());
      const stores = await Promise.all(
        Array.from({ length: claimers }, () =>
          Effect.runPromise(Layer.buildWithScope(layer(), scope)).then((context) =>
            Context.get(context, TaskStore),
          ),
        ),
      );
      const claimAll = async (store: TaskStore["Service"], workerId: string) => {
        const mine: Array<string> = [];
        for (;;) {
          const next = await Effect.runPromise(
            store.claimNext((task) =>
              Result.getOrThrow(claimTask(task, { workerId, now: T0 + 1_000, leaseMs: 60_000 })),
            ),
          );
          if (Option.isNone(next)) return mine;
          mine.push(next.value.id);
        }
      };
      expectEachClaimedOnce(
        await Promise.all(stores.map((store, i) => claimAll(store, `worker-${i}`))),
      );
    } finally {
      await Effect.runPromise(Scope.close(scope, Exit.void));
      await dropSchema(schema);
    }
  });
});

/** Starts a claimer process and resolves once it has opened the database. */
const startClaimer = async (
  filename: string,
  workerId: string,
): Promise<{ child: ChildProcessWithoutNullStreams; claimed: Promise<Array<string>> }> => {
  const script = join(import.meta.dirname, "support", "sqliteClaimer.ts");
  const child = spawn(process.execPath, [script, filename, workerId], { stdio: "pipe" });
  let stderr = "";
  child.stderr.on("data", (data: Buffer) => {
    stderr += data.toString();
  });
  const lines = createInterface({ input: child.stdout });
  const outputs: Array<string> = [];
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  lines.on("line", (line) => {
    if (line === "ready") onReady();
    else outputs.push(line);
  });
  const claimed = new Promise<Array<string>>((resolve, reject) => {
    child.on("close", (code) => {
      if (code === 0 && outputs.length === 1) resolve(JSON.parse(outputs[0] as string));
      else reject(new Error(`claimer ${workerId} exited with ${code}: ${stderr}`));
    });
  });
  await Promise.race([ready, claimed]);
  return { child, claimed };
};

describe("SQLite claims", () => {
  it("eight processes on one file claim each of 500 tasks exactly once", {
    timeout: claimTestTimeoutMs,
  }, async () => {
    const directory = temporaryDirectory();
    try {
      const filename = join(directory, "shared.db");
      await insertTasks(SqliteStorage.layer({ filename }));
      const processes = await Promise.all(
        Array.from({ length: claimers }, (_, i) => startClaimer(filename, `process-${i}`)),
      );
      for (const { child } of processes) child.stdin.end("go\n");
      expectEachClaimedOnce(await Promise.all(processes.map((p) => p.claimed)));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
