/**
 * Failed-login throttling against a real `tally serve` over SQLite, with clients on several
 * loopback addresses: a flood of wrong Basic passwords from 64 connections does not stall a
 * tenant report (it finishes within twice its quiet time, measured in the same run) and another
 * user still logs in; and every face answers a throttled login 429 with `Retry-After` as its
 * own problem details, then lets the right password in once that time has passed.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScryptPasswordHasher } from "@tally/adapters-storage";
import { AccountStore, PasswordHasher } from "@tally/core";
import { Effect, Layer } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import { loadDemoData } from "../src/demo/loadDemoData.ts";
import { storageLayer } from "../src/wiring/StorageLayer.ts";
import { basicAuth, type HttpAnswer, httpFrom } from "./support/HttpFrom.ts";
import { startFlood, timeTenantReport } from "./support/LoginFlood.ts";
import { quiet } from "./support/quiet.ts";
import { startTally, type TallyServer } from "./support/TallyProcess.ts";

const running: TallyServer[] = [];

afterEach(() => {
  for (const server of running.splice(0)) {
    if (server.child.exitCode === null && server.child.signalCode === null)
      server.child.kill("SIGKILL");
  }
});

/** Extra administrators, each with its name as password: one per face under test. */
const faceUsers = ["face1-user", "native-user", "token-user"];

/**
 * A `tally serve` over a fresh SQLite file with the demo data (accounts `admin/admin`, …) and
 * the `faceUsers`.
 */
const serveDemo = async (env: Readonly<Record<string, string>>) => {
  const cwd = mkdtempSync(join(tmpdir(), "tally-throttle-"));
  const database = join(cwd, "tally.sqlite");
  await Effect.runPromise(
    quiet(
      Effect.gen(function* () {
        yield* loadDemoData();
        const accounts = yield* AccountStore;
        for (const username of faceUsers) {
          const passwordHash = yield* (yield* PasswordHasher).hash(username);
          yield* accounts.upsertAccount({
            username,
            passwordHash,
            role: "Administrator",
            tenantId: null,
          });
        }
      }).pipe(
        Effect.provide(
          Layer.merge(
            storageLayer({ _tag: "Sqlite", filename: database }),
            ScryptPasswordHasher.layer,
          ),
        ),
      ),
    ),
  );
  const server = startTally(["serve"], {
    cwd,
    env: { TALLY_PORT: "0", TALLY_STORAGE: database, ...env },
  });
  running.push(server);
  const listening = await server.waitForLog((line) => line.message === "listening");
  return String(listening.url);
};

const tokenRequest = (username: string, password: string) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ grant_type: "password", username, password }).toString(),
});

const json = (answer: HttpAnswer): Record<string, unknown> =>
  JSON.parse(answer.body) as Record<string, unknown>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The 429 every face answers a throttled login with. */
const expectThrottled = (answer: HttpAnswer) => {
  expect(answer.status).toBe(429);
  expect(answer.headers["content-type"]).toBe("application/problem+json");
  expect(Number(answer.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  expect(json(answer)).toMatchObject({ type: "/docs#problem-too-many-requests", status: 429 });
};

describe("failed logins are throttled", () => {
  it("a flood of wrong Basic passwords from 64 connections neither stalls a report nor locks out another user", async () => {
    const url = await serveDemo({ TALLY_WORKERS: "1" });
    const token = json(
      await httpFrom(`${url}/v6/Token`, { ...tokenRequest("admin", "admin"), from: "127.0.0.2" }),
    );
    const bearer = `Bearer ${String(token.access_token)}`;

    await timeTenantReport(url, bearer); // warms the worker and the report path
    const quietRuns: number[] = [];
    for (let i = 0; i < 3; i++) quietRuns.push(await timeTenantReport(url, bearer));
    const quietMs = Math.max(...quietRuns);

    // The flood: 64 keep-alive connections from 127.0.0.1, each sending wrong passwords for
    // the administrator as fast as it is answered.
    const flood = startFlood(url, { connections: 64, from: "127.0.0.1", username: "admin" });
    let statuses: ReadonlyMap<number, number> = new Map();
    try {
      await sleep(500);
      const floodedMs = await timeTenantReport(url, bearer, 20_000);
      // Another user, from another machine, logs in with a password never checked before.
      const bystander = await httpFrom(`${url}/v1/tasks`, {
        from: "127.0.0.3",
        headers: { authorization: basicAuth("acme-operator", "acme-operator") },
      });
      const bystanderToken = await httpFrom(`${url}/v6/Token`, {
        ...tokenRequest("romashka-operator", "romashka-operator"),
        from: "127.0.0.3",
      });
      // Twice the quiet time, or 2 s more than it when that is longer: a loaded 2-core machine
      // stretches a 100 ms report by more than its length now and then, while the flood,
      // unthrottled, stretches it to tens of seconds.
      const bound = Math.max(2 * quietMs, quietMs + 2_000);
      expect({ quietRuns, floodedMs, within: floodedMs <= bound }).toMatchObject({
        within: true,
      });
      expect(bystander.status).toBe(200);
      expect(bystanderToken.status).toBe(200);
    } finally {
      statuses = await flood.stop();
    }
    // Only the first failures were checked; everything else was refused without a check.
    expect([...statuses.keys()].sort()).toEqual([401, 429]);
    expect(statuses.get(429)).toBeGreaterThan(statuses.get(401) ?? 0);
  }, 300_000);

  it("answers 429 with Retry-After on face 1 (Basic), the native API and /v6/Token, and lets the right password in afterwards", async () => {
    const url = await serveDemo({
      TALLY_AUTH_BACKOFF: "3s",
      TALLY_AUTH_FREE_FAILURES: "3",
      TALLY_WORKERS: "0",
    });
    const faces = [
      {
        name: "face 1, Basic",
        user: "face1-user",
        from: "127.0.0.11",
        send: (password: string, from: string) =>
          httpFrom(`${url}/api/2.0/virtualization/tasks`, {
            from,
            headers: {
              authorization: basicAuth("face1-user", password),
              accept: "application/json",
            },
          }),
        refused: 401,
        ok: 200,
        vendor: false,
      },
      {
        name: "native, Basic",
        user: "native-user",
        from: "127.0.0.12",
        send: (password: string, from: string) =>
          httpFrom(`${url}/v1/tasks`, {
            from,
            headers: { authorization: basicAuth("native-user", password) },
          }),
        refused: 401,
        ok: 200,
        vendor: false,
      },
      {
        name: "/v6/Token, password grant",
        user: "token-user",
        from: "127.0.0.13",
        send: (password: string, from: string) =>
          httpFrom(`${url}/v6/Token`, { ...tokenRequest("token-user", password), from }),
        refused: 400,
        ok: 200,
        vendor: true,
      },
    ];
    for (const face of faces) {
      // Three free failures, then the one that starts the back-off.
      for (let i = 0; i < 4; i++) {
        expect({
          face: face.name,
          status: (await face.send(`wrong-${i}`, face.from)).status,
        }).toEqual({
          face: face.name,
          status: face.refused,
        });
      }
      // The right password is refused too while the user name backs off (3 s after the fourth
      // failure): no guess is checked. From another address too: the user name backs off.
      const [throttled, elsewhere] = await Promise.all([
        face.send(face.user, face.from),
        face.send(face.user, "127.0.0.19"),
      ]);
      expectThrottled(throttled);
      expectThrottled(elsewhere);
      // Held for a second at most, of the configured 3 s.
      expect(Number(throttled.headers["retry-after"])).toBeGreaterThanOrEqual(2);
      if (face.vendor) {
        expect(json(throttled)).toMatchObject({ errorCode: "TooManyRequests" });
        expect(json(throttled).message).toEqual(json(throttled).detail);
      } else expect(json(throttled).errorCode).toBeUndefined();
      await sleep(Number(throttled.headers["retry-after"]) * 1000);
      expect({
        face: face.name,
        status: (await face.send(face.user, face.from)).status,
      }).toEqual({
        face: face.name,
        status: face.ok,
      });
    }

    // An address that failed too often (4 × 3 free failures, then one more, with made-up
    // names) is refused whoever it names.
    for (let i = 0; i < 13; i++) {
      const answer = await httpFrom(`${url}/v1/tasks`, {
        from: "127.0.0.20",
        headers: { authorization: basicAuth(`nobody-${i}`, "guess") },
      });
      expect(answer.status).toBe(401);
    }
    const admin = { authorization: basicAuth("admin", "admin") };
    expectThrottled(await httpFrom(`${url}/v1/tasks`, { from: "127.0.0.20", headers: admin }));
    expect((await httpFrom(`${url}/v1/tasks`, { from: "127.0.0.21", headers: admin })).status).toBe(
      200,
    );
  }, 300_000);
});
