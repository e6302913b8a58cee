/**
 * One report through a `tally worker` process, whole: a CSV or PDF task is queued (not
 * measured), then the worker starts, claims it, makes and stores the report, and logs "task
 * finished"; the time is from the start of the process to that line, the peak RSS the
 * process's high-water mark (VmHWM) at that moment. Then it is stopped with SIGTERM.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Sample } from "./Measure.ts";
import type { BenchStorage } from "./Storages.ts";
import { type TallyEntry, tallyArgs } from "./TallyEntries.ts";

const queueScript = new URL("./queueReport.ts", import.meta.url).pathname;

/** The peak RSS of a live process (its VmHWM), in MiB. */
const peakRssMiB = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kib / 1024;
};

/** What the worker is asked to make. */
export interface WorkerTask {
  readonly format: "csv" | "pdf";
  readonly start: number;
  readonly end: number;
  readonly tenantId?: string;
}

/** Queues `task` in `storage`, then measures a worker process making it. */
export const workerRun = async (
  entry: TallyEntry,
  storage: BenchStorage,
  task: WorkerTask,
): Promise<Sample> => {
  const queued = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      queueScript,
      storage.location,
      task.format,
      String(task.start),
      String(task.end),
      ...(task.tenantId === undefined ? [] : [task.tenantId]),
    ],
    { encoding: "utf8" },
  );
  if (queued.status !== 0) throw new Error(`could not queue a report: ${queued.stderr}`);
  const started = performance.now();
  const child = spawn(entry.node, tallyArgs(entry, ["worker"]), {
    env: {
      ...process.env,
      TALLY_STORAGE: storage.location,
      TALLY_WORKERS: "1",
      TALLY_LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    const lines = createInterface({ input: child.stdout });
    for await (const line of lines) {
      if (!line.includes('"task finished"')) continue;
      const seconds = (performance.now() - started) / 1000;
      const peak = peakRssMiB(child.pid as number);
      const logged = JSON.parse(line) as { readonly state?: string; readonly error?: string };
      if (logged.state !== "Succeeded") {
        throw new Error(`the worker's task ended ${logged.state}: ${logged.error ?? ""}`);
      }
      return { seconds, peakRssMiB: peak };
    }
    throw new Error(`the worker exited (${await exited}) before finishing its task`);
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
};
