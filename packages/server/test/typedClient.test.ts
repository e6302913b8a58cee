/**
 * The typed client of the native API (`@tally/adapters-http/client`), made from the same
 * HttpApi definitions the server answers with, driving a real `tally serve` over HTTP: facts,
 * a report from submission to download, typed problems, and both kinds of credentials.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Problem, TallyClient, type TallyClientOptions } from "@tally/adapters-http/client";
import { ScryptPasswordHasher, type StoragePorts } from "@tally/adapters-storage";
import type { PasswordHasher } from "@tally/core";
import { Effect, Layer, Stream } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoData } from "../src/demo/loadDemoData.ts";
import { storageLayer } from "../src/wiring/StorageLayer.ts";
import { processTestTimeoutMs, waitDeadlineMs } from "./support/LoadedMachine.ts";
import { quiet } from "./support/quiet.ts";
import { startTally, type TallyServer } from "./support/TallyProcess.ts";

const inStore = <A, E>(
  path: string,
  program: Effect.Effect<A, E, StoragePorts | PasswordHasher>,
): Promise<A> =>
  Effect.runPromise(
    quiet(
      program.pipe(
        Effect.provide(
          Layer.merge(storageLayer({ _tag: "Sqlite", filename: path }), ScryptPasswordHasher.layer),
        ),
      ),
    ),
  ) as Promise<A>;

describe("the typed client against tally serve", { timeout: processTestTimeoutMs }, () => {
  let server: TallyServer;
  let baseUrl: string;
  const as = (credentials: TallyClientOptions["credentials"]) =>
    TallyClient.layer({ baseUrl, credentials });
  const admin = { username: "admin", password: "admin" };

  beforeAll(async () => {
    const cwd = mkdtempSync(join(tmpdir(), "tally-client-"));
    const database = join(cwd, "tally.sqlite");
    await inStore(database, loadDemoData());
    server = startTally(["serve"], {
      cwd,
      env: { TALLY_PORT: "0", TALLY_STORAGE: database, TALLY_WORKERS: "1" },
    });
    const listening = await server.waitForLog((line) => line.message === "listening");
    baseUrl = String(listening.url);
  }, 120_000);

  afterAll(() => {
    server?.child.kill("SIGKILL");
  });

  it("reads facts and pages with the server's own types", async () => {
    const { first, all } = await Effect.runPromise(
      Effect.gen(function* () {
        const tally = yield* TallyClient;
        const first = yield* tally.listTenants({ query: { limit: 2 } });
        const all = yield* tally.listTenants({ query: {} });
        return { first, all };
      }).pipe(Effect.provide(as(admin))),
    );
    expect(first.body.items.map((t) => t.id)).toEqual(["acme", "athena"]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(first.headers.link).toContain("cursor=");
    expect(all.body.items.map((t) => t.id)).toContain("romashka");
    expect(all.body.nextCursor).toBeNull();
  });

  it("submits a report, follows its task to the end and downloads the file", async () => {
    const outcome = await Effect.runPromise(
      Effect.gen(function* () {
        const tally = yield* TallyClient;
        const submitted = yield* tally.submitReport({
          headers: { "idempotency-key": "client-test-1" },
          payload: {
            type: "tenant-protection",
            tenantId: "romashka",
            // The client speaks the decoded form: instants in epoch ms (ISO text on the wire).
            start: Date.parse("2024-01-01T00:00:00Z"),
            end: Date.parse("2025-01-01T00:00:00Z"),
            format: "csv",
          },
        });
        let task = submitted.body;
        const until = Date.now() + waitDeadlineMs;
        while (!["Succeeded", "Failed"].includes(task.state) && Date.now() < until) {
          yield* Effect.sleep(50);
          task = yield* tally.getTask({ params: { id: task.id } });
        }
        const reportId = task.reportId as string;
        const meta = yield* tally.getReport({ params: { id: reportId } });
        const content = yield* tally.downloadReport({ params: { id: reportId }, headers: {} });
        if (content === undefined) return yield* Effect.die("a whole download has a body");
        const bytes = yield* Stream.runCollect(content.body);
        return { submitted, task, meta, size: bytes.reduce((n, chunk) => n + chunk.length, 0) };
      }).pipe(Effect.provide(as(admin))),
    );
    expect(outcome.submitted.headers.location).toBe(`/v1/tasks/${outcome.submitted.body.id}`);
    expect(outcome.task.state).toBe("Succeeded");
    expect(outcome.meta).toMatchObject({ format: "csv", type: "CreateTenantReport" });
    expect(outcome.size).toBe(outcome.meta.byteSize);
  });

  it("fails with the server's problem details, typed, and takes a Bearer token", async () => {
    const { missing, forbidden } = await Effect.runPromise(
      Effect.gen(function* () {
        const tally = yield* TallyClient;
        return {
          missing: yield* Effect.flip(tally.getTask({ params: { id: "task-none" } })),
          forbidden: yield* Effect.flip(tally.listTasks({ query: { tenantId: "acme" } })),
        };
      }).pipe(Effect.provide(as({ username: "romashka-operator", password: "romashka-operator" }))),
    );
    expect(missing).toBeInstanceOf(Problem);
    expect(missing).toMatchObject({ status: 404, type: "/docs#problem-not-found" });
    expect(forbidden).toMatchObject({ status: 403, type: "/docs#problem-forbidden" });

    const token = (await (
      await fetch(`${baseUrl}/v6/Token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=password&username=admin&password=admin",
      })
    ).json()) as { access_token: string };
    const refused = await Effect.runPromise(
      Effect.flip(
        Effect.flatMap(Effect.service(TallyClient), (tally) =>
          tally.listReports({ query: {} }),
        ).pipe(Effect.provide(as({ bearer: "not-a-token" }))),
      ),
    );
    expect(refused).toMatchObject({ status: 401, type: "/docs#problem-unauthorized" });
    const reports = await Effect.runPromise(
      Effect.flatMap(Effect.service(TallyClient), (tally) => tally.listReports({ query: {} })).pipe(
        Effect.provide(as({ bearer: token.access_token })),
      ),
    );
    expect(reports.body.items.length).toBeGreaterThan(0);
  });
});
