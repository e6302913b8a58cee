/**
 * `tally report`'s file, written as the report store stores the report: the file is the
 * stored report byte for byte, appears under its name only when committed for that report,
 * and is gone when the report fails half-way; another task's report is not written to it; and
 * a file that cannot be written leaves the report stored, with no file claimed.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InMemoryReportStore, type ReportDraft } from "@tally/core";
import { Effect, Stream } from "effect";
import { describe, expect, it } from "vitest";
import { makeReportFileTee } from "../../src/cli/ReportFileTee.ts";

const draft = (id: string, taskId: string): ReportDraft =>
  ({
    id,
    taskId,
    type: "CreateTenantReport",
    format: "csv",
    contentType: "text/csv",
    fileName: `${id}.csv`,
    request: {
      _tag: "TenantReport",
      interval: { start: 0, end: 1 },
      zone: { spec: { _tag: "Utc" }, resolved: { _tag: "Fixed", offsetMinutes: 0 } },
      tenant: { _tag: "AllTenants" },
      format: "csv",
      variant: "detail",
      columns: "vendor",
      separator: ";",
    },
    tenantScope: null,
    createdAt: 0,
    expiresAt: 1,
  }) as unknown as ReportDraft;

const chunks = Array.from({ length: 40 }, (_, i) => new TextEncoder().encode(`line ${i};Ω\r\n`));
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);

describe("the report file written as the report is stored", () => {
  it("holds the stored bytes, under its name once committed for that report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tally-tee-"));
    const store = InMemoryReportStore.make();
    const tee = makeReportFileTee(store, "task-1", () => join(dir, "out.csv"));
    const meta = await run(
      tee.store.put({
        draft: draft("r1", "task-1"),
        content: Stream.fromIterable(chunks),
        rowCount: () => 40,
      }),
    );
    expect(readdirSync(dir)).not.toContain("out.csv");
    expect(await run(tee.commit("another report"))).toBeUndefined();
    expect(await run(tee.commit("r1"))).toBe(join(dir, "out.csv"));
    const bytes = readFileSync(join(dir, "out.csv"));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(meta.sha256);
    expect(bytes.length).toBe(meta.byteSize);
    expect(readdirSync(dir)).toEqual(["out.csv"]);
  });

  it("is removed when the report fails half-way, and never committed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tally-tee-"));
    const tee = makeReportFileTee(InMemoryReportStore.make(), "task-1", () => join(dir, "out.csv"));
    const failing = Stream.fromIterable(chunks).pipe(Stream.concat(Stream.fail("render failed")));
    const failure = await run(
      Effect.flip(
        tee.store.put({ draft: draft("r1", "task-1"), content: failing, rowCount: () => 0 }),
      ),
    );
    expect(failure).toBe("render failed");
    expect(await run(tee.commit("r1"))).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("leaves other tasks' reports to the store alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tally-tee-"));
    const store = InMemoryReportStore.make();
    const tee = makeReportFileTee(store, "task-1", () => join(dir, "out.csv"));
    await run(
      tee.store.put({
        draft: draft("r2", "task-2"),
        content: Stream.fromIterable(chunks),
        rowCount: () => 40,
      }),
    );
    expect(await run(tee.commit("r2"))).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
    expect((await run(store.getMeta("r2")))._tag).toBe("Some");
  });

  it("stores the report when its file cannot be written, and claims no file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tally-tee-"));
    writeFileSync(join(dir, "not-a-directory"), "");
    const store = InMemoryReportStore.make();
    const tee = makeReportFileTee(store, "task-1", () => join(dir, "not-a-directory", "out.csv"));
    const meta = await run(
      tee.store.put({
        draft: draft("r1", "task-1"),
        content: Stream.fromIterable(chunks),
        rowCount: () => 40,
      }),
    );
    expect(meta.byteSize).toBe(chunks.reduce((n, c) => n + c.length, 0));
    expect(await run(tee.commit("r1"))).toBeUndefined();
    await run(tee.discard);
    expect(readdirSync(dir)).toEqual(["not-a-directory"]);
  });
});
