/**
 * The ReportStore port: report bytes and their metadata, written atomically.
 */
import { Context, type Effect, type Option, type Stream } from "effect";
import type { StorageError } from "../domain/errors.ts";
import type { Instant } from "../domain/Instant.ts";
import type { ReportDraft, ReportMeta } from "../domain/Report.ts";

/** An inclusive byte range, as HTTP `Range: bytes=start-end` means it. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Which reports a listing returns, ordered by createdAt then id. */
export interface ReportQuery {
  readonly tenantScope?: string | undefined;
  /** Only the reports of this task (a retried task's leftovers, see `runTask`). */
  readonly taskId?: string | undefined;
  readonly after?: { readonly createdAt: Instant; readonly id: string } | undefined;
  readonly limit: number;
}

/** Stored reports. */
export class ReportStore extends Context.Service<
  ReportStore,
  {
    /**
     * Writes the content and then the metadata, computing byte size and SHA-256 on the way.
     * The report becomes visible only once all bytes are durable; if `content` fails, nothing
     * stays behind. `rowCount` is read after the content stream has ended.
     */
    readonly put: <E>(input: {
      readonly draft: ReportDraft;
      readonly content: Stream.Stream<Uint8Array, E>;
      readonly rowCount: () => number;
    }) => Effect.Effect<ReportMeta, StorageError | E>;
    /** The metadata of a report, if stored (expiry is the caller's to check). */
    readonly getMeta: (id: string) => Effect.Effect<Option.Option<ReportMeta>, StorageError>;
    /** The content, or the inclusive byte range of it (already validated against byteSize). */
    readonly read: (id: string, range?: ByteRange) => Stream.Stream<Uint8Array, StorageError>;
    /** Reports matching the query. */
    readonly list: (query: ReportQuery) => Effect.Effect<ReadonlyArray<ReportMeta>, StorageError>;
    /** Deletes a report's metadata and content; false if there was none. */
    readonly delete: (id: string) => Effect.Effect<boolean, StorageError>;
    /** Deletes every report with `expiresAt <= now`; returns how many. */
    readonly deleteExpired: (now: Instant) => Effect.Effect<number, StorageError>;
  }
>()("tally/core/ReportStore") {}
