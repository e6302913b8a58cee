/**
 * A claimer process for the multi-process test: opens the SQLite file given as the first
 * argument, says `ready`, waits for `go` on stdin, then claims tasks until none is queued and
 * prints the ids it claimed as one JSON line. Run with Node 24 (`process.execPath`).
 */
import { createInterface } from "node:readline";
import { claimTask, TaskStore } from "@tally/core";
import { Effect, Option, Result } from "effect";
import { SqliteStorage } from "../../src/index.ts";

const [filename, workerId] = process.argv.slice(2) as [string, string];
const goSignal = new Promise<void>((resolve) => {
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    if (line.trim() === "go") {
      lines.close();
      process.stdin.destroy();
      resolve();
    }
  });
});

const program = Effect.gen(function* () {
  const store = yield* TaskStore;
  process.stdout.write("ready\n");
  yield* Effect.promise(() => goSignal);
  const claimed: Array<string> = [];
  for (;;) {
    const next = yield* store.claimNext((task) =>
      Result.getOrThrow(claimTask(task, { workerId, now: Date.now(), leaseMs: 60_000 })),
    );
    if (Option.isNone(next)) break;
    claimed.push(next.value.id);
  }
  process.stdout.write(`${JSON.stringify(claimed)}\n`);
});

// Eight claimers take turns at one write lock; on a loaded machine a claimer may wait its
// turn for long: the test is about exactly-once, so the wait is bounded generously.
await Effect.runPromise(
  Effect.provide(program, SqliteStorage.layer({ filename, busyTimeoutMs: 120_000 })),
);
