/**
 * A Stream over a database cursor that hands out rows in batches: each pull reads one batch
 * (an array, one Stream chunk) and the cursor is closed when the stream ends, fails or is
 * interrupted. Memory holds one batch, however many rows the query matches.
 */
import type { StorageError } from "@tally/core";
import { Cause, Channel, Effect, Scope, Stream } from "effect";

/** Rows a cursor reads per pull unless told otherwise. */
export const defaultBatchRows = 1_000;

/** An open cursor: `next` reads the next batch (empty once the rows are exhausted). */
export interface BatchCursor<A> {
  readonly next: Effect.Effect<ReadonlyArray<A>, StorageError>;
  readonly close: Effect.Effect<void>;
}

/** A stream of the cursor that `open` opens when the stream starts, one batch per chunk. */
export const batchCursorStream = <A>(
  open: Effect.Effect<BatchCursor<A>, StorageError>,
): Stream.Stream<A, StorageError> =>
  Stream.fromChannel(
    Channel.fromTransform((_upstream, scope) =>
      Effect.gen(function* () {
        const cursor = yield* Effect.uninterruptible(
          Effect.tap(open, (c) => Scope.addFinalizer(scope, c.close)),
        );
        let exhausted = false;
        return Effect.flatMap(
          Effect.suspend(() => (exhausted ? Effect.succeed([]) : cursor.next)),
          (batch) => {
            if (batch.length === 0) {
              exhausted = true;
              return Cause.done();
            }
            return Effect.succeed(batch as readonly [A, ...Array<A>]);
          },
        );
      }),
    ),
  );
