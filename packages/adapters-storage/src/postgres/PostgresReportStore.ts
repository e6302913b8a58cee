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
import { type ReportDraft, type ReportMeta, ReportStore, StorageError } from "@tally/core";
import { Effect, Exit, Option, Stream } from "effect";
import type pg from "pg";
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
/**
 * The chunk insert, as a named statement planned once per connection with a generic plan. As an
 * unnamed statement it was parsed and planned for every chunk, and planning a custom plan folds
 * the bound 256 KiB into a constant that the planner copies several times over: the server's
 * backend spent its time copying chunks into freshly mapped memory (page faults in
 * `copyObjectImpl` and `eval_const_expressions` led a system-wide profile of a 1M report).
 */
const insertChunk = {
  name: "tally_insert_report_chunk",
  text: "insert into report_chunks (report_id, seq, bytes) values ($1, $2, $3)",
} as const;
const finishReportSql =
  "update reports set row_count = $2, byte_size = $3, sha256 = $4 where id = $1";

/**
 * Collects incoming bytes into chunk-sized buffers and inserts each full one. Two buffers take
 * turns: while one chunk's insert is on its way, the next fills, so rendering and the database
 * work at once (at most one insert in flight, so memory stays two chunks). Serial inserts cost
 * 1.0–1.7 s of a 100 MB report (packages/server/bench/report-path.bench.ts). The buffers are
 * reused: a fresh one per chunk lived long enough to be promoted, and ~60 MiB of them piled up
 * between full collections.
 */
class ChunkWriter {
  private readonly buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
  private current = 0;
  private filled = 0;
  private seq = 0;
  private inFlight: Promise<unknown> | undefined;
  private readonly hash = createHash("sha256");
  /** Bytes received so far. */
  byteSize = 0;
  private readonly client: pg.PoolClient;
  private readonly reportId: string;

  constructor(client: pg.PoolClient, reportId: string) {
    this.client = client;
    this.reportId = reportId;
  }

  /** Takes the next bytes; writes every chunk they complete. */
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

  /** Writes the last, partial chunk, waits for every insert, and returns the digest. */
  async finish(): Promise<string> {
    if (this.filled > 0) await this.flush();
    await this.inFlight;
    return this.hash.digest("hex");
  }

  /** Starts the insert of the current buffer once the previous insert (the other buffer's) is done. */
  private async flush(): Promise<void> {
    await this.inFlight;
    const chunk = (this.buffers[this.current] as Buffer).subarray(0, this.filled);
    const insert = this.client.query({
      ...insertChunk,
      values: [this.reportId, this.seq++, chunk],
    });
    // Awaited by the next flush or by finish; if the content stream fails first, the
    // transaction rolls back and this rejection must not surface as unhandled.
    insert.catch(() => undefined);
    this.inFlight = insert;
    this.current ^= 1;
    this.filled = 0;
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
            // A generic plan from the first chunk on (a named statement's first five runs
            // would otherwise be planned for their values, as above).
            await client.query("begin; set local plan_cache_mode = force_generic_plan");
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
        );
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
