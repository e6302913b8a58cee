/**
 * The fuzz campaign as a test suite, run once per storage backend (`FuzzSqlite.test.ts`,
 * `FuzzPostgres.test.ts`): generated requests (fast-check, a fixed seed) against every endpoint
 * of the three faces of a Tally started in-process over that backend, sent over raw sockets by
 * 12 connections at once — malformed JSON, dates and zones, wrong types, text no database can
 * hold (NUL, lone surrogates), non-NFC and over-long text, huge and cut-short bodies, wrong
 * content types and methods, path tricks, repeated query parameters and headers, lying framing,
 * bad credentials, `Range` and `Idempotency-Key` garbage. No answer may be a 5xx, every 4xx body
 * must be problem details naming what was wrong, no request may hang or kill the server, and no
 * connection may stay open once it is done with.
 *
 * A failure prints the seed and, for each fault, the bytes that were sent. Replay another seed
 * with `TALLY_FUZZ_SEED=<n>`; the bench-size run is `packages/server/bench/fuzz.bench.ts`.
 */

import { Socket } from "node:net";
import type { StoragePorts } from "@tally/adapters-storage";
import { defaultPasswordLoginOptions } from "@tally/core";
import type { Layer } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTally, type TallyFixture, users } from "../support/TallyFixture.ts";
import { type CampaignReport, runCampaign, summarize } from "./FuzzCampaign.ts";
import type { FuzzWorld } from "./HostileRequests.ts";

/** Small limits, so that bodies beyond them are cheap to send. */
/** Login throttling that a campaign never reaches. */
const unthrottled = {
  ...defaultPasswordLoginOptions,
  perUser: { ...defaultPasswordLoginOptions.perUser, freeFailures: 1e9 },
  perAddress: { ...defaultPasswordLoginOptions.perAddress, freeFailures: 1e9 },
};
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

/**
 * TCP sockets this process holds open to or from the server's `port`: the connections it
 * accepted and the fuzzer's own (the storage's pool connections, which come and go, are not).
 */
const openSockets = (port: number): number =>
  (process as unknown as { _getActiveHandles: () => ReadonlyArray<unknown> })
    ._getActiveHandles()
    .filter(
      (handle) =>
        handle instanceof Socket &&
        !handle.destroyed &&
        (handle.localPort === port || handle.remotePort === port),
    ).length;

/** Waits until `done` holds, at most `ms`. */
const settle = async (done: () => boolean, ms: number): Promise<void> => {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
};

/** The backend a campaign runs over. */
export interface FuzzBackend {
  /** Its name in test titles, e.g. `PostgreSQL`. */
  readonly name: string;
  /** Fresh, empty storage. */
  readonly storage: () => Layer.Layer<StoragePorts, unknown>;
  /** The test file, for the replay command a failure prints. */
  readonly testFile: string;
  /** Runs before the server starts (e.g. fails loudly when PostgreSQL does not answer). */
  readonly before?: () => Promise<void>;
  /** Runs after the server stopped (e.g. waits for its schema to be dropped). */
  readonly after?: () => Promise<void>;
}

/** How many requests and how long a campaign may take on a loaded machine. */
export interface FuzzSize {
  readonly requests: number;
  readonly timeoutMs: number;
}

/** The campaign against a Tally over `backend`, as a `describe` block. */
export const describeFuzzCampaign = (backend: FuzzBackend, size: FuzzSize): void => {
  const seed = Number(process.env.TALLY_FUZZ_SEED ?? 20_261_123);
  const { requests } = size;

  /** What a failing assertion prints: the seed, the histogram, the faults with the bytes sent. */
  const failure = (report: CampaignReport): string =>
    `${summarize(report)}\nreplay: TALLY_FUZZ_SEED=${report.seed} pnpm exec vitest run ${backend.testFile}`;

  describe(`hostile requests against a running Tally on ${backend.name}`, () => {
    let tally: TallyFixture | undefined;
    let report: CampaignReport;
    let socketsLeftOpen: number;

    beforeAll(async () => {
      await backend.before?.();
      tally = await startTally({
        storage: backend.storage(),
        // The campaign's deliberate wrong passwords (about 2% of its requests, all from one
        // address) must not throttle its valid Basic requests: throttling has tests of its own.
        http: { maxBodyBytes, maxCsvBodyBytes, syncReportPollMs: 20, passwordLogins: unthrottled },
      });
      const port = Number(new URL(tally.baseUrl).port);
      report = await runCampaign({
        host: "127.0.0.1",
        port,
        world,
        seed,
        requests,
        concurrency: 12,
        timeoutMs: 60_000,
      });
      console.log(`${backend.name}: ${summarize(report, 0)}`);
      await settle(() => openSockets(port) === 0, 10_000);
      socketsLeftOpen = openSockets(port);
    }, size.timeoutMs);

    afterAll(async () => {
      await tally?.close();
      await backend.after?.();
    }, 60_000);

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
        expect(
          endpoints.filter((e) => family.test(e)),
          `no request to ${family}`,
        ).not.toEqual([]);
      }
      // The plausible part of the requests got through to the handlers, the spoiled part was
      // refused for each of the reasons the generator aims at.
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
      // A leaked connection (e.g. an `Upgrade` request with a large body) holds a socket for
      // good and holds up the server's shutdown.
      expect(socketsLeftOpen).toBe(0);
    });

    it("still answers /v1/health afterwards", async () => {
      const res = await (tally as TallyFixture).fetch("/v1/health");
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok" });
    });
  });
};
