/**
 * Face 1 (the first vendor's API 2.0) over real HTTP: every endpoint and documented status.
 */
import { claimTask, TaskStore } from "@tally/core";
import { Effect, Result } from "effect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { csvLines, expectProblem, pollTask } from "./support/Http.ts";
import { listingFixtureTasks, storeTasks } from "./support/StoredTasks.ts";
import { basic, startTally, type TallyFixture, users } from "./support/TallyFixture.ts";

const base = "/api/2.0/virtualization";
const admin = basic(users.admin);
const operatorA = basic(users.operatorA);
const operatorB = basic(users.operatorB);

const submit = (
  tally: TallyFixture,
  query: string,
  authorization = admin,
  accept = "application/csv",
) =>
  tally.fetch(`${base}/reports/tenants?${query}`, {
    method: "POST",
    headers: { accept, authorization },
  });

const completedReport = async (
  tally: TallyFixture,
  query: string,
  authorization = admin,
  accept = "application/csv",
): Promise<{ task: Record<string, unknown>; reportId: string }> => {
  const res = await submit(tally, query, authorization, accept);
  expect(res.status).toBe(202);
  const location = res.headers.get("location") as string;
  const task = await pollTask(
    tally,
    location,
    authorization,
    (t) => t.state === "Completed" || t.state === "Failed",
  );
  expect(task.state).toBe("Completed");
  return { task, reportId: task.result as string };
};

const download = (tally: TallyFixture, reportId: string, headers: Record<string, string> = {}) =>
  tally.fetch(`${base}/reports/tenants/${reportId}`, {
    headers: { authorization: admin, accept: "application/csv", ...headers },
  });

describe("face 1 with a worker", () => {
  let tally: TallyFixture;
  beforeEach(async () => {
    tally = await startTally({ settings: { localZone: "Europe/Berlin" } });
  });
  afterEach(() => tally.close());

  it("accepts a report request with 202, the task in XML and its Location", async () => {
    const res = await submit(tally, "tenantId=A&from=2024-03-01T00:00:00&to=2024-04-01T00:00:00");
    expect(res.status).toBe(202);
    const location = res.headers.get("location");
    expect(location).toMatch(new RegExp(`^${base}/tasks/[^/]+$`));
    expect(res.headers.get("content-type")).toMatch(/^application\/xml/);
    const xml = await res.text();
    const id = decodeURIComponent((location as string).split("/").pop() as string);
    expect(xml).toContain(`<task id="${id}" created="`);
    expect(xml).toContain("<type>CreateTenantReport</type>");
    expect(xml).toMatch(/<state>(Queued|Running|Completed)<\/state>/);
  });

  it("produces a CSV with exactly the vendor's header and the merged, clipped rows", async () => {
    const { reportId } = await completedReport(
      tally,
      "tenantId=A&from=2024-03-01T00:00:00&to=2024-04-01T00:00:00",
    );
    const res = await download(tally, reportId);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.csv"/);
    expect(csvLines(await res.text())).toEqual([
      "tenantId;tenantName;vmId;vmName;protectionStart;protectionEnd",
      "A;Acme & Söhne;vm-a1;alpha-1;2024-03-01T00:00:00+00:00;2024-03-15T00:00:00+00:00",
      "A;Acme & Söhne;vm-a2;alpha-2;2024-03-30T23:00:00+00:00;2024-03-31T03:00:00+00:00",
    ]);
  });

  it("clips rows to the interval and neutralises formula-like names in an all-tenants report", async () => {
    const { reportId } = await completedReport(
      tally,
      "from=2024-03-02T12:00:00&to=2024-03-05T00:00:00",
    );
    const lines = csvLines(await (await download(tally, reportId)).text());
    expect(lines[0]).toBe("tenantId;tenantName;vmId;vmName;protectionStart;protectionEnd");
    expect(lines).toContain(
      "A;Acme & Söhne;vm-a1;alpha-1;2024-03-02T12:00:00+00:00;2024-03-05T00:00:00+00:00",
    );
    const bravo = lines.find((l) => l.includes("vm-b1")) as string;
    expect(bravo.split(";")[1]).not.toMatch(/^=/);
    expect(bravo).toContain("Bravo Ltd");
  });

  it("reads from/to in a UTC+05:30 zone and writes the rows with that offset", async () => {
    const { reportId } = await completedReport(
      tally,
      "tenantId=A&from=2024-03-01T05:30:00&to=2024-03-20T05:30:00&timezone=UTC%2B05:30",
    );
    expect(csvLines(await (await download(tally, reportId)).text())).toEqual([
      "tenantId;tenantName;vmId;vmName;protectionStart;protectionEnd",
      "A;Acme & Söhne;vm-a1;alpha-1;2024-03-01T05:30:00+05:30;2024-03-15T05:30:00+05:30",
    ]);
  });

  it("reads Local as the server's zone, DST-aware: one report with two offsets", async () => {
    const { reportId } = await completedReport(
      tally,
      "tenantId=A&from=2024-03-31T00:00:00&to=2024-03-31T04:00:00&timezone=Local",
    );
    expect(csvLines(await (await download(tally, reportId)).text())).toEqual([
      "tenantId;tenantName;vmId;vmName;protectionStart;protectionEnd",
      "A;Acme & Söhne;vm-a2;alpha-2;2024-03-31T00:00:00+01:00;2024-03-31T04:00:00+02:00",
    ]);
  });

  it.each(["UTC+25:00", "GMT+1", "UTC+5", "Europe/Paris", "utc"])(
    "rejects the zone %s with a 400 listing the accepted forms",
    async (zone) => {
      const res = await submit(
        tally,
        `tenantId=A&from=2024-03-01T00:00:00&timezone=${encodeURIComponent(zone)}`,
      );
      const problem = await expectProblem(res, 400);
      expect(problem.errors?.[0]?.field).toBe("timezone");
      expect(problem.errors?.[0]?.expected).toContain("UTC+HH:MM");
      expect(problem.errors?.[0]?.actual).toContain(zone);
    },
  );

  it("rejects malformed dates with a 400 naming the parameter", async () => {
    const problem = await expectProblem(
      await submit(tally, "tenantId=A&from=2024-13-01T00:00:00&to=yesterday"),
      400,
    );
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(["from", "to"]);
  });

  it("rejects a reversed or empty interval with a 400 naming from and to", async () => {
    const problem = await expectProblem(
      await submit(tally, "tenantId=A&from=2024-03-10T00:00:00&to=2024-03-01T00:00:00"),
      400,
    );
    const fields = (problem.errors ?? []).map((e) => e.field).join(" ");
    expect(fields).toContain("from");
    expect(problem.detail).toContain("to");
  });

  it("answers 404 for an unknown tenant", async () => {
    await expectProblem(await submit(tally, "tenantId=nope&from=2024-03-01T00:00:00"), 404);
  });

  it("answers 403 when an operator asks for another tenant or for all tenants", async () => {
    await expectProblem(await submit(tally, "tenantId=B&from=2024-03-01T00:00:00", operatorA), 403);
    await expectProblem(await submit(tally, "from=2024-03-01T00:00:00", operatorA), 403);
  });

  it("answers 406 for an Accept it cannot produce, and gives a PDF for application/pdf", async () => {
    await expectProblem(await submit(tally, "tenantId=A", admin, "application/json"), 406);
    const { reportId } = await completedReport(
      tally,
      "tenantId=A&from=2024-03-01T00:00:00&to=2024-04-01T00:00:00",
      admin,
      "application/pdf",
    );
    const res = await tally.fetch(`${base}/reports/tenants/${reportId}`, {
      headers: { authorization: admin, accept: "application/pdf" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
  });

  it("accepts text/csv and answers text/csv", async () => {
    const { reportId } = await completedReport(
      tally,
      "tenantId=A&from=2024-03-01T00:00:00",
      admin,
      "text/csv",
    );
    const res = await download(tally, reportId, { accept: "text/csv" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
  });

  it("answers 415 when Accept does not match the report's format", async () => {
    const { reportId } = await completedReport(tally, "tenantId=A&from=2024-03-01T00:00:00");
    await expectProblem(await download(tally, reportId, { accept: "application/pdf" }), 415);
  });

  it("serves byte ranges with 206 and Content-Range, 416 when unsatisfiable, 304 for a known ETag", async () => {
    const { reportId } = await completedReport(
      tally,
      "tenantId=A&from=2024-03-01T00:00:00&to=2024-04-01T00:00:00",
    );
    const whole = await download(tally, reportId);
    const bytes = Buffer.from(await whole.arrayBuffer());
    const etag = whole.headers.get("etag") as string;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const part = await download(tally, reportId, { range: "bytes=0-7" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 0-7/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(0, 8));
    const suffix = await download(tally, reportId, { range: "bytes=-10" });
    expect(suffix.status).toBe(206);
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 10));
    const outside = await download(tally, reportId, { range: `bytes=${bytes.length}-` });
    await expectProblem(outside, 416);
    expect(outside.headers.get("content-range")).toBe(`bytes */${bytes.length}`);
    const notModified = await download(tally, reportId, { "if-none-match": etag });
    expect(notModified.status).toBe(304);
  });

  it("answers 404 for an unknown report and for a report that is not a tenant report", async () => {
    await expectProblem(await download(tally, "report-unknown"), 404);
  });

  it("shows a task in XML by default and in JSON on Accept: application/json", async () => {
    const { task } = await completedReport(tally, "tenantId=A&from=2024-03-01T00:00:00");
    const path = `${base}/tasks/${task.id}`;
    const xml = await tally.fetch(path, { headers: { authorization: admin } });
    expect(xml.headers.get("content-type")).toMatch(/^application\/xml/);
    const text = await xml.text();
    expect(text).toContain(`<task id="${task.id}" created="${task.created}">`);
    expect(text).toContain("<state>Completed</state>");
    expect(text).toContain(`<result>${task.result}</result>`);
    expect(text).toContain("<progress>100</progress>");
    expect(Object.keys(task).sort()).toEqual(
      [
        "id",
        "created",
        "stateChanged",
        "changed",
        "state",
        "type",
        "stage",
        "progress",
        "result",
        "error",
      ].sort(),
    );
    await expectProblem(
      await tally.fetch(`${base}/tasks/task-none`, { headers: { authorization: admin } }),
      404,
    );
  });

  it("refuses to cancel a completed task with 409, naming the vendor's state", async () => {
    const { task } = await completedReport(tally, "tenantId=A&from=2024-03-01T00:00:00");
    const refused = await expectProblem(
      await tally.fetch(`${base}/tasks/${task.id}/cancel`, {
        method: "POST",
        headers: { authorization: admin },
      }),
      409,
    );
    expect(refused.detail).toContain("already finished (Completed)");
    expect(refused.detail).not.toContain("Succeeded");
  });

  it("lists tasks filtered by state, type and createdFrom, leaving every other task out", async () => {
    await storeTasks(tally, listingFixtureTasks);
    const listed = async (query: string) => {
      const res = await tally.fetch(`${base}/tasks?${query}`, {
        headers: { authorization: admin, accept: "application/json" },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as Array<{ id: string; state: string; type: string }>).map(
        (t) => `${t.id} ${t.state} ${t.type}`,
      );
    };
    expect(await listed("state=Completed&type=CreateTenantReport")).toEqual([
      "old-tenant-a Completed CreateTenantReport",
      "old-tenant-b Completed CreateTenantReport",
      "new-tenant-a Completed CreateTenantReport",
    ]);
    expect(await listed("state=Canceled&type=CreateLicenseOverviewReport")).toEqual([
      "new-license-b Canceled CreateLicenseOverviewReport",
    ]);
    // 2024-03-01T00:00:00 in the server's zone (Europe/Berlin): the January tasks stay out.
    expect(await listed("createdFrom=2024-03-01T00:00:00")).toEqual([
      "new-tenant-a Completed CreateTenantReport",
      "new-license-b Canceled CreateLicenseOverviewReport",
    ]);
    expect(await listed("createdFrom=2100-01-01T00:00:00")).toEqual([]);
    const xml = await tally.fetch(`${base}/tasks?state=Queued,Canceled`, {
      headers: { authorization: admin },
    });
    const text = await xml.text();
    expect(text).toMatch(/^<\?xml[^>]*>\n<tasks>/);
    expect(text).toContain("old-cancelled-a");
    expect(text).not.toContain("old-tenant-a");
    expect(text).not.toContain("new-tenant-a");
    await expectProblem(
      await tally.fetch(`${base}/tasks?state=Done`, { headers: { authorization: admin } }),
      400,
    );
  });

  it("accepts Bearer tokens as well as Basic", async () => {
    const token = await tally.fetch("/v6/Token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=password&username=${users.operatorA.username}&password=${users.operatorA.password}`,
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const res = await submit(
      tally,
      "tenantId=A&from=2024-03-01T00:00:00",
      `Bearer ${access_token}`,
    );
    expect(res.status).toBe(202);
  });

  it("answers 401 with a WWW-Authenticate challenge without credentials", async () => {
    const res = await tally.fetch(`${base}/reports/tenants?tenantId=A`, {
      method: "POST",
      headers: { accept: "application/csv" },
    });
    await expectProblem(res, 401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="tally", Basic realm="tally"');
  });
});

describe("face 1 cancellation", () => {
  let tally: TallyFixture;
  beforeEach(async () => {
    tally = await startTally({ worker: false });
  });
  afterEach(() => tally.close());

  const queue = async (): Promise<string> => {
    const res = await submit(tally, "tenantId=A&from=2024-03-01T00:00:00", operatorA);
    expect(res.status).toBe(202);
    return decodeURIComponent((res.headers.get("location") as string).split("/").pop() as string);
  };
  const cancel = (id: string, authorization = operatorA) =>
    tally.fetch(`${base}/tasks/${id}/cancel`, {
      method: "POST",
      headers: { authorization, accept: "application/json" },
    });

  it("cancels a queued task at once with 200 and Canceled", async () => {
    const id = await queue();
    const res = await cancel(id);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { state: string }).state).toBe("Canceled");
  });

  it("answers 202 Stopping for a running task, and 409 once it has finished", async () => {
    const id = await queue();
    await tally.run(
      Effect.gen(function* () {
        yield* (yield* TaskStore).claimNext((task) =>
          Result.getOrThrow(
            claimTask(task, { workerId: "test", now: Date.now(), leaseMs: 600_000 }),
          ),
        );
      }),
    );
    const res = await cancel(id);
    expect(res.status).toBe(202);
    expect(((await res.json()) as { state: string }).state).toBe("Stopping");
    const again = await cancel(id);
    expect(again.status).toBe(202);
    const finished = await queue();
    await cancel(finished);
    const refused = await expectProblem(await cancel(finished), 409);
    // The vendor's state names, not Tally's (Cancelled).
    expect(refused.detail).toContain("(Canceled)");
  });

  it("answers 404 for an unknown task and for another tenant's task", async () => {
    const id = await queue();
    await expectProblem(await cancel("task-none"), 404);
    await expectProblem(await cancel(id, operatorB), 404);
  });
});
