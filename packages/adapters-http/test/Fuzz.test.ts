/**
 * The fuzzer's own parts, and what it found pinned down as examples: the oracle that judges
 * every answer, and the findings that became fixes. The campaigns themselves run per storage
 * backend: `FuzzSqlite.test.ts` and `FuzzPostgres.test.ts` (see `fuzz/FuzzSuite.ts`); the
 * bench-size run is `packages/server/bench/fuzz.bench.ts`.
 */
import { describeGiven } from "@tally/core";
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { maxJsonDepth, parseJsonText } from "../src/protocol/RequestBody.ts";
import type { HostileRequest } from "./fuzz/HostileRequests.ts";
import type { WireResponse } from "./fuzz/RawHttpExchange.ts";
import { judge } from "./fuzz/ResponseVerdict.ts";

describe("the fuzz oracle", () => {
  const request: HostileRequest = {
    endpoint: "POST /v1/reports",
    tricks: [],
    method: "POST",
    target: ["/v1/reports"],
    version: "HTTP/1.1",
    headers: [],
    body: { _tag: "Text", text: ["{}"] },
    framing: { _tag: "Length" },
    mayGoUnanswered: false,
  };
  const answer = (status: number, contentType: string, body: unknown): WireResponse => ({
    outcome: "answered",
    status,
    headers: new Map([["content-type", [contentType]]]),
    body: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
    ms: 1,
  });
  const problem = { type: "/docs#x", title: "T", status: 400, detail: "start: expected …" };

  it("accepts problem details and the OAuth error JSON", () => {
    expect(judge(request, answer(400, "application/problem+json", problem))).toBeUndefined();
    const oauth = { ...problem, error: "invalid_grant", error_description: "wrong" };
    expect(judge(request, answer(400, "application/json", oauth))).toBeUndefined();
  });

  it("flags a 5xx, a 4xx that is not problem details, an empty detail or field, and silence", () => {
    expect(
      judge(request, answer(500, "application/problem+json", { ...problem, status: 500 })),
    ).toBe("status 500");
    expect(judge(request, answer(400, "text/plain", "bad"))).toMatch(
      /instead of application\/problem\+json/,
    );
    expect(
      judge(request, answer(400, "application/problem+json", { ...problem, detail: "" })),
    ).toMatch(/detail/);
    const noField = { ...problem, errors: [{ field: "", expected: "x", actual: "y" }] };
    expect(judge(request, answer(400, "application/problem+json", noField))).toMatch(/field name/);
    const silence: WireResponse = { ...answer(200, "", ""), outcome: "closed", status: undefined };
    expect(judge(request, silence)).toMatch(/closed/);
    expect(judge({ ...request, mayGoUnanswered: true }, silence)).toBeUndefined();
    expect(judge(request, { ...silence, outcome: "timeout" })).toMatch(/no complete answer/);
  });
});

describe("what the fuzzer found, pinned down", () => {
  const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

  it("refuses a JSON body nested deeper than the limit before parsing it, with a 400 on body", () => {
    const problem = Effect.runSync(Effect.flip(parseJsonText(nested(8_000_000))));
    expect(problem.httpStatus).toBe(400);
    expect(problem.errors?.[0]).toEqual({
      field: "body",
      expected: `a JSON document nested at most ${maxJsonDepth} levels deep`,
      actual: "a document nested deeper",
    });
    expect(Effect.runSync(parseJsonText(nested(maxJsonDepth)))).toBeInstanceOf(Array);
    expect(Effect.runSync(parseJsonText('["[[[[", {"a": "}}}}"}]'))).toHaveLength(2);
  });

  it("describes a value too deeply nested to print instead of overflowing the stack", () => {
    let deep: unknown = [];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(describeGiven(deep)).toBe("a deeply nested array");
  });
});
