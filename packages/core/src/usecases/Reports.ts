/**
 * Reading, listing and deleting stored reports on behalf of a principal. A report the
 * principal may not see, or whose retention has passed (`expiresAt <= now`), is "not found" —
 * whether or not the sweeper has deleted its bytes yet.
 */
import { Effect, Option, type Stream } from "effect";
import {
  type ForbiddenError,
  NotFoundError,
  type StorageError,
  ValidationError,
} from "../domain/errors.ts";
import type { Principal } from "../domain/Principal.ts";
import type { ReportMeta } from "../domain/Report.ts";
import { Authorizer } from "../ports/Authorizer.ts";
import { Clock } from "../ports/Clock.ts";
import { type ByteRange, type ReportQuery, ReportStore } from "../ports/ReportStore.ts";
import { checkLimit } from "./Tasks.ts";

/** The metadata of a report the principal may see and that has not expired. */
export const getReport = (
  principal: Principal,
  id: string,
): Effect.Effect<ReportMeta, NotFoundError | StorageError, ReportStore | Clock> =>
  Effect.gen(function* () {
    const meta = yield* (yield* ReportStore).getMeta(id);
    const now = yield* (yield* Clock).now;
    const authorizer = yield* Authorizer;
    if (
      Option.isNone(meta) ||
      meta.value.expiresAt <= now ||
      !authorizer.canSeeReport(principal, meta.value)
    ) {
      return yield* new NotFoundError({ resource: "report", id });
    }
    return meta.value;
  });

/** A report's metadata and its content (all of it, or the inclusive byte range). */
export interface ReportDownload {
  readonly meta: ReportMeta;
  readonly content: Stream.Stream<Uint8Array, StorageError>;
}

/**
 * A report's content, whole or the inclusive byte `range` (`0 <= start <= end < byteSize`;
 * anything else fails with a ValidationError on `range` — an HTTP layer wanting 416 checks
 * `meta.byteSize` from `getReport` first).
 */
export const readReport = (
  principal: Principal,
  id: string,
  range?: ByteRange,
): Effect.Effect<
  ReportDownload,
  NotFoundError | ValidationError | StorageError,
  ReportStore | Clock
> =>
  Effect.gen(function* () {
    const meta = yield* getReport(principal, id);
    const store = yield* ReportStore;
    if (range === undefined) return { meta, content: store.read(id) };
    const { start, end } = range;
    if (
      !Number.isSafeInteger(start) ||
      !Number.isSafeInteger(end) ||
      start < 0 ||
      start > end ||
      end >= meta.byteSize
    ) {
      return yield* ValidationError.single(
        "range",
        meta.byteSize === 0
          ? "no range: the report is empty"
          : `bytes start-end with 0 <= start <= end <= ${meta.byteSize - 1}`,
        `${start}-${end}`,
      );
    }
    return { meta, content: store.read(id, { start, end }) };
  });

/**
 * The unexpired reports the principal may see, ordered by creation then id, at most `limit`
 * (1 to 1000). Tenant operators see their own tenant's; administrators all, or one
 * `tenantScope`. Expired reports are skipped, reading on until the page is full.
 */
export const listReports = (
  principal: Principal,
  query: ReportQuery,
): Effect.Effect<
  ReadonlyArray<ReportMeta>,
  ValidationError | ForbiddenError | StorageError,
  ReportStore | Clock
> =>
  Effect.gen(function* () {
    const limit = yield* Effect.fromResult(checkLimit(query.limit));
    const authorizer = yield* Authorizer;
    const tenantScope = yield* Effect.fromResult(
      authorizer.listingScopeFor(principal, query.tenantScope),
    );
    const store = yield* ReportStore;
    const now = yield* (yield* Clock).now;
    const page: Array<ReportMeta> = [];
    let after = query.after;
    for (;;) {
      const batch = yield* store.list({ tenantScope, after, limit });
      for (const meta of batch) {
        if (meta.expiresAt > now && authorizer.canSeeReport(principal, meta)) page.push(meta);
        if (page.length === limit) return page;
      }
      const last = batch[batch.length - 1];
      if (batch.length < limit || last === undefined) return page;
      after = { createdAt: last.createdAt, id: last.id };
    }
  });

/** Deletes a report the principal may see (bytes and metadata). */
export const deleteReport = (
  principal: Principal,
  id: string,
): Effect.Effect<void, NotFoundError | StorageError, ReportStore | Clock> =>
  Effect.gen(function* () {
    yield* getReport(principal, id);
    const deleted = yield* (yield* ReportStore).delete(id);
    if (!deleted) return yield* new NotFoundError({ resource: "report", id });
  });
