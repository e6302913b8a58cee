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
export const beginStream =
  "begin isolation level repeatable read read only; " +
  "set local enable_sort = off; set local max_parallel_workers_per_gather = 0";

/** The statement a stream runs for a compiled query. */
export const copyStatement = (query: CompiledQuery): string =>
  `copy (${withInlinedParameters(query)}) to stdout`;

/**
 * Bytes of COPY data read ahead of the consumer (about 1 800 report rows). 1 MiB was no faster,
 * and its chunks lived long enough to be promoted: ~50 MiB of ArrayBuffers waited for a full
 * collection (1M-row report: peak RSS 250 MiB, against 145–210 MiB with 128 KiB).
 */
const readAheadBytes = 1 << 17;

/** One part's COPY in progress: its chunks, read ahead, and its rows' parser. */
interface OpenCopy<A> {
  readonly chunks: CopyReadAhead;
  readonly rows: CopyTextRows<A>;
}

/** Streams the rows of `parts`, one after the other, each read as `shape` says. */
export const postgresCopyStream = <A>(
  pool: pg.Pool,
  operation: string,
  parts: ReadonlyArray<CompiledQuery>,
  shape: CopyRowShape<A>,
  batchRows: number = defaultBatchRows,
): Stream.Stream<A, StorageError> => {
  const classify = classifyPostgresError(operation);
  return batchCursorStream(
    Effect.tryPromise({
      try: async (): Promise<BatchCursor<A>> => {
        // Rendered before a client is taken: a parameter that cannot be inlined fails here.
        const statements = parts.map(copyStatement);
        const client = await pool.connect();
        /** Why the connection may not go back to the pool, once something went wrong. */
        let failure: Error | undefined;
        // While the stream holds the client, a lost connection is reported as an `error`
        // event (fatal to the process without a listener) as well as to the next read.
        const lost = (error: Error) => {
          failure ??= error;
        };
        client.on("error", lost);
        try {
          await client.query(beginStream);
        } catch (error) {
          client.release(error as Error);
          throw error;
        }
        let part = 0;
        let open: OpenCopy<A> | undefined;
        /** A read in progress (an interrupted pull may still be running when `close` does). */
        let reading = false;
        let closed = false;

        const fetch = async (): Promise<ReadonlyArray<A>> => {
          const batch: Array<A> = [];
          reading = true;
          try {
            while (batch.length < batchRows) {
              if (closed) throw new Error("the stream was closed while reading");
              if (open === undefined) {
                const statement = statements[part];
                if (statement === undefined) break;
                open = {
                  chunks: new CopyReadAhead(client.query(copyTo(statement)), readAheadBytes),
                  rows: new CopyTextRows(shape.columns, shape.toRow),
                };
              }
              const chunk = await open.chunks.next();
              if (chunk === undefined) {
                open.rows.finish();
                open = undefined;
                part++;
              } else {
                open.rows.push(chunk, batch);
              }
            }
            return batch;
          } catch (error) {
            failure ??= error as Error;
            throw error;
          } finally {
            reading = false;
          }
        };

        return {
          next: Effect.tryPromise({ try: fetch, catch: classify }),
          close: Effect.promise(async () => {
            closed = true;
            if (reading) failure ??= new Error("the stream was closed while reading");
            if (open !== undefined)
              failure ??= new Error("the stream ended in the middle of a COPY");
            if (failure === undefined) {
              try {
                await client.query("commit");
              } catch (error) {
                failure = error as Error;
              }
            }
            if (failure === undefined) {
              client.off("error", lost);
              client.release();
            } else {
              // Destroyed, not reused (`lost` stays, for what the connection reports as it
              // goes; the COPY cut short fails on its own listener, in CopyReadAhead).
              client.release(failure);
            }
          }),
        };
      },
      catch: classify,
    }),
  );
};
