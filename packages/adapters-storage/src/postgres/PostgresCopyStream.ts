/**
 * Streams the rows of one or more queries, in turn, through `COPY (query) TO STDOUT` in text
 * format: one pooled client, one REPEATABLE READ READ ONLY transaction (all parts see the same
 * snapshot), and the rows parsed here (`CopyTextRows`) into batches. The server-side cursor
 * this replaced (FETCH 1000, pg's rowMode array) cost a round trip per batch and pg's per-row
 * message, array and type handling: twice the CPU of this path, and ~100 MiB more heap, as
 * its short-lived rows outlived young-generation collections.
 *
 * Memory stays bounded whatever the query matches: one batch, the bytes read ahead
 * (`CopyReadAhead`, 128 KiB) and the socket's buffers; beyond them the server waits. COPY takes
 * no bind parameters: they are inlined as literals (`SqlLiterals`).
 *
 * A client whose COPY did not run to its end — the consumer stopped early or failed, or the
 * COPY failed — is destroyed rather than returned to the pool: its connection is still in the
 * middle of the COPY, and the server ends the backend (and its transaction) once the
 * connection is closed.
 */
import type { StorageError } from "@tally/core";
import { Effect, type Stream } from "effect";
import type { CompiledQuery } from "kysely";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { classifyPostgresError } from "../errors/PostgresErrorClassifier.ts";
import { type BatchCursor, batchCursorStream, defaultBatchRows } from "../streaming/BatchCursor.ts";
import { CopyReadAhead } from "./CopyReadAhead.ts";
import { type CopyColumn, CopyTextRows } from "./CopyTextRows.ts";
import { withInlinedParameters } from "./SqlLiterals.ts";

/** How the rows of a stream's queries are read: their columns, and the row each becomes. */
export interface CopyRowShape<A> {
  /** The select list's columns, in order. */
  readonly columns: ReadonlyArray<CopyColumn>;
  /** The row built from the fields (the array is reused: copy what is kept). */
  readonly toRow: (raw: ReadonlyArray<unknown>) => A;
}

/**
 * Starts a stream's transaction and fixes the plans its COPYs may take. A cursor is planned
 * for its first rows and never in parallel; a COPY is planned for its total cost, and on a big
 * table the planner then sorts the rows after a parallel scan: the first row waits for the
 * whole sort, and the workers take the CPU the stream's consumer needs. So sorting is
 * discouraged (the ordered index scans of the report queries win, as they did for the cursor)
 * and parallel workers are off, for this transaction only.
 */
export const beginStream = beginStreamIn(undefined);

/** `beginStream`, importing `snapshot` (an id checked by the caller) when one is given. */
function beginStreamIn(snapshot: string | undefined): string {
  return (
    "begin isolation level repeatable read read only; " +
    (snapshot === undefined ? "" : `set transaction snapshot '${snapshot}'; `) +
    "set local enable_sort = off; set local max_parallel_workers_per_gather = 0"
  );
}

/** The statement a stream runs for a compiled query. */
export const copyStatement = (query: CompiledQuery): string =>
  `copy (${withInlinedParameters(query)}) to stdout`;

/**
 * Bytes of COPY data read ahead of the consumer (about 1 800 report rows). 1 MiB was no faster,
 * and its chunks lived long enough to be promoted: ~50 MiB of ArrayBuffers waited for a full
 * collection (1M-row report: peak RSS 250 MiB, against 145–210 MiB with 128 KiB).
 */
const readAheadBytes = 1 << 17;

/** A snapshot id as `pg_export_snapshot` returns it (hex digits and dashes). */
const snapshotId = /^[0-9A-F-]+$/i;

/** One COPY in progress on a session: its chunks, read ahead, and its rows' parser. */
export class CopyRun<A> {
  private readonly session: CopySession;
  private readonly chunks: CopyReadAhead;
  private readonly rows: CopyTextRows<A>;

  constructor(session: CopySession, chunks: CopyReadAhead, rows: CopyTextRows<A>) {
    this.session = session;
    this.chunks = chunks;
    this.rows = rows;
  }

  /**
   * Appends to `into` the rows the next chunk completes (possibly none); false, with nothing
   * appended, once the COPY has ended — its session may then run another.
   */
  async read(into: Array<A>): Promise<boolean> {
    this.session.checkOpen();
    const chunk = await this.chunks.next();
    if (chunk === undefined) {
      this.rows.finish();
      this.session.ended(this);
      return false;
    }
    this.rows.push(chunk, into);
    return true;
  }
}

/**
 * A pooled client in a stream's transaction (`beginStream`), running COPYs one after the
 * other. Opened with another session's exported snapshot, it reads exactly what that one
 * reads, so that two COPYs of one snapshot can stream at once on two connections. Closing
 * commits and returns the client to the pool, unless something went wrong or a COPY is still
 * running: then the client is destroyed (see the file's comment).
 */
export class CopySession {
  /** Takes a client from `pool` and starts the transaction, in `snapshot` when given. */
  static async open(pool: pg.Pool, snapshot?: string): Promise<CopySession> {
    if (snapshot !== undefined && !snapshotId.test(snapshot)) {
      throw new TypeError(`not a snapshot id: '${snapshot}'`);
    }
    const client = await pool.connect();
    const session = new CopySession(client);
    try {
      await client.query(beginStreamIn(snapshot));
    } catch (error) {
      session.failed(error as Error);
      await session.close();
      throw error;
    }
    return session;
  }

  private readonly client: pg.PoolClient;
  /** Why the connection may not go back to the pool, once something went wrong. */
  private failure: Error | undefined;
  /** The COPY in progress, if any. */
  private running: CopyRun<unknown> | undefined;
  private closed = false;
  private readonly lost = (error: Error) => this.failed(error);

  private constructor(client: pg.PoolClient) {
    this.client = client;
    // While the stream holds the client, a lost connection is reported as an `error` event
    // (fatal to the process without a listener) as well as to the next read.
    client.on("error", this.lost);
  }

  /** Exports the transaction's snapshot, for `open` on another connection. */
  async exportSnapshot(): Promise<string> {
    const result = await this.client.query<{ id: string }>("select pg_export_snapshot() as id");
    const id = result.rows[0]?.id;
    if (id === undefined) throw new Error("pg_export_snapshot returned no row");
    return id;
  }

  /** Starts a COPY (none may be running). */
  copy<A>(statement: string, shape: CopyRowShape<A>): CopyRun<A> {
    this.checkOpen();
    if (this.running !== undefined) throw new Error("a COPY is already running on this session");
    const run = new CopyRun(
      this,
      new CopyReadAhead(this.client.query(copyTo(statement)), readAheadBytes),
      new CopyTextRows(shape.columns, shape.toRow),
    );
    this.running = run as CopyRun<unknown>;
    return run;
  }

  /** Throws once the session is closed (a read interrupted by its stream's end stops there). */
  checkOpen(): void {
    if (this.closed) throw new Error("the stream was closed while reading");
  }

  /** Called by a run that has read its COPY to the end. */
  ended(run: CopyRun<unknown>): void {
    if (this.running === run) this.running = undefined;
  }

  /** Marks the client as not to be reused, for `error` (the first reason is kept). */
  failed(error: Error): void {
    this.failure ??= error;
  }

  /** Commits and returns the client to the pool, or destroys it (see the class). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.running !== undefined)
      this.failed(new Error("the stream ended in the middle of a COPY"));
    if (this.failure === undefined) {
      try {
        await this.client.query("commit");
      } catch (error) {
        this.failed(error as Error);
      }
    }
    if (this.failure === undefined) {
      this.client.off("error", this.lost);
      this.client.release();
    } else {
      // Destroyed, not reused (`lost` stays, for what the connection reports as it goes; a
      // COPY cut short fails on its own listener, in CopyReadAhead).
      this.client.release(this.failure);
    }
  }
}

/**
 * A batch cursor over `sessions` (opened by `open`, closed in reverse order when the stream
 * ends): `fetch` fills a batch; a pull interrupted while `fetch` runs, or a `fetch` that
 * throws, leaves the sessions' clients to be destroyed.
 */
export const copyCursorStream = <A>(
  operation: string,
  open: () => Promise<{
    readonly sessions: ReadonlyArray<CopySession>;
    readonly fetch: () => Promise<ReadonlyArray<A>>;
  }>,
): Stream.Stream<A, StorageError> => {
  const classify = classifyPostgresError(operation);
  return batchCursorStream(
    Effect.tryPromise({
      try: async (): Promise<BatchCursor<A>> => {
        const { sessions, fetch } = await open();
        /** A read in progress (an interrupted pull may still be running when `close` does). */
        let reading = false;
        let closed = false;
        const failAll = (error: Error) => {
          for (const session of sessions) session.failed(error);
        };
        const next = async (): Promise<ReadonlyArray<A>> => {
          if (closed) throw new Error("the stream was closed while reading");
          reading = true;
          try {
            return await fetch();
          } catch (error) {
            failAll(error as Error);
            throw error;
          } finally {
            reading = false;
          }
        };
        return {
          next: Effect.tryPromise({ try: next, catch: classify }),
          close: Effect.promise(async () => {
            closed = true;
            if (reading) failAll(new Error("the stream was closed while reading"));
            for (const session of [...sessions].reverse()) await session.close();
          }),
        };
      },
      catch: classify,
    }),
  );
};

/** Streams the rows of `parts`, one after the other, each read as `shape` says. */
export const postgresCopyStream = <A>(
  pool: pg.Pool,
  operation: string,
  parts: ReadonlyArray<CompiledQuery>,
  shape: CopyRowShape<A>,
  batchRows: number = defaultBatchRows,
): Stream.Stream<A, StorageError> =>
  copyCursorStream(operation, async () => {
    // Rendered before a client is taken: a parameter that cannot be inlined fails here.
    const statements = parts.map(copyStatement);
    const session = await CopySession.open(pool);
    let part = 0;
    let run: CopyRun<A> | undefined;
    const fetch = async (): Promise<ReadonlyArray<A>> => {
      const batch: Array<A> = [];
      while (batch.length < batchRows) {
        if (run === undefined) {
          const statement = statements[part];
          if (statement === undefined) break;
          run = session.copy(statement, shape);
        }
        if (!(await run.read(batch))) {
          run = undefined;
          part++;
        }
      }
      return batch;
    };
    return { sessions: [session], fetch };
  });
