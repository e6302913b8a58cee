/**
 * The in-memory ReportStore: for tests, demos and embedding in one process. `put` drains the
 * content, hashing and counting as it goes, and publishes the report in one synchronous step
 * after the last byte, so a failed or interrupted stream leaves nothing behind.
 * Bytes and metadata are copied in and out: callers never share a mutable object with it.
 */
import { Effect, Layer, Option, Stream } from "effect";
import { StorageError } from "../domain/errors.ts";
import type { ReportDraft, ReportMeta } from "../domain/Report.ts";
import { type ByteRange, type ReportQuery, ReportStore } from "../ports/ReportStore.ts";
import { compareByCreation } from "./ListingOrder.ts";
import { copyPlainData } from "./PlainData.ts";
import { Sha256 } from "./Sha256.ts";

/** How the in-memory store behaves. */
export interface InMemoryReportStoreOptions {
  /** The size of the chunks `read` emits, in bytes (default 64 KiB). */
  readonly readChunkBytes?: number | undefined;
}

interface StoredReport {
  readonly meta: ReportMeta;
  readonly bytes: Uint8Array;
}

/** A fresh, empty store. */
export const make = (options?: InMemoryReportStoreOptions): ReportStore["Service"] => {
  const readChunkBytes = Math.max(1, Math.floor(options?.readChunkBytes ?? 64 * 1024));
  const reports = new Map<string, StoredReport>();

  const duplicate = (id: string): StorageError =>
    new StorageError({
      reason: "UniqueViolation",
      operation: "put",
      detail: `a report with id '${id}' already exists`,
    });

  return ReportStore.of({
    put: <E>(input: {
      readonly draft: ReportDraft;
      readonly content: Stream.Stream<Uint8Array, E>;
      readonly rowCount: () => number;
    }) =>
      Effect.gen(function* () {
        const id = input.draft.id;
        if (reports.has(id)) return yield* Effect.fail(duplicate(id));
        const hasher = new Sha256();
        const chunks: Array<Uint8Array> = [];
        let byteSize = 0;
        yield* Stream.runForEachArray(input.content, (batch) =>
          Effect.sync(() => {
            for (const chunk of batch) {
              // Copy: the producer may reuse its buffer for the next chunk.
              const copy = chunk.slice();
              hasher.update(copy);
              chunks.push(copy);
              byteSize += copy.length;
            }
          }),
        );
        const meta: ReportMeta = {
          ...metaOfDraft(input.draft),
          rowCount: input.rowCount(),
          byteSize,
          sha256: hasher.hexDigest(),
        };
        if (reports.has(id)) return yield* Effect.fail(duplicate(id));
        reports.set(id, { meta, bytes: concatenate(chunks, byteSize) });
        return copyPlainData(meta);
      }),

    getMeta: (id) =>
      Effect.sync(() => {
        const stored = reports.get(id);
        return stored === undefined ? Option.none() : Option.some(copyPlainData(stored.meta));
      }),

    read: (id, range) =>
      Stream.suspend(() => {
        const stored = reports.get(id);
        if (stored === undefined) {
          return Stream.fail(
            new StorageError({
              reason: "Unknown",
              operation: "read",
              detail: `report '${id}' is not stored`,
            }),
          );
        }
        return Stream.fromIterable(slices(stored.bytes, range, readChunkBytes), { chunkSize: 1 });
      }),

    list: (query) => Effect.sync(() => listNow(reports, query).map(copyPlainData)),

    delete: (id) => Effect.sync(() => reports.delete(id)),

    deleteExpired: (now) =>
      Effect.sync(() => {
        let deleted = 0;
        for (const [id, stored] of reports) {
          if (stored.meta.expiresAt <= now) {
            reports.delete(id);
            deleted++;
          }
        }
        return deleted;
      }),
  });
};

/** A layer with a fresh, empty store (default options) each time it is built. */
export const layer: Layer.Layer<ReportStore> = Layer.sync(ReportStore, () => make());

/** The draft's fields only (a caller may pass a wider object), deeply copied. */
const metaOfDraft = (draft: ReportDraft): ReportDraft =>
  copyPlainData({
    id: draft.id,
    taskId: draft.taskId,
    type: draft.type,
    format: draft.format,
    contentType: draft.contentType,
    fileName: draft.fileName,
    request: draft.request,
    tenantScope: draft.tenantScope,
    createdAt: draft.createdAt,
    expiresAt: draft.expiresAt,
  });

const concatenate = (chunks: ReadonlyArray<Uint8Array>, byteSize: number): Uint8Array => {
  const bytes = new Uint8Array(byteSize);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
};

/** Copies of the bytes in `range` (inclusive), made lazily one chunk at a time. */
function* slices(
  bytes: Uint8Array,
  range: ByteRange | undefined,
  chunkBytes: number,
): Generator<Uint8Array> {
  const start = range === undefined ? 0 : Math.max(0, range.start);
  const end = range === undefined ? bytes.length : Math.min(bytes.length, range.end + 1);
  for (let offset = start; offset < end; offset += chunkBytes) {
    yield bytes.slice(offset, Math.min(end, offset + chunkBytes));
  }
}

const listNow = (
  reports: ReadonlyMap<string, StoredReport>,
  query: ReportQuery,
): Array<ReportMeta> => {
  const matching: Array<ReportMeta> = [];
  for (const { meta } of reports.values()) {
    if (query.tenantScope !== undefined && meta.tenantScope !== query.tenantScope) continue;
    if (query.taskId !== undefined && meta.taskId !== query.taskId) continue;
    if (query.after !== undefined && compareByCreation(meta, query.after) <= 0) continue;
    matching.push(meta);
  }
  return matching.sort(compareByCreation).slice(0, Math.max(0, query.limit));
};
