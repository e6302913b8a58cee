/**
 * The dispatcher's last line of defence, in process: defects and storage failures never leak.
 */

import { InMemory, StorageError } from "@tally/core";
import { type Context, Effect, Layer } from "effect";
import { HttpServerRequest, HttpServerResponse } from "effect/http";
import { describe, expect, it } from "vitest";
import { makeAuthenticator } from "../../src/auth/Authenticator.ts";
import { makeDispatcher } from "../../src/routing/Dispatcher.ts";
import type { CoreServices, Route } from "../../src/routing/Route.ts";

const route = (path: string, handle: Route["handle"]): Route =>
  ({
    method: "GET",
    path,
    face: path.startsWith("/v6") ? "licensing" : "native",
    access: "public",
    handle,
    doc: { operationId: path, summary: path, tags: [], responses: {} },
  }) as Route;

const app = makeDispatcher(
  [
    route("/v1/defect", () => Effect.die(new Error("secret database password in here"))),
    route("/v6/defect", () =>
      Effect.sync(() => {
        throw new TypeError("boom at internal/secret.ts:42");
      }),
    ),
    route("/v1/busy", () =>
      Effect.fail(
        new StorageError({
          reason: "Busy",
          operation: "list",
          detail: "SQLITE_BUSY /var/lib/tally.db",
        }),
      ),
    ),
    route("/v1/broken", () =>
      Effect.fail(
        new StorageError({
          reason: "Unknown",
          operation: "list",
          detail: "disk I/O error at /var/lib/tally.db",
        }),
      ),
    ),
  ],
  makeAuthenticator({ basicAuthCacheMs: 0 }),
);

const call = async (path: string) => {
  const layer = InMemory.layer as Layer.Layer<CoreServices>;
  const response = await Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const context = yield* Layer.build(layer);
        return yield* app.pipe(
          Effect.provideService(
            HttpServerRequest.HttpServerRequest,
            HttpServerRequest.fromWeb(new Request(`http://tally${path}`)),
          ),
          Effect.provideContext(context as Context.Context<CoreServices>),
        );
      }),
    ),
  );
  const web = HttpServerResponse.toWeb(response);
  return { status: web.status, headers: web.headers, body: await web.text() };
};

describe("dispatcher", () => {
  it("answers a defect with a generic 500 that reveals nothing", async () => {
    for (const path of ["/v1/defect", "/v6/defect"]) {
      const res = await call(path);
      expect(res.status).toBe(500);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body).not.toMatch(/secret|boom|TypeError|password/);
      expect(JSON.parse(res.body)).toMatchObject({
        status: 500,
        type: "/docs#problem-internal-error",
      });
    }
    expect(JSON.parse((await call("/v6/defect")).body).errorCode).toBe("InternalServerError");
  });

  it("answers a retryable storage failure with 503 and Retry-After, another with a generic 500", async () => {
    const busy = await call("/v1/busy");
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("1");
    expect(busy.body).not.toContain("tally.db");
    const broken = await call("/v1/broken");
    expect(broken.status).toBe(500);
    expect(broken.body).not.toContain("tally.db");
  });
});
