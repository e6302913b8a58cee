/**
 * A report made in this process, without HTTP: submit the task (the same use case the APIs
 * call), run the worker use case until the task is finished, show its progress, and write the
 * report's bytes to a file as they are stored (`ReportFileTee`) — under a temporary name
 * first, renamed when the task has Succeeded, so a file with the final name is always a whole
 * report. If another process ran the task, the stored report is copied to the file instead.
 *
 * This process runs only its own task (the core's `runTask`), never others queued in the same
 * database. If a running server sharing the database claims ours first, the loop waits until
 * that server has finished it.
 */
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import {
  getTask,
  isTerminal,
  type ReportMeta,
  ReportStore,
  type ReportTask,
  readReport,
  releaseHeldTasks,
  runTask,
  type SubmitReportInput,
  type SubmitReportOptions,
  submitReport,
} from "@tally/core";
import { Duration, Effect, Fiber, Option, Schema, Stream } from "effect";
import { commandLinePrincipal } from "../wiring/CommandLinePrincipal.ts";
import { processWorkerPrefix } from "../worker/WorkerPool.ts";
import { makeProgressDisplay } from "./ProgressDisplay.ts";
import { makeReportFileTee } from "./ReportFileTee.ts";

/** The task did not produce a report (it failed or was cancelled). */
export class ReportNotProducedError extends Schema.TaggedError<ReportNotProducedError>()(
  "ReportNotProducedError",
  { taskId: Schema.String, state: Schema.String, detail: Schema.String },
) {
  override get message(): string {
    return `task ${this.taskId} ended ${this.state}: ${this.detail}`;
  }
}

/** The file written and what it holds. */
export interface ProducedReportFile {
  readonly path: string;
  readonly meta: ReportMeta;
  readonly task: ReportTask;
}

const pollMs = 150;

/** Runs the task with `taskId` in this process, or waits for whoever runs it; returns it. */
const runUntilFinished = (taskId: string, workerId: string) =>
  Effect.gen(function* () {
    for (;;) {
      const task = yield* getTask(commandLinePrincipal, taskId);
      if (isTerminal(task.state)) return task;
      const ran = yield* runTask(taskId, workerId);
      // Ours is not Queued, yet not finished: another process is running it.
      if (Option.isNone(ran)) yield* Effect.sleep(Duration.millis(pollMs));
    }
  }).pipe(
    // Interrupted (Ctrl-C): give the task back to the queue instead of leaving it Running.
    Effect.onInterrupt(() => Effect.ignore(releaseHeldTasks(new Set([workerId])))),
  );

/** Writes the stream to `path` atomically (temporary file, then rename). */
const writeFileAtomically = (path: string, content: Stream.Stream<Uint8Array, unknown>) =>
  Effect.gen(function* () {
    yield* Effect.promise(() => mkdir(dirname(path), { recursive: true }));
    const temporary = `${path}.${process.pid}.partial`;
    const out = createWriteStream(temporary);
    const written = Stream.runForEachArray(content, (chunks) =>
      Effect.callback<void, Error>((resume) => {
        let pending = chunks.length;
        if (pending === 0) return resume(Effect.void);
        for (const chunk of chunks) {
          out.write(chunk, (error) => {
            if (error) resume(Effect.fail(error));
            else if (--pending === 0) resume(Effect.void);
          });
        }
      }),
    ).pipe(
      Effect.andThen(
        Effect.callback<void, Error>((resume) => {
          out.end((error?: Error | null) => resume(error ? Effect.fail(error) : Effect.void));
        }),
      ),
      Effect.andThen(Effect.promise(() => rename(temporary, path))),
    );
    yield* written.pipe(
      Effect.onError(() =>
        Effect.promise(async () => {
          out.destroy();
          await rm(temporary, { force: true });
        }),
      ),
    );
  });

/** Where `produceReportFile` writes, and what its progress display says. */
export interface ReportFileOptions extends SubmitReportOptions {
  /** The file to write; default: the report's own file name (`reportFileName`) in `dir`. */
  readonly out?: string | undefined;
  /** The directory of the report's own file name when `out` is not given; default: cwd. */
  readonly dir?: string | undefined;
  readonly label: string;
}

/**
 * Submits the report, runs it here with a progress display labelled `label`, and writes it to
 * `out` (default: the report's own file name in `dir`, or in the current directory).
 */
export const produceReportFile = (input: SubmitReportInput, options: ReportFileOptions) =>
  Effect.gen(function* () {
    const { task: submitted } = yield* submitReport(commandLinePrincipal, input, options);
    const workerId = `${processWorkerPrefix()}/cli`;
    yield* Effect.logInfo("report task submitted").pipe(
      Effect.annotateLogs({ taskId: submitted.id, type: submitted.type }),
    );
    const display = makeProgressDisplay(options.label);
    const watch = yield* Effect.forkChild(
      Effect.forever(
        getTask(commandLinePrincipal, submitted.id).pipe(
          Effect.tap((t) =>
            Effect.sync(() => display.update({ state: t.state._tag, progress: t.progress })),
          ),
          Effect.ignore,
          Effect.andThen(Effect.sleep(Duration.millis(pollMs))),
        ),
      ),
    );
    const target = (fileName: string) => resolve(options.dir ?? "", options.out ?? fileName);
    const tee = makeReportFileTee(yield* ReportStore, submitted.id, (draft) =>
      target(draft.fileName),
    );
    const task = yield* runUntilFinished(submitted.id, workerId).pipe(
      Effect.provideService(ReportStore, tee.store),
      Effect.ensuring(Fiber.interrupt(watch)),
      Effect.onError(() => tee.discard),
    );
    display.update({ state: task.state._tag, progress: task.progress });
    display.done();
    if (task.state._tag !== "Succeeded") {
      yield* tee.discard;
      const detail =
        task.state._tag === "Failed"
          ? `${task.state.error.code}: ${task.state.error.message}`
          : "the task was cancelled";
      return yield* new ReportNotProducedError({ taskId: task.id, state: task.state._tag, detail });
    }
    const download = yield* readReport(commandLinePrincipal, task.state.reportId);
    const teed = yield* tee.commit(download.meta.id).pipe(Effect.ensuring(tee.discard));
    const path = teed ?? target(download.meta.fileName);
    if (teed === undefined) yield* writeFileAtomically(path, download.content);
    yield* Effect.logInfo("report written").pipe(
      Effect.annotateLogs({ taskId: task.id, reportId: download.meta.id, path }),
    );
    return { path, meta: download.meta, task } satisfies ProducedReportFile;
  });
