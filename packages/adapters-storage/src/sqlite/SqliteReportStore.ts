/**
 * The ReportStore port for the embedded default: report bytes as files in a directory next
 * to the database, metadata in the `reports` table.
 *
 * Why files: a report is written once and then read (often by range) as a byte stream; the
 * file system does that without copying through SQLite's page cache, and the database stays
 * small. Atomicity comes from the order of steps: the content is written to a temporary name
 * (hashed and counted on the way), fsynced, renamed to its final name, the directory fsynced,
 * and only then is the metadata row inserted. A report is visible only through its row, so a
 * reader never sees a partial file; a failed or interrupted stream removes its file. A crash
 * between rename and insert leaves a file no row names: `sweepOrphanReportFiles` removes such
 * files (and stale temporary ones) when the store starts.
 *
 * A temporary file's name carries its writer's host and pid, so that the next start removes
 * the partial file of a writer that was killed (SIGKILL, out of memory) at once, instead of
 * keeping it for an hour — and, if that start came within the hour, until some later restart.
 * Every process sharing a SQLite file runs on one host (WAL needs shared memory).
 */
import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { type ReportDraft, ReportStore, StorageError } from "@tally/core";
import { Effect, Exit, Option, Stream } from "effect";
import { classifySqliteError } from "../errors/SqliteErrorClassifier.ts";
import { listReportsQuery } from "../queries/ReportQueries.ts";
import {
  reportInsertParameters,
  reportInsertSql,
  reportMetaFromRow,
  reportMetaOf,
  reportRow,
} from "../records/ReportRecord.ts";
import type { ReportsTable } from "../schema/Database.ts";
import type { SqliteDatabase } from "./SqliteDatabase.ts";

/** Bytes per chunk when a report is read. */
const readChunkBytes = 64 * 1024;
/** Files older than this that no row names are left over from a crash. */
const orphanAgeMs = 3_600_000;
const temporarySuffix = ".tmp";
const reportSuffix = ".report";
/** This host, as it appears in temporary file names. */
const hostTag = hostname().replace(/[^A-Za-z0-9-]/g, "_") || "host";
/** `<report file>.<host>.<pid>.tmp`: the writer of a temporary file. */
const temporaryWriter = /\.report\.([A-Za-z0-9_-]+)\.(\d+)\.tmp$/;

const insertReportSql = reportInsertSql(() => "?");

/** Options of the SQLite report store. */
export interface SqliteReportStoreOptions {
  /** Where report files live (created if missing). */
  readonly reportsDirectory: string;
}

/** Removes a file, ignoring that it may be gone already. */
const removeFile = (path: string): Promise<void> =>
  unlink(path).catch((error: unknown) => {
    if ((error as { code?: unknown }).code !== "ENOENT") throw error;
  });

/** Opens a directory and fsyncs it, so that a rename in it is durable. */
const syncDirectory = async (directory: string): Promise<void> => {
  const handle = await open(directory, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/** True when a temporary file was being written by a process of this host that has ended. */
const writerIsGone = (name: string): boolean => {
  const writer = temporaryWriter.exec(name);
  if (writer === null || writer[1] !== hostTag) return false;
  const pid = Number(writer[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists (another user's); only ESRCH means there is none.
    return (error as { code?: unknown }).code === "ESRCH";
  }
};

/**
 * Deletes temporary files and report files that no row names, if older than an hour (younger
 * ones may belong to a `put` in progress in another process), and at once the temporary files
 * of writers that have ended. Returns how many it removed.
 */
export const sweepOrphanReportFiles = async (
  database: SqliteDatabase,
  reportsDirectory: string,
  now: number,
): Promise<number> => {
  let removed = 0;
  const known = database.statement("select 1 from reports where content_file = ?");
  for (const name of await readdir(reportsDirectory)) {
    if (!name.endsWith(temporarySuffix) && !name.endsWith(reportSuffix)) continue;
    if (name.endsWith(reportSuffix) && known.get(name) !== undefined) continue;
    const path = join(reportsDirectory, name);
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) continue;
    if (now - info.mtimeMs < orphanAgeMs && !writerIsGone(name)) continue;
    await removeFile(path);
    removed++;
  }
  return removed;
};

/** A ReportStore keeping bytes in `options.reportsDirectory` and metadata in the database. */
export const makeSqliteReportStore = async (
  database: SqliteDatabase,
  options: SqliteReportStoreOptions,
): Promise<ReportStore["Service"]> => {
  const directory = options.reportsDirectory;
  await mkdir(directory, { recursive: true });
  const fail = (operation: string) => classifySqliteError(`ReportStore.${operation}`);
  const contentFileOf = (id: string) =>
    database.statement("select content_file, byte_size from reports where id = ?").get(id) as
      | { content_file: string | null; byte_size: number }
      | undefined;

  /** Writes the content to a new file and returns its name, size and digest. */
  const writeContent = <E>(content: Stream.Stream<Uint8Array, E>, temporaryPath: string) =>
    Effect.acquireUseRelease(
      Effect.tryPromise({ try: () => open(temporaryPath, "wx"), catch: fail("put") }),
      (handle) => {
        const hash = createHash("sha256");
        let byteSize = 0;
        // The previous batch's write: it runs while the next batch is made, instead of the
        // report waiting for each write (the main thread sat idle for them: ~0.2 s of a 100 MB
        // report). One write at most is in flight, so memory stays two batches.
        let writing: Promise<unknown> = Promise.resolve();
        return Stream.runForEachArray(content, (chunks) => {
          for (const chunk of chunks) {
            hash.update(chunk);
            byteSize += chunk.length;
          }
          return Effect.tryPromise({
            try: async () => {
              await writing;
              writing = handle.writev(chunks);
              // Awaited by the next batch or at the end; a stream that fails first must not
              // leave it unhandled.
              writing.catch(() => undefined);
            },
            catch: fail("put"),
          });
        }).pipe(
          Effect.andThen(
            Effect.tryPromise({
              try: async () => {
                await writing;
                await handle.sync();
              },
              catch: fail("put"),
            }),
          ),
          Effect.map(() => ({ byteSize, sha256: hash.digest("hex") })),
        );
      },
      (handle) => Effect.promise(() => handle.close().catch(() => undefined)),
    );

  return ReportStore.of({
    put: <E>(input: {
      readonly draft: ReportDraft;
      readonly content: Stream.Stream<Uint8Array, E>;
      readonly rowCount: () => number;
    }) => {
      const id = input.draft.id;
      const fileName = `${randomUUID()}${reportSuffix}`;
      const temporaryPath = join(
        directory,
        `${fileName}.${hostTag}.${process.pid}${temporarySuffix}`,
      );
      const finalPath = join(directory, fileName);
      const duplicate = new StorageError({
        reason: "UniqueViolation",
        operation: "ReportStore.put",
        detail: `a report with id '${id}' already exists`,
      });
      const steps = Effect.gen(function* () {
        if (contentFileOf(id) !== undefined) return yield* Effect.fail(duplicate);
        const written = yield* writeContent(input.content, temporaryPath);
        yield* Effect.tryPromise({
          try: async () => {
            await rename(temporaryPath, finalPath);
            await syncDirectory(directory);
          },
          catch: fail("put"),
        });
        const meta = reportMetaOf(input.draft, { rowCount: input.rowCount(), ...written });
        yield* database.use("ReportStore.put", (db) =>
          db
            .statement(insertReportSql)
            .run(
              ...reportInsertParameters(
                reportRow(meta, { contentFile: fileName, chunkSize: null }),
              ),
            ),
        );
        return meta;
      });
      return Effect.onExit(steps, (exit) =>
        Exit.isSuccess(exit)
          ? Effect.void
          : Effect.promise(() =>
              Promise.all([removeFile(temporaryPath), removeFile(finalPath)]).catch(
                () => undefined,
              ),
            ),
      );
    },

    getMeta: (id) =>
      database.use("ReportStore.getMeta", (db) =>
        Option.map(
          Option.fromNullishOr(
            db.statement("select * from reports where id = ?").get(id) as ReportsTable | undefined,
          ),
          reportMetaFromRow,
        ),
      ),

    read: (id, range) =>
      Stream.unwrap(
        database.use("ReportStore.read", () => {
          const stored = contentFileOf(id);
          if (stored === undefined || stored.content_file === null) {
            return Stream.fail(
              new StorageError({
                reason: "Unknown",
                operation: "ReportStore.read",
                detail: `report '${id}' is not stored`,
              }),
            );
          }
          const size = Number(stored.byte_size);
          const start = range === undefined ? 0 : Math.max(0, range.start);
          const end = range === undefined ? size - 1 : Math.min(size - 1, range.end);
          if (start > end) return Stream.empty;
          const path = join(directory, stored.content_file);
          return Stream.fromAsyncIterable(
            createReadStream(path, { start, end, highWaterMark: readChunkBytes }),
            fail("read"),
          ) as Stream.Stream<Uint8Array, StorageError>;
        }),
      ),

    list: (query) =>
      database.use("ReportStore.list", (db) =>
        db.all(listReportsQuery(db.kysely, query)).map(reportMetaFromRow),
      ),

    delete: (id) =>
      Effect.gen(function* () {
        const file = yield* database.use("ReportStore.delete", (db) =>
          db.writeTransaction(() => {
            const stored = contentFileOf(id);
            if (stored === undefined) return undefined;
            db.statement("delete from reports where id = ?").run(id);
            return stored.content_file;
          }),
        );
        if (file === undefined) return false;
        if (file !== null) {
          yield* Effect.tryPromise({
            try: () => removeFile(join(directory, file)),
            catch: fail("delete"),
          });
        }
        return true;
      }),

    deleteExpired: (now) =>
      Effect.gen(function* () {
        const files = yield* database.use("ReportStore.deleteExpired", (db) =>
          db.writeTransaction(() => {
            const expired = db
              .statement("select content_file from reports where expires_at <= ?")
              .all(now) as Array<{ content_file: string | null }>;
            db.statement("delete from reports where expires_at <= ?").run(now);
            return expired.map((row) => row.content_file);
          }),
        );
        yield* Effect.tryPromise({
          try: () =>
            Promise.all(
              files.flatMap((file) => (file === null ? [] : [removeFile(join(directory, file))])),
            ),
          catch: fail("deleteExpired"),
        });
        return files.length;
      }),
  });
};
