/**
 * The report `tally report` makes, written to its file while the report store stores it: the
 * store's `put` is wrapped so that the content of the command's own task passes through a file
 * on its way in. The bytes are rendered once and written where they are wanted, instead of
 * stored, then read back and copied (for a 100 MB report that copy cost more than a second).
 *
 * The file is written under a temporary name next to its final one; `commit` renames it once
 * the task has Succeeded with the report that was written, so a file with the final name is
 * always a whole report. Any other ending removes it. The file never breaks the report: if
 * writing it fails (a full disk, say), the report is still stored, and `commit` answers that
 * no file was written, so the caller copies the stored report instead (and meets the error
 * there, with the report safe in the store).
 */
import type { FileHandle } from "node:fs/promises";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { type ReportDraft, type ReportMeta, ReportStore, type StorageError } from "@tally/core";
import { Effect, Exit, Stream } from "effect";

/** Where the report's file goes, chosen when the report is stored (its draft names it). */
export type ReportFilePath = (draft: ReportDraft) => string;

/** A report file being written alongside the store. */
export interface ReportFileTee {
  /** The report store that writes the task's report to its file as well. */
  readonly store: ReportStore["Service"];
  /**
   * Gives the file its final name if it holds the report `reportId`; returns the path, or
   * undefined when no such file was written (another process made the report).
   */
  readonly commit: (reportId: string) => Effect.Effect<string | undefined, Error>;
  /** Removes a file not committed (idempotent). */
  readonly discard: Effect.Effect<void>;
}

/** The file written so far: its final and temporary paths, and the report it holds. */
interface WrittenFile {
  readonly path: string;
  readonly temporary: string;
  readonly reportId: string;
}

const closeQuietly = (handle: FileHandle) => handle.close().catch(() => undefined);

/** Wraps `store` so that the report of `taskId` is also written to `pathOf(draft)`. */
export const makeReportFileTee = (
  store: ReportStore["Service"],
  taskId: string,
  pathOf: ReportFilePath,
): ReportFileTee => {
  let written: WrittenFile | undefined;
  /** Temporary files of puts that did not succeed, or were replaced by a later put. */
  const leftovers = new Set<string>();

  const discardFile = (temporary: string) =>
    Effect.promise(() => rm(temporary, { force: true }).catch(() => undefined));

  const put = <E>(input: {
    readonly draft: ReportDraft;
    readonly content: Stream.Stream<Uint8Array, E>;
    readonly rowCount: () => number;
  }): Effect.Effect<ReportMeta, StorageError | E> => {
    if (input.draft.taskId !== taskId) return store.put(input);
    const path = resolve(pathOf(input.draft));
    const temporary = `${path}.${process.pid}.partial`;
    /** Set when the file could not be written: the content then only goes to the store. */
    let failed = false;
    /**
     * The file's write of the previous batch. It runs while the batch goes on to the store and
     * the next one is made, instead of each batch waiting for the file first; one write at most
     * is in flight (the batches are not reused, so holding one is safe).
     */
    let writing: Promise<void> = Promise.resolve();
    const tee = <C extends ReadonlyArray<Uint8Array>>(
      handle: FileHandle | undefined,
      chunks: C,
    ): Effect.Effect<C> =>
      handle === undefined || failed
        ? Effect.succeed(chunks)
        : Effect.promise(async () => {
            await writing;
            if (!failed) {
              writing = handle.writev(chunks).then(
                () => undefined,
                () => {
                  failed = true;
                },
              );
            }
            return chunks;
          });
    return Effect.acquireUseRelease(
      Effect.promise(() =>
        mkdir(dirname(path), { recursive: true })
          .then(() => open(temporary, "w"))
          .catch(() => undefined),
      ),
      (handle) =>
        store.put({
          ...input,
          content: input.content.pipe(Stream.mapArrayEffect((chunks) => tee(handle, chunks))),
        }),
      (handle, exit) =>
        Effect.promise(async () => {
          if (handle === undefined) return;
          await writing;
          await closeQuietly(handle);
        }).pipe(
          // Decided once the last write has ended: it may have failed.
          Effect.andThen(() =>
            Exit.isSuccess(exit) && handle !== undefined && !failed
              ? Effect.sync(() => {
                  if (written !== undefined) leftovers.add(written.temporary);
                  written = { path, temporary, reportId: exit.value.id };
                })
              : discardFile(temporary),
          ),
        ),
    );
  };

  return {
    store: ReportStore.of({ ...store, put }),
    commit: (reportId) =>
      Effect.gen(function* () {
        const file = written;
        if (file === undefined || file.reportId !== reportId) return undefined;
        yield* Effect.tryPromise({
          try: () => rename(file.temporary, file.path),
          catch: (error) => error as Error,
        });
        written = undefined;
        return file.path;
      }),
    discard: Effect.suspend(() => {
      const files = [...leftovers, ...(written === undefined ? [] : [written.temporary])];
      leftovers.clear();
      written = undefined;
      return Effect.forEach(files, discardFile, { discard: true });
    }),
  };
};
