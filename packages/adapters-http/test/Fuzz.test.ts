/**
 * Hostile input: 5,000 generated requests (fast-check, a fixed seed) against every endpoint of
 * the three faces of a Tally started in-process, sent over raw sockets by 12 connections at
 * once — malformed JSON, dates and zones, wrong types, huge and cut-short bodies, wrong content
 * types and methods, path tricks, repeated query parameters and headers, lying framing, bad
 * credentials, `Range` and `Idempotency-Key` garbage. No answer may be a 5xx, every 4xx body
 * must be problem details naming what was wrong, no request may hang or kill the server, and
 * no connection may stay open once it is done with.
 *
 * A failure prints the seed and, for each fault, the bytes that were sent. Replay another seed
 * with `TALLY_FUZZ_SEED=<n>`; the bench-size run is `packages/server/bench/fuzz.bench.ts`.
 */
import { defaultPasswordLoginOptions, describeGiven } from "@tally/core";
import { Effect } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxJsonDepth, parseJsonText } from "../src/protocol/RequestBody.ts";
import { type CampaignReport, runCampaign, summarize } from "./fuzz/FuzzCampaign.ts";
import type { FuzzWorld, HostileRequest } from "./fuzz/HostileRequests.ts";
import type { WireResponse } from "./fuzz/RawHttpExchange.ts";
import { judge } from "./fuzz/ResponseVerdict.ts";
import { startTally, type TallyFixture, users } from "./support/TallyFixture.ts";

const seed = Number(process.env.TALLY_FUZZ_SEED ?? 20_261_123);

/** Login throttling that a campaign never reaches. */
const unthrottled = {
  ...defaultPasswordLoginOptions,
  perUser: { ...defaultPasswordLoginOptions.perUser, freeFailures: 1e9 },
  perAddress: { ...defaultPasswordLoginOptions.perAddress, freeFailures: 1e9 },
};
const requests = 5_000;
/** Small limits, so that bodies beyond them are cheap to send. */
const maxBodyBytes = 64 * 1024;
const maxCsvBodyBytes = 128 * 1024;

const world: FuzzWorld = {
  accounts: [users.admin, users.operatorA, users.operatorB],
  tenantIds: ["A", "B"],
  vmIds: ["vm-a1", "vm-a2", "vm-b1"],
  organizationIds: ["org-a", "org-b"],
  userIds: ["u-a1", "u-b1"],
  maxBodyBytes,
  maxCsvBodyBytes,
  streamedHugeBodies: 0.5,
};

/** What a failing assertion prints: the seed, the histogram, the faults with the bytes sent. */
const failure = (report: CampaignReport): string =>
  `${summarize(report)}\nreplay: TALLY_FUZZ_SEED=${report.seed} pnpm exec vitest run packages/adapters-http/test/Fuzz.test.ts`;

/** TCP sockets this process holds open: the server's accepted connections among them. */
const openSockets = (): number =>
  process.getActiveResourcesInfo().filter((resource) => resource === "TCPSocketWrap").length;

/** Waits until `done` holds, at most `ms`. */
const settle = async (done: () => boolean, ms: number): Promise<void> => {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
};

describe("hostile requests against a running Tally", () => {
  let tally: TallyFixture;
  let report: CampaignReport;
  let socketsLeftOpen: number;

  beforeAll(async () => {
    tally = await startTally({
      // The campaign's deliberate wrong passwords (about 2% of its requests, all from one
      // address) must not throttle its valid Basic requests: throttling has tests of its own.
      http: { maxBodyBytes, maxCsvBodyBytes, syncReportPollMs: 20, passwordLogins: unthrottled },
    });
    const socketsBefore = openSockets();
    report = await runCampaign({
      host: "127.0.0.1",
      port: Number(new URL(tally.baseUrl).port),
      world,
      seed,
      requests,
      concurrency: 12,
      timeoutMs: 60_000,
    });
    console.log(summarize(report, 0));
    await settle(() => openSockets() <= socketsBefore, 10_000);
    socketsLeftOpen = openSockets() - socketsBefore;
  }, 300_000);

  afterAll(() => tally?.close());

  it(`sends ${requests} generated requests to every endpoint of the three faces`, () => {
    expect(report.sent).toBeGreaterThanOrEqual(requests);
    const endpoints = [...report.endpoints.keys()];
    for (const family of [
      /^POST \/api\/2\.0\/virtualization\/reports\/tenants$/,
      /^GET \/api\/2\.0\/virtualization\/tasks\/\{id\}$/,
      /^GET \/api\/2\.0\/virtualization\/tasks$/,
      /^POST \/api\/2\.0\/virtualization\/tasks\/\{id\}\/cancel$/,
      /^GET \/api\/2\.0\/virtualization\/reports\/tenants\/\{reportId\}$/,
      /^POST \/v6\/Token$/,
      /^POST \/v6\/Reports\/GenerateLicenseOverview$/,
      /^POST \/v1\/reports$/,
      /^GET \/v1\/reports\/\{id\}\/content$/,
      /^DELETE \/v1\/reports\/\{id\}$/,
      /^POST \/v1\/tasks\/\{id\}\/cancel$/,
      /^PUT \/v1\/protection-periods\/\{id\}$/,
      /^POST \/v1\/license-events$/,
      /^GET \/v1\/users$/,
      /^GET \/v1\/vms\/\{id\}$/,
      /^GET \/v1\/health$/,
      /^GET \/openapi\.json$/,
      /^GET \/docs$/,
    ]) {
      expect(endpoints, `no request to ${family}`).toContainEqual(expect.stringMatching(family));
    }
    // The plausible part of the requests got through to the handlers, the spoiled part was refused
    // for each of the reasons the generator aims at.
    for (const status of ["200", "202", "206", "400", "401", "403", "404", "405", "413", "415"]) {
      expect(
        report.statuses.get(status) ?? 0,
        `no ${status} among ${summarize(report, 0)}`,
      ).toBeGreaterThan(0);
    }
  });

  it("answers none of them with a 5xx", () => {
    expect(report.atLeast500, failure(report)).toBe(0);
  });

  it("answers every one in time, every 4xx body being problem details that name the problem", () => {
    expect(report.faultCount, failure(report)).toBe(0);
  });

  it("closes every connection it was handed once it is done with it", () => {
    // A leaked connection (e.g. an `Upgrade` request with a large body) holds a socket for good
    // and holds up the server's shutdown.
    expect(socketsLeftOpen).toBe(0);
  });

  it("still answers /v1/health afterwards", async () => {
    const res = await tally.fetch("/v1/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});

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
