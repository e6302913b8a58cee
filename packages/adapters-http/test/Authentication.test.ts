/**
 * Authentication over real HTTP: which credentials are accepted, and the 401 every other
 * attempt gets.
 */
import { AccountStore, PasswordHasher } from "@tally/core";
import { Effect, Option } from "effect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectProblem } from "./support/Http.ts";
import { basic, startTally, type TallyFixture, users } from "./support/TallyFixture.ts";

describe("authentication", () => {
  let tally: TallyFixture;
  beforeEach(async () => {
    tally = await startTally({ seed: false, worker: false });
  });
  afterEach(() => tally.close());

  const tasks = (authorization?: string) =>
    tally.fetch("/v1/tasks", authorization === undefined ? {} : { headers: { authorization } });

  it("accepts HTTP Basic with a configured user, and a Bearer token from the token endpoint", async () => {
    expect((await tasks(basic(users.admin))).status).toBe(200);
    const res = await tally.fetch("/v6/Token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=password&username=admin&password=admin-secret",
    });
    const { access_token } = (await res.json()) as { access_token: string };
    expect((await tasks(`Bearer ${access_token}`)).status).toBe(200);
    expect((await tasks(`bearer ${access_token}`)).status).toBe(200);
  });

  it.each([
    ["no header", undefined],
    ["a wrong password", basic({ username: "admin", password: "wrong" })],
    ["an unknown user", basic({ username: "ghost", password: "admin-secret" })],
    ["malformed Basic credentials", "Basic not-base64-without-colon"],
    ["an unknown token", "Bearer 0123456789"],
    ["an empty Bearer", "Bearer"],
    ["another scheme", "Digest username=admin"],
  ])("answers 401 with the challenge for %s", async (_, authorization) => {
    const res = await tasks(authorization);
    const problem = await expectProblem(res, 401);
    expect(problem.type).toBe("/docs#problem-unauthorized");
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="tally", Basic realm="tally"');
  });

  it("stops accepting a remembered Basic password once the password changes", async () => {
    expect((await tasks(basic(users.operatorA))).status).toBe(200);
    await tally.run(
      Effect.gen(function* () {
        const accounts = yield* AccountStore;
        const account = Option.getOrThrow(yield* accounts.getAccount(users.operatorA.username));
        yield* accounts.upsertAccount({
          ...account,
          passwordHash: yield* (yield* PasswordHasher).hash("new-secret"),
        });
      }),
    );
    await expectProblem(await tasks(basic(users.operatorA)), 401);
    expect(
      (await tasks(basic({ username: users.operatorA.username, password: "new-secret" }))).status,
    ).toBe(200);
  });

  it("keeps the token endpoint, health, readiness and the reference public", async () => {
    for (const path of ["/v1/health", "/v1/ready", "/openapi.json", "/docs"]) {
      expect((await tally.fetch(path)).status).toBe(200);
    }
  });
});
