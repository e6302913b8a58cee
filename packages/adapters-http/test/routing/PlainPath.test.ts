/**
 * The dispatcher routes plain request targets from their text instead of parsing a URL: for
 * every target it reads that way, the path must be exactly the one `URL` would give.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { plainPathOf } from "../../src/routing/Dispatcher.ts";

const urlPath = (target: string): string | undefined => {
  try {
    return new URL(target, "http://localhost").pathname;
  } catch {
    return undefined;
  }
};

/** Characters that matter to URL parsing, and some that do not. */
const tricky = [..."/?#%.\\@:;=&+,!$'()*~-_ \"<>`{}^|[]\t\n\u00e9\u0000", "%2e", "%2E", "..", "//"];
const target = fc
  .array(fc.oneof(fc.constantFrom(...tricky), fc.string({ maxLength: 4 })), { maxLength: 12 })
  .map((parts) => parts.join(""));

describe("plainPathOf", () => {
  it("reads a path only when URL gives exactly that path", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          target,
          target.map((t) => `/${t}`),
        ),
        (candidate) => {
          const plain = plainPathOf(candidate);
          if (plain !== undefined) expect(plain).toBe(urlPath(candidate));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it("reads the targets clients send, and leaves the unusual ones to URL", () => {
    expect(plainPathOf("/v1/tasks/task-1f2e")).toBe("/v1/tasks/task-1f2e");
    expect(plainPathOf("/v1/tasks?state=Queued&limit=5")).toBe("/v1/tasks");
    expect(plainPathOf("/api/2.0/virtualization/tasks/t1")).toBe(
      "/api/2.0/virtualization/tasks/t1",
    );
    expect(plainPathOf("/v1/tasks/")).toBe("/v1/tasks/");
    for (const unusual of [
      "//evil/v1/tasks",
      "/v1/../tasks",
      "/v1/./tasks",
      "/v1/tasks/..",
      "/v1/%2e%2e/tasks",
      "/v1/tasks/a%20b",
      "/v1/tasks/a b",
      "/v1\\tasks",
      "/v1/tasks#x",
      "http://localhost/v1/tasks",
      "*",
      "",
    ]) {
      expect(plainPathOf(unusual), unusual).toBeUndefined();
    }
  });
});
