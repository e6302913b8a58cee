/**
 * Mounting the application in an effect HttpRouter beside other routes.
 */
import { ScryptPasswordHasher } from "@tally/adapters-storage";
import { InMemory } from "@tally/core";
import { ReportRenderersLive } from "@tally/renderers";
import { Effect, Layer } from "effect";
import { HttpRouter, HttpServerResponse } from "effect/http";
import { describe, expect, it } from "vitest";
import { HttpRouterRoutes } from "../../src/index.ts";

describe("HttpRouterRoutes", () => {
  it("serves Tally's routes and leaves the router's own routes to them", async () => {
    const own = HttpRouter.add("GET", "/metrics", Effect.succeed(HttpServerResponse.text("up 1")));
    const { handler, dispose } = HttpRouter.toWebHandler(
      Layer.mergeAll(HttpRouterRoutes(), own).pipe(
        Layer.provide(
          Layer.mergeAll(InMemory.layer, ReportRenderersLive, ScryptPasswordHasher.layer),
        ),
      ),
    );
    try {
      const health = await handler(new Request("http://tally/v1/health"));
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok" });
      expect(await (await handler(new Request("http://tally/metrics"))).text()).toBe("up 1");
      const missing = await handler(new Request("http://tally/v1/none"));
      expect(missing.status).toBe(404);
      expect(missing.headers.get("content-type")).toBe("application/problem+json");
      const unauthorized = await handler(new Request("http://tally/v1/tasks"));
      expect(unauthorized.status).toBe(401);
    } finally {
      await dispose();
    }
  });
});
