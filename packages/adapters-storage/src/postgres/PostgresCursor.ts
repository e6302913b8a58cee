/**
 * Streams the rows of one or more queries, in turn, through a server-side cursor: one pooled
 * client, one REPEATABLE READ READ ONLY transaction (all parts see the same snapshot), and
 * `FETCH n` per batch, so memory holds one batch whatever the query matches. Rows arrive as
 * arrays (`rowMode: "array"`) and become domain objects through `toRow`.
 */
import type { StorageError } from "@tally/core";
import { Effect, type Stream } from "effect";
import type { CompiledQuery } from "kysely";
import type pg from "pg";
import { classifyPostgresError } from "../errors/PostgresErrorClassifier.ts";
import { type BatchCursor, batchCursorStream, defaultBatchRows } from "../streaming/BatchCursor.ts";

/** Streams the rows of `parts`, one after the other, each raw row mapped by `toRow`. */
export const postgresRowStream = <A>(
  pool: pg.Pool,
  operation: string,
  parts: ReadonlyArray<CompiledQuery>,
  toRow: (raw: ReadonlyArray<unknown>) => A,
  batchRows: number = defaultBatchRows,
): Stream.Stream<A, StorageError> => {
  const classify = classifyPostgresError(operation);
  return batchCursorStream(
    Effect.tryPromise({
      try: async (): Promise<BatchCursor<A>> => {
        const client = await pool.connect();
        let broken: unknown;
        try {
          await client.query("begin isolation level repeatable read read only");
        } catch (error) {
          client.release(error as Error);
          throw error;
        }
        let part = 0;
        let open = false;
        const fetch = async (): Promise<ReadonlyArray<A>> => {
          try {
            for (;;) {
              const query = parts[part];
              if (query === undefined) return [];
              if (!open) {
                await client.query({
                  text: `declare tally_rows no scroll cursor for ${query.sql}`,
                  values: query.parameters as Array<unknown>,
                });
                open = true;
              }
              const result = await client.query({
                text: `fetch ${batchRows} from tally_rows`,
                rowMode: "array",
              });
              if (result.rows.length > 0) return result.rows.map(toRow);
              await client.query("close tally_rows");
              open = false;
              part++;
            }
          } catch (error) {
            broken = error;
            throw error;
          }
        };
        return {
          next: Effect.tryPromise({ try: fetch, catch: classify }),
          close: Effect.promise(async () => {
            if (broken === undefined) {
              try {
                await client.query("commit");
              } catch (error) {
                broken = error;
              }
            }
            // A client whose transaction failed is destroyed rather than reused.
            client.release(broken === undefined ? undefined : (broken as Error));
          }),
        };
      },
      catch: classify,
    }),
  );
};
