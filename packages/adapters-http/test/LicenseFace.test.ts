/**
 * Face 2 (the second vendor's API v6) over real HTTP: the OAuth token endpoint and the
 * synchronous license overview.
 */
import { AccountStore, PasswordHasher, ReportRenderers, runNextTask } from "@tally/core";
import { Effect, Layer } from "effect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tokenHash } from "../src/index.ts";
import { csvLines, expectProblem } from "./support/Http.ts";
import { basic, startTally, type TallyFixture, users } from "./support/TallyFixture.ts";

const form = (body: string) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body,
});

describe("face 2", () => {
  let tally: TallyFixture;
  beforeEach(async () => {
    tally = await startTally({ settings: { localZone: "Europe/Berlin" } });
  });
  afterEach(() => tally.close());

  const token = async (user: { username: string; password: string }) => {
    const res = await tally.fetch(
      "/v6/Token",
      form(
        `grant_type=password&username=${encodeURIComponent(user.username)}&password=${encodeURIComponent(user.password)}`,
      ),
    );
    expect(res.status).toBe(200);
    return (await res.json()) as {
      access_token: string;
      refresh_token: string;
      expires_in: number;
      token_type: string;
    };
  };

  const generate = (authorization: string, body: unknown, headers: Record<string, string> = {}) =>
    tally.fetch("/v6/Reports/GenerateLicenseOverview", {
      method: "POST",
      headers: { authorization, "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  describe("POST /v6/Token", () => {
    it("issues a bearer access token for 60 minutes and a refresh token", async () => {
      const res = await tally.fetch(
        "/v6/Token",
        form(`grant_type=password&username=admin&password=admin-secret`),
      );
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = (await res.json()) as Record<string, unknown>;
      expect(body.token_type).toBe("bearer");
      expect(body.expires_in).toBe(3600);
      expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it("stores only hashes of the tokens", async () => {
      const { access_token } = await token(users.admin);
      const stored = await tally.run(
        Effect.gen(function* () {
          const accounts = yield* AccountStore;
          return [
            yield* accounts.getToken(access_token),
            yield* accounts.getToken(tokenHash(access_token)),
          ];
        }),
      );
      expect(stored[0]?._tag).toBe("None");
      expect(stored[1]?._tag).toBe("Some");
    });

    it("answers 400 invalid_grant for a wrong password or an unknown user", async () => {
      for (const body of [
        "grant_type=password&username=admin&password=nope",
        "grant_type=password&username=ghost&password=x",
      ]) {
        const res = await tally.fetch("/v6/Token", form(body));
        expect(res.status).toBe(400);
        const error = (await res.json()) as Record<string, unknown>;
        expect(error.error).toBe("invalid_grant");
        expect(typeof error.error_description).toBe("string");
        expect(error.status).toBe(400);
        expect(error.type).toBe("/docs#problem-validation-failed");
      }
    });

    it("answers unsupported_grant_type and invalid_request as OAuth 2 says", async () => {
      const unsupported = await tally.fetch("/v6/Token", form("grant_type=client_credentials"));
      expect(((await unsupported.json()) as { error: string }).error).toBe(
        "unsupported_grant_type",
      );
      for (const body of [
        "username=admin&password=admin-secret",
        "grant_type=password&username=admin",
        "grant_type=refresh_token",
        "grant_type=password&grant_type=password&username=admin&password=admin-secret",
      ]) {
        const res = await tally.fetch("/v6/Token", form(body));
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: string }).error).toBe("invalid_request");
      }
      const json = await tally.fetch("/v6/Token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ grant_type: "password" }),
      });
      expect(json.status).toBe(400);
      expect(((await json.json()) as { error: string }).error).toBe("invalid_request");
    });

    it("refreshes once: a refresh token is single-use and the new access token works", async () => {
      const first = await token(users.operatorA);
      const refreshed = await tally.fetch(
        "/v6/Token",
        form(`grant_type=refresh_token&refresh_token=${first.refresh_token}`),
      );
      expect(refreshed.status).toBe(200);
      const second = (await refreshed.json()) as { access_token: string };
      expect(second.access_token).not.toBe(first.access_token);
      const again = await tally.fetch(
        "/v6/Token",
        form(`grant_type=refresh_token&refresh_token=${first.refresh_token}`),
      );
      expect(again.status).toBe(400);
      expect(((await again.json()) as { error: string }).error).toBe("invalid_grant");
      const tasks = await tally.fetch("/v1/tasks", {
        headers: { authorization: `Bearer ${second.access_token}` },
      });
      expect(tasks.status).toBe(200);
    });

    it("refuses an access token in place of a refresh token", async () => {
      const { access_token } = await token(users.admin);
      const res = await tally.fetch(
        "/v6/Token",
        form(`grant_type=refresh_token&refresh_token=${access_token}`),
      );
      expect(((await res.json()) as { error: string }).error).toBe("invalid_grant");
    });
  });

  describe("POST /v6/Reports/GenerateLicenseOverview", () => {
    it("answers 200 with the CSV file, its name and the report and task ids", async () => {
      const { access_token } = await token(users.admin);
      const res = await generate(`Bearer ${access_token}`, {
        startTime: "2022-02-03T19:21:24.912Z",
        endTime: "2022-03-03T19:21:24.912Z",
        format: "CSV",
        timezone: "UTC",
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
      const reportId = res.headers.get("x-tally-report-id") as string;
      const taskId = res.headers.get("x-tally-task-id") as string;
      expect(reportId).toMatch(/^\S+$/);
      const lines = csvLines(await res.text());
      expect(lines[0]).toBe(
        "organizationId;organizationName;userId;userName;status;licensedSince;revokedAt",
      );
      expect(lines).toContain(
        "org-a;Acme Org;u-a1;anna@acme.test;Licensed;2022-01-01T00:00:00+00:00;",
      );
      expect(lines).toContain("org-b;Bravo Org;u-b1;bob@bravo.test;New;2022-02-10T00:00:00+00:00;");
      const again = await tally.fetch(`/v1/reports/${reportId}`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      expect(((await again.json()) as { taskId: string }).taskId).toBe(taskId);
    });

    it("answers with a PDF for format PDF", async () => {
      const res = await generate(
        basic(users.admin),
        {
          startTime: "2022-02-03T19:21:24.912Z",
          endTime: "2022-03-03T19:21:24.912Z",
          format: "PDF",
        },
        { accept: "application/octet-stream" },
      );
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      expect(res.headers.get("content-disposition")).toMatch(/\.pdf"$/);
      expect(
        Buffer.from(await res.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe("%PDF-");
    });

    it("writes the report in UTC when timezone is omitted and in the zone given otherwise", async () => {
      const body = {
        startTime: "2022-02-01T00:00:00Z",
        endTime: "2022-03-01T00:00:00Z",
        format: "CSV",
      };
      const utc = csvLines(await (await generate(basic(users.admin), body)).text());
      expect(utc).toContain("org-b;Bravo Org;u-b1;bob@bravo.test;New;2022-02-10T00:00:00+00:00;");
      const kolkata = csvLines(
        await (await generate(basic(users.admin), { ...body, timezone: "UTC+05:30" })).text(),
      );
      expect(kolkata).toContain(
        "org-b;Bravo Org;u-b1;bob@bravo.test;New;2022-02-10T05:30:00+05:30;",
      );
      const local = csvLines(
        await (await generate(basic(users.admin), { ...body, timezone: "Local" })).text(),
      );
      expect(local).toContain("org-b;Bravo Org;u-b1;bob@bravo.test;New;2022-02-10T01:00:00+01:00;");
    });

    it("gives a tenant operator the organizations of its own tenant only", async () => {
      const res = await generate(basic(users.operatorA), {
        startTime: "2022-01-01T00:00:00Z",
        endTime: "2022-03-01T00:00:00Z",
        format: "CSV",
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain("org-a");
      expect(text).not.toContain("org-b");
      expect(text).not.toContain("bob@bravo.test");
    });

    it.each(["UTC+25:00", "GMT+1", "utc", "UTC+5"])(
      "rejects timezone %s with ParameterValidationFailure",
      async (timezone) => {
        const problem = await expectProblem(
          await generate(basic(users.admin), {
            startTime: "2022-02-01T00:00:00Z",
            endTime: "2022-03-01T00:00:00Z",
            format: "CSV",
            timezone,
          }),
          400,
        );
        expect(problem.errorCode).toBe("ParameterValidationFailure");
        expect(problem.message).toBe(problem.detail);
        expect(problem.errors?.[0]?.field).toBe("timezone");
      },
    );

    it("names every wrong field at once", async () => {
      const problem = await expectProblem(
        await generate(basic(users.admin), {
          startTime: "yesterday",
          endTime: "2022-03-01T00:00:00Z",
          format: "DOC",
          timezone: "GMT",
        }),
        400,
      );
      expect(problem.errors?.map((e) => e.field).sort()).toEqual([
        "format",
        "startTime",
        "timezone",
      ]);
    });

    it("rejects a reversed interval, a missing field, malformed JSON and a non-JSON body", async () => {
      const reversed = await expectProblem(
        await generate(basic(users.admin), {
          startTime: "2022-03-01T00:00:00Z",
          endTime: "2022-02-01T00:00:00Z",
          format: "CSV",
        }),
        400,
      );
      expect(reversed.errors?.map((e) => e.field)).toContain("startTime");
      const missing = await expectProblem(
        await generate(basic(users.admin), { endTime: "2022-02-01T00:00:00Z", format: "CSV" }),
        400,
      );
      expect(missing.errors?.[0]).toMatchObject({ field: "startTime", actual: "nothing" });
      const malformed = await expectProblem(await generate(basic(users.admin), "{not json"), 400);
      expect(malformed.errorCode).toBe("ParameterValidationFailure");
      const text = await expectProblem(
        await generate(basic(users.admin), "hello", { "content-type": "text/plain" }),
        415,
      );
      expect(text.errorCode).toBe("UnsupportedMediaType");
    });

    it("answers 401 with errorCode Unauthorized without a valid token", async () => {
      const res = await generate("Bearer not-a-token", {
        startTime: "2022-02-01T00:00:00Z",
        endTime: "2022-03-01T00:00:00Z",
        format: "CSV",
      });
      const problem = await expectProblem(res, 401);
      expect(problem.errorCode).toBe("Unauthorized");
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
    });

    it("does not serve a license report through the tenant-report download of face 1", async () => {
      const res = await generate(basic(users.admin), {
        startTime: "2022-02-01T00:00:00Z",
        endTime: "2022-03-01T00:00:00Z",
        format: "CSV",
      });
      const reportId = res.headers.get("x-tally-report-id") as string;
      await res.arrayBuffer();
      await expectProblem(
        await tally.fetch(`/api/2.0/virtualization/reports/tenants/${reportId}`, {
          headers: { authorization: basic(users.admin), accept: "application/csv" },
        }),
        404,
      );
    });
  });
});

/** The one test that waits for the wait limit to pass: it gets a short one. */
const waitLimitTest =
  "answers 503 with the task's location when the report takes longer than the wait limit";

describe("face 2 without a worker", () => {
  let tally: TallyFixture;
  beforeEach(async (context) => {
    tally = await startTally({
      worker: false,
      http: {
        // The others must never meet the limit, however slowly a loaded machine answers.
        syncReportTimeoutMs: context.task.name === waitLimitTest ? 1500 : 60_000,
        syncReportPollMs: 20,
        maxBodyBytes: 512,
      },
    });
  });
  afterEach(() => tally.close());

  const body = JSON.stringify({
    startTime: "2022-02-01T00:00:00Z",
    endTime: "2022-03-01T00:00:00Z",
    format: "CSV",
  });
  const generate = (init: RequestInit = {}) =>
    tally.fetch("/v6/Reports/GenerateLicenseOverview", {
      method: "POST",
      headers: { authorization: basic(users.admin), "content-type": "application/json" },
      body,
      ...init,
    });
  const queuedTasks = async (): Promise<Array<{ id: string; state: string }>> =>
    (
      (await (
        await tally.fetch("/v1/tasks?type=CreateLicenseOverviewReport&state=Queued", {
          headers: { authorization: basic(users.admin) },
        })
      ).json()) as {
        items: Array<{ id: string; state: string }>;
      }
    ).items;
  const waitForQueued = async () => {
    // Polled for up to 30 s: the request is queued within milliseconds on an idle machine.
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
      const queued = await queuedTasks();
      if (queued.length > 0) return queued;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("no task was queued");
  };

  it(waitLimitTest, async () => {
    const res = await generate();
    const problem = await expectProblem(res, 503);
    expect(problem.errorCode).toBe("OperationTimeout");
    const taskId = res.headers.get("x-tally-task-id") as string;
    expect(res.headers.get("location")).toBe(`/v1/tasks/${taskId}`);
    const task = await tally.fetch(`/v1/tasks/${taskId}`, {
      headers: { authorization: basic(users.admin) },
    });
    expect(((await task.json()) as { state: string }).state).toBe("Queued");
    await tally.fetch(`/v1/tasks/${taskId}/cancel`, {
      method: "POST",
      headers: { authorization: basic(users.admin) },
    });
  });

  it("answers 409 when the task is cancelled while the client waits", async () => {
    const pending = generate();
    const [task] = await waitForQueued();
    await tally.fetch(`/v1/tasks/${task?.id}/cancel`, {
      method: "POST",
      headers: { authorization: basic(users.admin) },
    });
    const problem = await expectProblem(await pending, 409);
    expect(problem.errorCode).toBe("ReportGenerationFailed");
  });

  it("completes the task when the client goes away while waiting", async () => {
    const abort = new AbortController();
    const pending = generate({ signal: abort.signal }).catch((error: unknown) => error);
    const [task] = await waitForQueued();
    abort.abort();
    expect(await pending).toBeInstanceOf(Error);
    await tally.run(runNextTask("late-worker"));
    const after = await tally.fetch(`/v1/tasks/${task?.id}`, {
      headers: { authorization: basic(users.admin) },
    });
    expect(((await after.json()) as { state: string }).state).toBe("Succeeded");
  });

  it("answers 413 for a body over the limit", async () => {
    const problem = await expectProblem(
      await generate({ body: JSON.stringify({ startTime: "x".repeat(600) }) }),
      413,
    );
    expect(problem.errorCode).toBe("PayloadTooLarge");
  });

  it("answers 403 ResourceAccessDenied to an operator account without a tenant", async () => {
    await tally.run(
      Effect.gen(function* () {
        yield* (yield* AccountStore).upsertAccount({
          username: "orphan",
          passwordHash: yield* (yield* PasswordHasher).hash("orphan-secret"),
          role: "TenantOperator",
          tenantId: null,
        });
      }),
    );
    const problem = await expectProblem(
      await generate({
        headers: {
          authorization: basic({ username: "orphan", password: "orphan-secret" }),
          "content-type": "application/json",
        },
      }),
      403,
    );
    expect(problem.errorCode).toBe("ResourceAccessDenied");
  });
});

describe("face 2 when the report cannot be produced", () => {
  let tally: TallyFixture;
  beforeEach(async () => {
    tally = await startTally({
      renderers: Layer.succeed(ReportRenderers, ReportRenderers.of({ forFormat: () => undefined })),
    });
  });
  afterEach(() => tally.close());

  it("answers 500 ReportGenerationFailed with the task id, revealing nothing else", async () => {
    const res = await tally.fetch("/v6/Reports/GenerateLicenseOverview", {
      method: "POST",
      headers: { authorization: basic(users.admin), "content-type": "application/json" },
      body: JSON.stringify({
        startTime: "2022-02-01T00:00:00Z",
        endTime: "2022-03-01T00:00:00Z",
        format: "PDF",
      }),
    });
    const problem = await expectProblem(res, 500);
    expect(problem.errorCode).toBe("ReportGenerationFailed");
    const taskId = res.headers.get("x-tally-task-id") as string;
    expect(problem.detail).toContain(taskId);
    const task = (await (
      await tally.fetch(`/v1/tasks/${taskId}`, { headers: { authorization: basic(users.admin) } })
    ).json()) as {
      state: string;
    };
    expect(task.state).toBe("Failed");
  });
});
