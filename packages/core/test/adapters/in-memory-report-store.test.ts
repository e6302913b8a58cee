import { Effect, Stream } from "effect";
import { describe, expect, it } from "vitest";
import { InMemoryReportStore } from "../../src/adapters/index.ts";
import type { ReportDraft } from "../../src/domain/Report.ts";
import { ReportStoreContract } from "../../src/testing/index.ts";

ReportStoreContract.suite("InMemoryReportStore", () => InMemoryReportStore.layer);

const draft: ReportDraft = {
  id: "r1",
  taskId: "t1",
  type: "CreateTenantReport",
  format: "csv",
  contentType: "text/csv; charset=utf-8",
  fileName: "report.csv",
  request: {
    _tag: "TenantReport",
    interval: { start: 0, end: 1_000 },
    zone: { spec: "UTC", resolved: { _tag: "Fixed", offsetMinutes: 0 } },
    tenant: { _tag: "AllTenants" },
    format: "csv",
    variant: "detail",
    columns: "vendor",
    separator: ";",
  },
  tenantScope: null,
  createdAt: 0,
  expiresAt: 1_000,
};

const putBytes = (store: ReturnType<typeof InMemoryReportStore.make>, bytes: Uint8Array) =>
  store.put({ draft, content: Stream.make(bytes), rowCount: () => 1 });

describe("InMemoryReportStore specifics", () => {
  it("reads in chunks of readChunkBytes", async () => {
    const store = InMemoryReportStore.make({ readChunkBytes: 4 });
    await Effect.runPromise(
      putBytes(
        store,
        Uint8Array.from({ length: 10 }, (_, i) => i),
      ),
    );
    const chunks = await Effect.runPromise(Stream.runCollect(store.read("r1")));
    expect(chunks.map((chunk) => chunk.length)).toEqual([4, 4, 2]);
    const ranged = await Effect.runPromise(
      Stream.runCollect(store.read("r1", { start: 3, end: 8 })),
    );
    expect(ranged.map((chunk) => [...chunk])).toEqual([
      [3, 4, 5, 6],
      [7, 8],
    ]);
  });

  it("refuses a second report with the same id, keeping the first", async () => {
    const store = InMemoryReportStore.make();
    await Effect.runPromise(putBytes(store, new Uint8Array([1])));
    const error = await Effect.runPromise(Effect.flip(putBytes(store, new Uint8Array([2]))));
    expect(error).toMatchObject({ _tag: "StorageError", reason: "UniqueViolation" });
    const bytes = await Effect.runPromise(Stream.runCollect(store.read("r1")));
    expect(bytes.map((chunk) => [...chunk])).toEqual([[1]]);
  });

  it("gives each layer build its own empty store", async () => {
    const store = InMemoryReportStore.make();
    await Effect.runPromise(putBytes(store, new Uint8Array([1])));
    const other = InMemoryReportStore.make();
    expect(await Effect.runPromise(other.list({ limit: 10 }))).toEqual([]);
  });
});
