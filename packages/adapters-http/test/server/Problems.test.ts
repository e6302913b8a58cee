/**
 * The last line of defence, in process: a defect or a storage failure behind any endpoint is
 * answered as problem details that reveal nothing (500, or 503 with `Retry-After` when trying
 * again may help), in the face's own form.
 */
import { ScryptPasswordHasher } from "@tally/adapters-storage";
import { AccountStore, InMemory, InMemoryTaskStore, StorageError, TaskStore } from "@tally/core";
import { ReportRenderersLive } from "@tally/renderers";
import { Effect, Layer } from "effect";
import { HttpServerRequest, HttpServerResponse } from "effect/http";
import { describe, expect, it } from "vitest";
import { makeHttpApp, tokenHash } from "../../src/index.ts";

/** A task store whose reads and inserts do what `misbehave` says. */
const brokenTaskStore = (misbehave: Effect.Effect<never, StorageError>) =>
  Layer.sync(TaskStore, () =>
    TaskStore.of({ ...InMemoryTaskStore.make(), get: () => misbehave, insert: () => misbehave }),
  );

const call = async (
  misbehave: Effect.Effect<never, StorageError>,
  path: string,
  init: RequestInit = {},
) => {
  const layer = Layer.mergeAll(
    InMemory.layer,
    ReportRenderersLive,
    ScryptPasswordHasher.layer,
    brokenTaskStore(misbehave),
  );
  const response = await Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const accounts = yield* AccountStore;
        yield* accounts.upsertAccount({
          username: "admin",
          passwordHash: "unused",
          role: "Administrator",
          tenantId: null,
        });
        yield* accounts.putToken({
          tokenHash: tokenHash("token"),
          kind: "access",
          username: "admin",
          expiresAt: Date.now() + 60_000,
        });
        const app = yield* makeHttpApp();
        const headers = new Headers(init.headers);
        headers.set("authorization", "Bearer token");
        return yield* app.pipe(
          Effect.provideService(
            HttpServerRequest.HttpServerRequest,
            HttpServerRequest.fromWeb(
              new Request(`http://tally${path}`, { ...init, headers }),
            ).modify({ url: path }),
          ),
        );
      }).pipe(Effect.provide(layer)),
    ),
  );
  const web = HttpServerResponse.toWeb(response);
  return { status: web.status, headers: web.headers, body: await web.text() };
};

const licenseOverview: RequestInit = {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    startTime: "2024-01-01T00:00:00Z",
    endTime: "2024-02-01T00:00:00Z",
    format: "CSV",
  }),
};

describe("answers to what went wrong inside", () => {
  it("answer a defect with a generic 500 that reveals nothing, in each face's form", async () => {
    const secret = Effect.die(new Error("secret database password in here"));
    const native = await call(secret, "/v1/tasks/t-1");
    const vendor = await call(
      Effect.sync(() => {
        throw new TypeError("boom at internal/secret.ts:42");
      }),
      "/v6/Reports/GenerateLicenseOverview",
      licenseOverview,
    );
    for (const res of [native, vendor]) {
      expect(res.status).toBe(500);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body).not.toMatch(/secret|boom|TypeError|password/);
      expect(JSON.parse(res.body)).toMatchObject({
        status: 500,
        type: "/docs#problem-internal-error",
      });
    }
    expect(JSON.parse(vendor.body).errorCode).toBe("InternalServerError");
  });

  it("answer a retryable storage failure with 503 and Retry-After, another with a generic 500", async () => {
    const failure = (reason: "Busy" | "Unknown") =>
      Effect.fail(
        new StorageError({ reason, operation: "get", detail: "disk I/O at /var/lib/tally.db" }),
      );
    const busy = await call(failure("Busy"), "/v1/tasks/t-1");
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("1");
    expect(busy.body).not.toContain("tally.db");
    const broken = await call(failure("Unknown"), "/api/2.0/virtualization/tasks/t-1");
    expect(broken.status).toBe(500);
    expect(broken.body).not.toContain("tally.db");
    expect(JSON.parse(broken.body).type).toBe("/docs#problem-internal-error");
  });
});
