/**
 * The ReportStore port on PostgreSQL: metadata in `reports`, bytes in `report_chunks` rows of
 * `chunkBytes` each, so any machine can serve any report.
 *
 * `put` runs in one transaction on a client of its own: the metadata row first (a duplicate id
 * fails at once), then a chunk row each time `chunkBytes` have arrived, then the final size,
 * digest and row count. Nothing is visible before COMMIT, and a failed or interrupted content
 * stream rolls everything back. `read` fetches only the chunks a byte range touches, a few at
 * a time, and trims the first and last.
 */
import { createHash } from "node:crypto";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { type ReportDraft, type ReportMeta, ReportStore, StorageError } from "@tally/core";
import { Effect, Exit, Option, Stream } from "effect";
import type pg from "pg";
import { type CopyStreamQuery, from as copyFrom } from "pg-copy-streams";
import { classifyPostgresError } from "../errors/PostgresErrorClassifier.ts";
import { listReportsQuery } from "../queries/ReportQueries.ts";
import {
  reportInsertParameters,
  reportInsertSql,
  reportMetaFromRow,
  reportMetaOf,
  reportRow,
} from "../records/ReportRecord.ts";
import { type BatchCursor, batchCursorStream } from "../streaming/BatchCursor.ts";
import type { PostgresDatabase } from "./PostgresDatabase.ts";

/** Bytes per chunk row (the last chunk of a report may be shorter). */
export const chunkBytes = 256 * 1024;
/** Chunk rows fetched per query when reading. */
const chunksPerFetch = 4;

const insertReportSql = reportInsertSql((n) => `$${n}`);
const finishReportSql =
  "update reports set row_count = $2, byte_size = $3, sha256 = $4 where id = $1";

/** The signature and the empty flags and extension of a binary COPY stream. */
const binaryCopyHeader = Buffer.from([
  ...Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"),
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
]);
const empty = Buffer.alloc(0);
/** The field count -1 that ends a binary COPY stream. */
const binaryCopyTrailer = Buffer.from([0xff, 0xff]);

/**
 * Collects incoming bytes into chunk-sized buffers and sends each full one as a row of a binary
 * `COPY report_chunks FROM STDIN` (pg-copy-streams writes it straight to the socket). Two
 * buffers take turns: while one chunk is on its way, the next fills, so rendering and the
 * database work at once; a buffer is filled again only once its chunk has left (at most one
 * in flight, so memory stays two chunks). Serial inserts cost 1.0–1.7 s of a 100 MB report
 * (packages/server/bench/report-path.bench.ts). The buffers are reused: a fresh one per chunk
 * lived long enough to be promoted, and ~60 MiB of them piled up between full collections.
 * Chunks used to go as a bound parameter of an INSERT each, and pg's protocol writer copied
 * each into a fresh ~262 KiB buffer, held until the socket took it: those buffers, dead but
 * uncollected, raised a 10M-row report's peak RSS by up to ~40 MiB.
 */
class ChunkWriter {
  private readonly buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
  /** Per buffer, its chunk's send while it is on its way. */
  private readonly sending: Array<Promise<void> | undefined> = [undefined, undefined];
  private current = 0;
  private filled = 0;
  private seq = 0;
  private readonly hash = createHash("sha256");
  private readonly copy: CopyStreamQuery;
  private readonly socket: Writable;
  private readonly done: Promise<void>;
  /** The row prefix before the chunk's bytes: field count, report id, seq, chunk length. */
  private readonly prefix: Buffer;
  /** Bytes received so far. */
  byteSize = 0;

  constructor(client: pg.PoolClient, reportId: string) {
    // The connection's socket, which pg-copy-streams writes to as well (see `flush`).
    this.socket = (
      client as unknown as { readonly connection: { readonly stream: Writable } }
    ).connection.stream;
    this.copy = client.query(
      copyFrom("copy report_chunks (report_id, seq, bytes) from stdin (format binary)"),
    );
    this.done = finished(this.copy);
    // Awaited by `finish`; a content stream that fails first must not leave it unhandled.
    this.done.catch(() => undefined);
    const id = Buffer.from(reportId, "utf8");
    this.prefix = Buffer.alloc(2 + 4 + id.length + 4 + 8 + 4);
    let at = this.prefix.writeInt16BE(3, 0);
    at = this.prefix.writeInt32BE(id.length, at);
    at += id.copy(this.prefix, at);
    this.prefix.writeInt32BE(8, at);
    this.copy.write(binaryCopyHeader);
  }

  /** Takes the next bytes; sends every chunk they complete. */
  async write(bytes: Uint8Array): Promise<void> {
    this.hash.update(bytes);
    this.byteSize += bytes.length;
    let offset = 0;
    while (offset < bytes.length) {
      const take = Math.min(chunkBytes - this.filled, bytes.length - offset);
      (this.buffers[this.current] as Buffer).set(
        bytes.subarray(offset, offset + take),
        this.filled,
      );
      this.filled += take;
      offset += take;
      if (this.filled === chunkBytes) await this.flush();
    }
  }

  /** Sends the last, partial chunk, ends the COPY, and returns the digest. */
  async finish(): Promise<string> {
    if (this.filled > 0) await this.flush();
    this.copy.end(binaryCopyTrailer);
    await this.done;
    return this.hash.digest("hex");
  }

  /** Abandons the COPY (the transaction then rolls back). */
  abandon(): void {
    this.copy.destroy(new Error("report abandoned"));
  }

  /** Sends the current buffer as a row, then goes on filling the other once it has left. */
  private async flush(): Promise<void> {
    const index = this.current;
    const chunk = (this.buffers[index] as Buffer).subarray(0, this.filled);
    const prefix = Buffer.from(this.prefix);
    const at = prefix.length - 16;
    prefix.writeBigInt64BE(BigInt(this.seq++), at + 4);
    prefix.writeInt32BE(chunk.length, at + 12);
    this.copy.write(prefix);
    this.sending[index] = new Promise<void>((resolve, reject) => {
      this.copy.write(chunk, (error) => {
        if (error) return reject(error);
        // The copy stream calls back once the socket took the chunk, which may still hold
        // its last bytes: an empty write behind them calls back when they have left, and
        // only then may the buffer be filled again.
        this.socket.write(empty, (failure) => (failure ? reject(failure) : resolve()));
      });
    });
    this.sending[index]?.catch(() => undefined);
    this.current ^= 1;
    this.filled = 0;
    // The other buffer is filled next: wait until its chunk has left.
    await this.sending[this.current];
    this.sending[this.current] = undefined;
  }
}

/** A ReportStore over a PostgreSQL database. */
export const makePostgresReportStore = (database: PostgresDatabase): ReportStore["Service"] => {
  const fail = (operation: string) => classifyPostgresError(`ReportStore.${operation}`);

  /** A client in a transaction that commits if `use` succeeds and rolls back otherwise. */
  const inTransaction = <A, E>(use: (client: pg.PoolClient) => Effect.Effect<A, E>) =>
    Effect.acquireUseRelease(
      Effect.tryPromise({
        try: async () => {
          const client = await database.pool.connect();
          try {
            await client.query("begin");
            return client;
          } catch (error) {
            client.release(error as Error);
            throw error;
          }
        },
        catch: fail("put"),
      }),
      use,
      (client, exit) =>
        Effect.promise(async () => {
          try {
            await client.query(Exit.isSuccess(exit) ? "commit" : "rollback");
            client.release();
          } catch (error) {
            client.release(error as Error);
          }
        }),
    );

  const put = <E>(input: {
    readonly draft: ReportDraft;
    readonly content: Stream.Stream<Uint8Array, E>;
    readonly rowCount: () => number;
  }): Effect.Effect<ReportMeta, StorageError | E> =>
    inTransaction((client) =>
      Effect.gen(function* () {
        const draft = input.draft;
        const placeholder = reportMetaOf(draft, { rowCount: 0, byteSize: 0, sha256: "" });
        const row = reportRow(placeholder, { contentFile: null, chunkSize: chunkBytes });
        yield* Effect.tryPromise({
          try: () => client.query(insertReportSql, reportInsertParameters(row)),
          catch: fail("put"),
        });
        const writer = new ChunkWriter(client, draft.id);
        yield* Stream.runForEachArray(input.content, (chunks) =>
          Effect.tryPromise({
            try: async () => {
              for (const chunk of chunks) await writer.write(chunk);
            },
            catch: fail("put"),
          }),
        ).pipe(Effect.onError(() => Effect.sync(() => writer.abandon())));
        const sha256 = yield* Effect.tryPromise({ try: () => writer.finish(), catch: fail("put") });
        const meta = reportMetaOf(draft, {
          rowCount: input.rowCount(),
          byteSize: writer.byteSize,
          sha256,
        });
        yield* Effect.tryPromise({
          try: () =>
            client.query(finishReportSql, [draft.id, meta.rowCount, meta.byteSize, sha256]),
          catch: fail("put"),
        });
        return meta;
      }),
    );

  /** The chunks of a stored report covering the inclusive byte range [start, end]. */
  const chunkCursor = (
    id: string,
    start: number,
    end: number,
    chunkSize: number,
  ): Effect.Effect<BatchCursor<Uint8Array>> =>
    Effect.sync(() => {
      let seq = Math.floor(start / chunkSize);
      const lastSeq = Math.floor(end / chunkSize);
      const fetch = async (): Promise<ReadonlyArray<Uint8Array>> => {
        if (seq > lastSeq) return [];
        const result = await database.pool.query<{ seq: number; bytes: Buffer }>(
          "select seq, bytes from report_chunks where report_id = $1 and seq >= $2 and seq <= $3 order by seq",
          [id, seq, Math.min(lastSeq, seq + chunksPerFetch - 1)],
        );
        const slices: Array<Uint8Array> = [];
        for (const chunk of result.rows) {
          if (chunk.seq !== seq) break;
          const from = seq * chunkSize;
          const first = Math.max(0, start - from);
          const last = Math.min(chunk.bytes.length, end - from + 1);
          if (first < last) slices.push(chunk.bytes.subarray(first, last));
          seq++;
        }
        if (slices.length === 0) {
          throw new StorageError({
            reason: "Unknown",
            operation: "ReportStore.read",
            detail: `report '${id}' lost its content while being read (chunk ${seq} is missing)`,
          });
        }
        return slices;
      };
      return {
        next: Effect.tryPromise({ try: fetch, catch: fail("read") }),
        close: Effect.void,
      };
    });

  return ReportStore.of({
    put,
    getMeta: (id) =>
      database.use("ReportStore.getMeta", async (db) =>
        Option.map(
          Option.fromNullishOr(
            await db.selectFrom("reports").selectAll().where("id", "=", id).executeTakeFirst(),
          ),
          reportMetaFromRow,
        ),
      ),
    read: (id, range) =>
      Stream.unwrap(
        Effect.map(
          database.use("ReportStore.read", (db) =>
            db
              .selectFrom("reports")
              .select(["byte_size", "chunk_size"])
              .where("id", "=", id)
              .executeTakeFirst(),
          ),
          (stored): Stream.Stream<Uint8Array, StorageError> => {
            if (stored === undefined) {
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
            return batchCursorStream(
              chunkCursor(id, start, end, Number(stored.chunk_size ?? chunkBytes)),
            );
          },
        ),
      ),
    list: (query) =>
      database.use("ReportStore.list", async (db) =>
        (await listReportsQuery(db, query).execute()).map(reportMetaFromRow),
      ),
    delete: (id) =>
      database.use("ReportStore.delete", async (db) => {
        const result = await db.deleteFrom("reports").where("id", "=", id).executeTakeFirst();
        return result.numDeletedRows > 0n;
      }),
    deleteExpired: (now) =>
      database.use("ReportStore.deleteExpired", async (db) => {
        const result = await db
          .deleteFrom("reports")
          .where("expires_at", "<=", now)
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      }),
  });
};
