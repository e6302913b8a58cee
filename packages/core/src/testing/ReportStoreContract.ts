/**
 * The ReportStore contract suite: what every ReportStore adapter — in-memory, files on disk,
 * PostgreSQL or a user's own — must do, run unchanged against each.
 *
 * ```ts
 * // sqlite-storage.test.ts — Tally's SQLite storage through this suite; put your own layer
 * // factory in its place. Each test gets a fresh store; the seed makes runs repeatable.
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { SqliteStorage } from "@tally/adapters-storage";
 * import { ReportStoreContract } from "@tally/core/testing";
 *
 * const directory = mkdtempSync(join(tmpdir(), "tally-contract-"));
 * let databases = 0;
 * const freshStore = () =>
 *   SqliteStorage.layer({ filename: join(directory, `${++databases}.sqlite`) });
 *
 * ReportStoreContract.suite("SqliteStorage", freshStore, { numRuns: 50, seed: 20261206 });
 * ```
 *
 * Every test builds a fresh layer (in its own scope, closed afterwards) and shares nothing
 * with other tests. Expected digests come from the core's pure `Sha256`, never from the store.
 */
import { Effect, type Layer, Option, Stream } from "effect";
import * as fc from "fast-check";
import { expect } from "vitest";
import { compareByCreation } from "../adapters/ListingOrder.ts";
import { Sha256 } from "../adapters/Sha256.ts";
import { StorageError } from "../domain/errors.ts";
import type { Instant } from "../domain/Instant.ts";
import type { ReportDraft, ReportMeta } from "../domain/Report.ts";
import { type ByteRange, ReportStore } from "../ports/ReportStore.ts";
import {
  type ContractCheck,
  type ContractSuiteOptions,
  fixedCaseFirst,
  registerContract,
  standaloneChecks,
} from "./ContractSuite.ts";
import { codePointOrderedIds } from "./KnownCases.ts";
import { reportMetaArbitrary } from "./TaskArbitraries.ts";
import { runEffect, withFreshService } from "./withFreshService.ts";

/** Builds a fresh ReportStore layer; called once per test (and per run of some properties). */
export type MakeReportStoreLayer = () => Layer.Layer<ReportStore, unknown>;

type Store = ReportStore["Service"];
type Check = ContractCheck<MakeReportStoreLayer>["run"];

const withStore = <A>(makeLayer: MakeReportStoreLayer, use: (store: Store) => Promise<A>) =>
  withFreshService(makeLayer, ReportStore, use);

/** 2024-10-27T00:00:00Z, a day with a DST change in Europe. */
const T0: Instant = 1_729_987_200_000;
const DAY_MS = 86_400_000;

/** A draft with Unicode text in every free-form field. */
const sampleDraft = (id: string, overrides: Partial<ReportDraft> = {}): ReportDraft => ({
  id,
  taskId: `task-of-${id}`,
  type: "CreateLicenseOverviewReport",
  format: "csv",
  contentType: "text/csv; charset=utf-8",
  fileName: "Lizenzübersicht 2024 — 東京.csv",
  request: {
    _tag: "LicenseOverview",
    interval: { start: T0 - 30 * DAY_MS, end: T0 },
    zone: { spec: "UTC-03:30", resolved: { _tag: "Fixed", offsetMinutes: -210 } },
    organizations: { _tag: "OrganizationsOfTenant", tenantId: "tenant-ø" },
    format: "csv",
    variant: "users",
    separator: ";",
  },
  tenantScope: "tenant-ø",
  createdAt: T0,
  expiresAt: T0 + DAY_MS,
  ...overrides,
});

const draftOf = (meta: ReportMeta): ReportDraft => {
  const { rowCount: _rows, byteSize: _size, sha256: _digest, ...draft } = meta;
  return draft;
};

const concatenate = (chunks: ReadonlyArray<Uint8Array>): Uint8Array => {
  const bytes = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
};

/** Deterministic pseudo-random bytes (a xorshift generator): test data without `Math.random`. */
const pseudoRandomBytes = (length: number, seed: number): Uint8Array => {
  const bytes = new Uint8Array(length);
  let state = seed | 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
};

const put = (store: Store, draft: ReportDraft, chunks: ReadonlyArray<Uint8Array>, rows = 0) =>
  runEffect(store.put({ draft, content: Stream.fromArray([...chunks]), rowCount: () => rows }));

const readAll = async (store: Store, id: string, range?: ByteRange): Promise<Uint8Array> =>
  concatenate(await runEffect(Stream.runCollect(store.read(id, range))));

const getMeta = async (store: Store, id: string): Promise<ReportMeta | undefined> =>
  Option.getOrUndefined(await runEffect(store.getMeta(id)));

/** Content as the renderers produce it: any bytes, in chunks of any size (empty ones too). */
const contentArbitrary = fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 });

const roundTrip: Check = (makeLayer, runs) =>
  withStore(makeLayer, async (store) => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        reportMetaArbitrary(),
        contentArbitrary,
        fc.nat(1_000_000),
        fc.tuple(fc.nat(), fc.nat()),
        async (meta, chunks, rowCount, [a, b]) => {
          const draft = { ...draftOf(meta), id: `${run++}:${meta.id}` };
          const bytes = concatenate(chunks);
          const stored = await put(store, draft, chunks, rowCount);
          const expected: ReportMeta = {
            ...draft,
            rowCount,
            byteSize: bytes.length,
            sha256: Sha256.hex(bytes),
          };
          expect(stored, "put returns the metadata").toStrictEqual(expected);
          expect(await getMeta(store, draft.id), "getMeta returns it too").toStrictEqual(expected);
          expect(await readAll(store, draft.id), "read returns the bytes").toStrictEqual(bytes);
          if (bytes.length > 0) {
            const start = Math.min(a, b) % bytes.length;
            const end = start + ((Math.max(a, b) - Math.min(a, b)) % (bytes.length - start));
            expect(
              await readAll(store, draft.id, { start, end }),
              `bytes ${start}-${end} of ${bytes.length}`,
            ).toStrictEqual(bytes.slice(start, end + 1));
          }
        },
      ),
      runs,
    );
  });

const emptyContent: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    const meta = await put(store, sampleDraft("empty"), []);
    expect(meta.byteSize).toBe(0);
    expect(meta.sha256, "the SHA-256 of no bytes").toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(await readAll(store, "empty")).toStrictEqual(new Uint8Array(0));
    const withEmptyChunks = await put(store, sampleDraft("empty-chunks"), [
      new Uint8Array(0),
      new Uint8Array(0),
    ]);
    expect(withEmptyChunks.byteSize).toBe(0);
  });

const largeContent: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    // 4 MiB in 1 000+ chunks of uneven sizes, as a renderer streams a big report.
    const bytes = pseudoRandomBytes(4 * 1024 * 1024, 0x7a11);
    const chunks: Array<Uint8Array> = [];
    for (
      let offset = 0, size = 1;
      offset < bytes.length;
      offset += size, size = (size * 7) % 8191
    ) {
      chunks.push(bytes.subarray(offset, Math.min(bytes.length, offset + size)));
    }
    expect(chunks.length).toBeGreaterThan(1_000);
    const meta = await put(store, sampleDraft("large"), chunks, 123_456);
    expect(meta.byteSize).toBe(bytes.length);
    expect(meta.sha256).toBe(Sha256.hex(bytes));
    expect(meta.rowCount).toBe(123_456);
    const read = await readAll(store, "large");
    expect(read.length).toBe(bytes.length);
    expect(Sha256.hex(read), "the bytes read back").toBe(meta.sha256);
  });

const ranges: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    const bytes = pseudoRandomBytes(200_000, 42);
    await put(store, sampleDraft("ranged"), [bytes.subarray(0, 70_001), bytes.subarray(70_001)]);
    const cases: ReadonlyArray<readonly [string, ByteRange]> = [
      ["the first byte", { start: 0, end: 0 }],
      ["the last byte", { start: bytes.length - 1, end: bytes.length - 1 }],
      ["a middle range across the chunks", { start: 69_990, end: 140_123 }],
      ["one middle byte", { start: 100_000, end: 100_000 }],
      ["the whole content", { start: 0, end: bytes.length - 1 }],
      ["the tail", { start: 199_000, end: bytes.length - 1 }],
    ];
    for (const [what, range] of cases) {
      expect(await readAll(store, "ranged", range), what).toStrictEqual(
        bytes.slice(range.start, range.end + 1),
      );
    }
  });

class ContentFailed extends Error {
  readonly _tag = "ContentFailed";
}

const failingContent: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    const failure = new ContentFailed("the renderer crashed");
    const content = Stream.concat(
      Stream.fromArray([pseudoRandomBytes(100_000, 1), pseudoRandomBytes(10, 2)]),
      Stream.fail(failure),
    );
    const error = await runEffect(
      Effect.flip(store.put({ draft: sampleDraft("broken"), content, rowCount: () => 1 })),
    );
    expect(error, "put fails with the content's error").toBe(failure);
    expect(await getMeta(store, "broken"), "no metadata stays behind").toBeUndefined();
    const listed = await runEffect(store.list({ limit: 100 }));
    expect(
      listed.map((meta) => meta.id),
      "the listing does not show it",
    ).toStrictEqual([]);
    const retried = await put(store, sampleDraft("broken"), [new Uint8Array([1, 2, 3])]);
    expect(retried.byteSize, "the id can be used again").toBe(3);
  });

const rowCountAfterContent: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    let rows = 0;
    const content = Stream.fromArray([1, 2, 3, 4]).pipe(
      Stream.map((n) => {
        rows += n;
        return new Uint8Array(n);
      }),
    );
    const meta = await runEffect(
      store.put({ draft: sampleDraft("counted"), content, rowCount: () => rows }),
    );
    expect(meta.rowCount, "rowCount is read after the last chunk").toBe(10);
    expect((await getMeta(store, "counted"))?.rowCount).toBe(10);
  });

/** Fixed case: reports created at the same instant whose ids order differently by code unit. */
const listsTiesByCodePoint = (makeLayer: MakeReportStoreLayer): Promise<void> =>
  withStore(makeLayer, async (store) => {
    for (const id of [...codePointOrderedIds].reverse()) {
      await put(store, sampleDraft(id, { createdAt: T0 }), [new Uint8Array([1])]);
    }
    const first = await runEffect(store.list({ limit: 2 }));
    const paged = [...first];
    for (let page = first; page.length > 0; ) {
      const last = page[page.length - 1] as ReportMeta;
      page = await runEffect(store.list({ limit: 2, after: last }));
      paged.push(...page);
    }
    expect(
      paged.map((meta) => meta.id),
      "reports created together, listed by id in code point order (not UTF-16 order)",
    ).toStrictEqual(codePointOrderedIds);
  });

const listing: Check = fixedCaseFirst(listsTiesByCodePoint, (makeLayer, runs) =>
  fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(
        reportMetaArbitrary({
          tenantScopes: ["tenant-a", "tenant-b", null],
          minCreatedAt: T0,
          maxCreatedAt: T0 + 3,
        }),
        { selector: (meta) => meta.id, maxLength: 15 },
      ),
      fc.option(fc.constantFrom("tenant-a", "tenant-b", "tenant-c"), { nil: undefined }),
      fc.integer({ min: 1, max: 20 }),
      (metas, tenantScope, limit) =>
        withStore(makeLayer, async (store) => {
          const stored: Array<ReportMeta> = [];
          for (const [i, meta] of metas.entries()) {
            stored.push(await put(store, draftOf(meta), [pseudoRandomBytes(i, i + 1)], i));
          }
          const all = stored
            .filter((meta) => tenantScope === undefined || meta.tenantScope === tenantScope)
            .sort(compareByCreation);
          const first = await runEffect(store.list({ tenantScope, limit }));
          expect(first, "filtered, ordered by (createdAt, id), limited").toStrictEqual(
            all.slice(0, limit),
          );
          const paged: Array<ReportMeta> = [];
          for (let page = first; page.length > 0; ) {
            paged.push(...page);
            expect(paged.length, "pagination ends").toBeLessThanOrEqual(all.length);
            const last = page[page.length - 1] as ReportMeta;
            const after = { createdAt: last.createdAt, id: last.id };
            page = await runEffect(store.list({ tenantScope, limit, after }));
          }
          expect(paged, "pages in order, each report once").toStrictEqual(all);
        }),
    ),
    runs,
  ),
);

const deletion: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    await put(store, sampleDraft("kept"), [new Uint8Array([1])]);
    await put(store, sampleDraft("doomed"), [new Uint8Array([2, 3])]);
    expect(await runEffect(store.delete("doomed")), "a stored report").toBe(true);
    expect(await runEffect(store.delete("doomed")), "a report already deleted").toBe(false);
    expect(await runEffect(store.delete("never-stored")), "an unknown report").toBe(false);
    expect(await getMeta(store, "doomed")).toBeUndefined();
    const read = await runEffect(Effect.flip(Stream.runCollect(store.read("doomed"))));
    expect(read, "reading a deleted report fails").toBeInstanceOf(StorageError);
    const listed = await runEffect(store.list({ limit: 10 }));
    expect(listed.map((meta) => meta.id)).toStrictEqual(["kept"]);
    expect(await readAll(store, "kept")).toStrictEqual(new Uint8Array([1]));
  });

const expiry: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    const expiries = [T0 + 1_000, T0 + 2_000, T0 + 2_000, T0 + 3_000];
    for (const [i, expiresAt] of expiries.entries()) {
      await put(store, sampleDraft(`report-${i}`, { expiresAt }), [new Uint8Array([i])]);
    }
    expect(await runEffect(store.deleteExpired(T0)), "none expired yet").toBe(0);
    expect(await runEffect(store.deleteExpired(T0 + 2_000)), "expiresAt <= now").toBe(3);
    const listed = await runEffect(store.list({ limit: 10 }));
    expect(listed.map((meta) => meta.id)).toStrictEqual(["report-3"]);
    expect(await getMeta(store, "report-1")).toBeUndefined();
    expect(await runEffect(store.deleteExpired(T0 + 2_000)), "nothing left to delete").toBe(0);
  });

const readMissing: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    const error = await runEffect(Effect.flip(Stream.runCollect(store.read("no-such-report"))));
    expect(error, "reading a report that is not stored fails").toBeInstanceOf(StorageError);
    expect(await getMeta(store, "no-such-report")).toBeUndefined();
  });

const copies: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    const draft = sampleDraft("copied");
    const chunk = new Uint8Array([1, 2, 3]);
    const meta = await put(store, draft, [chunk]);
    chunk.fill(9);
    Object.assign(draft, { fileName: "changed.csv" });
    Object.assign(meta.request.interval, { start: 0 });
    const read = await runEffect(Stream.runCollect(store.read("copied")));
    for (const bytes of read) bytes.fill(7);
    expect(await readAll(store, "copied"), "the stored bytes").toStrictEqual(
      new Uint8Array([1, 2, 3]),
    );
    expect(await getMeta(store, "copied"), "the stored metadata").toStrictEqual({
      ...sampleDraft("copied"),
      rowCount: 0,
      byteSize: 3,
      sha256: Sha256.hex(new Uint8Array([1, 2, 3])),
    });
  });

/** Every check of the contract, by name, with the sentence the suite reports it under. */
const definitions = {
  roundTrip: {
    title:
      "put, getMeta and read round-trip any bytes and metadata, with size and SHA-256 computed",
    run: roundTrip,
  },
  emptyContent: {
    title: "empty content is stored with size 0 and the SHA-256 of no bytes",
    run: emptyContent,
  },
  largeContent: {
    title: "a few megabytes in more than a thousand chunks come back intact",
    run: largeContent,
  },
  ranges: {
    title: "read with a byte range returns exactly those bytes (first, last, middle, whole)",
    run: ranges,
  },
  failingContent: {
    title: "when the content stream fails, put fails with its error and nothing is stored",
    run: failingContent,
  },
  rowCountAfterContent: {
    title: "rowCount is read after the content stream has ended",
    run: rowCountAfterContent,
  },
  listing: {
    title: "list filters by tenant scope, ordered by (createdAt, id), paged by keyset",
    run: listing,
  },
  deletion: {
    title: "delete removes metadata and content and says whether there was a report",
    run: deletion,
  },
  expiry: {
    title: "deleteExpired deletes exactly the reports with expiresAt <= now and counts them",
    run: expiry,
  },
  readMissing: {
    title: "reading a report that is not stored fails with a StorageError",
    run: readMissing,
  },
  copies: {
    title: "bytes and metadata go in and come out as copies: changing them changes nothing stored",
    run: copies,
  },
} as const satisfies Record<string, ContractCheck<MakeReportStoreLayer>>;

/** The name of a check of the ReportStore contract. */
export type ReportStoreCheckName = keyof typeof definitions;

/**
 * Registers the contract as a vitest `describe` block named `name`: one test per check,
 * each against fresh layers from `makeLayer`.
 */
export const suite = (
  name: string,
  makeLayer: MakeReportStoreLayer,
  options?: ContractSuiteOptions,
): void => registerContract(name, definitions, makeLayer, options);

/** Each check on its own, reporting pass or fail rather than throwing. */
export const checks = standaloneChecks(definitions);
