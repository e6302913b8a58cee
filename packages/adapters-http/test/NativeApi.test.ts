/**
 * The native `/v1` API over real HTTP: reports, tasks, ingestion, service endpoints, and the
 * error behaviour every endpoint shares (problem details, 404/405/413/415).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectProblem, pollTask } from "./support/Http.ts";
import { listingFixtureTasks, storeTasks } from "./support/StoredTasks.ts";
import { basic, startTally, type TallyFixture, users } from "./support/TallyFixture.ts";

const admin = basic(users.admin);
const operatorA = basic(users.operatorA);
const json = (authorization: string, body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { authorization, "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

const tenantReport = {
  type: "tenant-protection",
  start: "2024-03-01T00:00:00Z",
  end: "2024-04-01T00:00:00+02:00",
  tenantId: "A",
  format: "csv",
};

describe("native API", () => {
  let tally: TallyFixture;
  beforeEach(async () => {
    tally = await startTally({
      http: { maxBodyBytes: 4096, maxCsvBodyBytes: 8192, maxPageSize: 50 },
    });
  });
  afterEach(() => tally.close());

  const finishedReport = async (body: unknown = tenantReport, authorization = admin) => {
    const res = await tally.fetch("/v1/reports", json(authorization, body));
    expect(res.status).toBe(202);
    const task = await pollTask(tally, res.headers.get("location") as string, authorization, (t) =>
      ["Succeeded", "Failed", "Cancelled"].includes(t.state as string),
    );
    expect(task.state).toBe("Succeeded");
    return task.reportId as string;
  };

  describe("reports", () => {
    it("queues a report with 202, Location of the task and Retry-After", async () => {
      const res = await tally.fetch("/v1/reports", json(admin, tenantReport));
      expect(res.status).toBe(202);
      expect(res.headers.get("retry-after")).toBe("1");
      const task = (await res.json()) as Record<string, unknown>;
      expect(res.headers.get("location")).toBe(`/v1/tasks/${task.id}`);
      expect(task.type).toBe("CreateTenantReport");
      expect(task.request).toMatchObject({
        type: "tenant-protection",
        tenantId: "A",
        timezone: "UTC",
        format: "csv",
        start: "2024-03-01T00:00:00.000Z",
        end: "2024-03-31T22:00:00.000Z",
      });
    });

    it("replays the same task for the same Idempotency-Key and request, 409 for another request", async () => {
      const key = { "idempotency-key": "key-1" };
      const first = await tally.fetch("/v1/reports", json(admin, tenantReport, key));
      const second = await tally.fetch("/v1/reports", json(admin, tenantReport, key));
      expect(first.status).toBe(202);
      expect(second.status).toBe(202);
      expect(second.headers.get("idempotent-replayed")).toBe("true");
      expect(((await second.json()) as { id: string }).id).toBe(
        ((await first.json()) as { id: string }).id,
      );
      await expectProblem(
        await tally.fetch("/v1/reports", json(admin, { ...tenantReport, format: "pdf" }, key)),
        409,
      );
    });

    it("rejects a timestamp without an offset, a bad zone and an unknown field, naming each", async () => {
      const problem = await expectProblem(
        await tally.fetch(
          "/v1/reports",
          json(admin, {
            ...tenantReport,
            start: "2024-03-01T00:00:00",
            timezone: "UTC+25:00",
            colour: "red",
          }),
        ),
        400,
      );
      expect(problem.errors?.map((e) => e.field).sort()).toEqual(["colour", "start", "timezone"]);
    });

    it("validates per report type: a license overview needs both bounds", async () => {
      const problem = await expectProblem(
        await tally.fetch(
          "/v1/reports",
          json(admin, { type: "license-overview", format: "csv", start: "2022-01-01T00:00:00Z" }),
        ),
        400,
      );
      expect(problem.errors?.map((e) => e.field)).toContain("end");
    });

    it("gives metadata, content with ETag, Content-Disposition, 304, 206 and 416", async () => {
      const reportId = await finishedReport();
      const meta = (await (
        await tally.fetch(`/v1/reports/${reportId}`, { headers: { authorization: admin } })
      ).json()) as Record<string, unknown>;
      expect(meta).toMatchObject({ id: reportId, format: "csv", type: "CreateTenantReport" });
      expect(meta.sha256).toMatch(/^[0-9a-f]{64}$/);
      const content = await tally.fetch(`/v1/reports/${reportId}/content`, {
        headers: { authorization: admin },
      });
      expect(content.status).toBe(200);
      expect(content.headers.get("etag")).toBe(`"${meta.sha256}"`);
      expect(content.headers.get("content-disposition")).toBe(
        `attachment; filename="${meta.fileName}"`,
      );
      expect(content.headers.get("accept-ranges")).toBe("bytes");
      const bytes = Buffer.from(await content.arrayBuffer());
      expect(bytes.length).toBe(meta.byteSize);
      const cached = await tally.fetch(`/v1/reports/${reportId}/content`, {
        headers: { authorization: admin, "if-none-match": `"${meta.sha256}"` },
      });
      expect(cached.status).toBe(304);
      const part = await tally.fetch(`/v1/reports/${reportId}/content`, {
        headers: { authorization: admin, range: "bytes=5-" },
      });
      expect(part.status).toBe(206);
      expect(part.headers.get("content-range")).toBe(`bytes 5-${bytes.length - 1}/${bytes.length}`);
      expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(5));
      const staleIfRange = await tally.fetch(`/v1/reports/${reportId}/content`, {
        headers: { authorization: admin, range: "bytes=5-", "if-range": '"other"' },
      });
      expect(staleIfRange.status).toBe(200);
      await staleIfRange.arrayBuffer();
      await expectProblem(
        await tally.fetch(`/v1/reports/${reportId}/content`, {
          headers: { authorization: admin, range: "bytes=999999-" },
        }),
        416,
      );
      await expectProblem(
        await tally.fetch(`/v1/reports/${reportId}/content`, {
          headers: { authorization: admin, accept: "application/pdf" },
        }),
        406,
      );
    });

    it("lists reports with keyset pagination and deletes one (204, then 404)", async () => {
      await finishedReport();
      await finishedReport();
      const page1 = await tally.fetch("/v1/reports?limit=1", { headers: { authorization: admin } });
      const body1 = (await page1.json()) as { items: Array<{ id: string }>; nextCursor: string };
      expect(body1.items).toHaveLength(1);
      expect(page1.headers.get("link")).toContain('rel="next"');
      const page2 = (await (
        await tally.fetch(`/v1/reports?limit=1&cursor=${body1.nextCursor}`, {
          headers: { authorization: admin },
        })
      ).json()) as { items: Array<{ id: string }> };
      expect(page2.items[0]?.id).not.toBe(body1.items[0]?.id);
      const id = body1.items[0]?.id as string;
      const deleted = await tally.fetch(`/v1/reports/${id}`, {
        method: "DELETE",
        headers: { authorization: admin },
      });
      expect(deleted.status).toBe(204);
      await expectProblem(
        await tally.fetch(`/v1/reports/${id}`, { headers: { authorization: admin } }),
        404,
      );
      await expectProblem(
        await tally.fetch(`/v1/reports/${id}`, {
          method: "DELETE",
          headers: { authorization: admin },
        }),
        404,
      );
    });

    it("lists the reports of one tenant with tenantId, leaving the others' out", async () => {
      const ofA = await finishedReport();
      const ofB = await finishedReport({ ...tenantReport, tenantId: "B" });
      const ofAll = await finishedReport({ ...tenantReport, tenantId: undefined });
      const listed = async (query: string) =>
        (
          (await (
            await tally.fetch(`/v1/reports?limit=50${query}`, { headers: { authorization: admin } })
          ).json()) as { items: Array<{ id: string }> }
        ).items.map((r) => r.id);
      expect(new Set(await listed(""))).toEqual(new Set([ofA, ofB, ofAll]));
      expect(await listed("&tenantId=A")).toEqual([ofA]);
      expect(await listed("&tenantId=B")).toEqual([ofB]);
    });
  });

  describe("tasks", () => {
    it("gets, lists with filters and pages through tasks with an opaque cursor", async () => {
      // Seven tasks: pages of two take four pages, the cursor carried three times.
      await storeTasks(tally, listingFixtureTasks);
      await finishedReport();
      const all = (await (
        await tally.fetch("/v1/tasks?limit=50", { headers: { authorization: admin } })
      ).json()) as { items: Array<{ id: string }> };
      const seen: Array<string> = [];
      let cursor: string | null = null;
      do {
        const url: string = `/v1/tasks?limit=2${cursor === null ? "" : `&cursor=${cursor}`}`;
        const page = (await (
          await tally.fetch(url, { headers: { authorization: admin } })
        ).json()) as { items: Array<{ id: string }>; nextCursor: string | null };
        seen.push(...page.items.map((t) => t.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen).toHaveLength(7);
      expect(seen).toEqual(all.items.map((t) => t.id));
      const succeeded = (await (
        await tally.fetch("/v1/tasks?state=Succeeded&type=CreateTenantReport", {
          headers: { authorization: admin },
        })
      ).json()) as { items: Array<{ state: string }> };
      expect(succeeded.items.length).toBeGreaterThan(0);
      expect(new Set(succeeded.items.map((t) => t.state))).toEqual(new Set(["Succeeded"]));
      const first = all.items[0] as { id: string };
      const one = await tally.fetch(`/v1/tasks/${first.id}`, { headers: { authorization: admin } });
      expect(((await one.json()) as { id: string }).id).toBe(first.id);
    });

    it("filters by state, type, tenant and creation time, leaving every other task out", async () => {
      await storeTasks(tally, listingFixtureTasks);
      const listed = async (query: string) =>
        (
          (await (
            await tally.fetch(`/v1/tasks?limit=50&${query}`, { headers: { authorization: admin } })
          ).json()) as { items: Array<{ id: string }> }
        ).items.map((t) => t.id);
      expect(await listed("state=Succeeded&type=CreateTenantReport")).toEqual([
        "old-tenant-a",
        "old-tenant-b",
        "new-tenant-a",
      ]);
      expect(await listed("state=Cancelled")).toEqual(["old-cancelled-a", "new-license-b"]);
      expect(await listed("state=Succeeded,Cancelled&type=CreateLicenseOverviewReport")).toEqual([
        "old-license-all",
        "new-license-b",
      ]);
      expect(await listed("tenantId=B")).toEqual(["old-tenant-b", "new-license-b"]);
      expect(await listed("createdFrom=2024-03-01T00:00:00Z")).toEqual([
        "new-tenant-a",
        "new-license-b",
      ]);
      expect(await listed("state=Succeeded&tenantId=A&createdFrom=2024-01-10T00:00:01Z")).toEqual([
        "new-tenant-a",
      ]);
    });

    it("rejects a forged cursor, a bad limit and an unknown state", async () => {
      for (const query of [
        "cursor=abc",
        "cursor=not%20base64!",
        "limit=0",
        "limit=51",
        "limit=x",
        "state=Done",
        "createdFrom=yesterday",
      ]) {
        const problem = await expectProblem(
          await tally.fetch(`/v1/tasks?${query}`, { headers: { authorization: admin } }),
          400,
        );
        expect(problem.errors?.length).toBeGreaterThan(0);
      }
    });

    it("cancels: 409 for a finished task, 404 for an unknown one", async () => {
      const reportId = await finishedReport();
      const meta = (await (
        await tally.fetch(`/v1/reports/${reportId}`, { headers: { authorization: admin } })
      ).json()) as { taskId: string };
      await expectProblem(
        await tally.fetch(`/v1/tasks/${meta.taskId}/cancel`, {
          method: "POST",
          headers: { authorization: admin },
        }),
        409,
      );
      await expectProblem(
        await tally.fetch("/v1/tasks/task-none/cancel", {
          method: "POST",
          headers: { authorization: admin },
        }),
        404,
      );
    });
  });

  describe("ingestion", () => {
    it("puts one fact and returns it as stored", async () => {
      const res = await tally.fetch("/v1/tenants/C", {
        method: "PUT",
        headers: { authorization: admin, "content-type": "application/json" },
        body: JSON.stringify({ name: "Charlie" }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: "C", name: "Charlie" });
      const period = await tally.fetch("/v1/vms/vm-c1", {
        method: "PUT",
        headers: { authorization: admin, "content-type": "application/json" },
        body: JSON.stringify({ id: "vm-c1", name: "c", tenantId: "C" }),
      });
      expect(period.status).toBe(200);
      const mismatch = await expectProblem(
        await tally.fetch("/v1/tenants/C", {
          method: "PUT",
          headers: { authorization: admin, "content-type": "application/json" },
          body: JSON.stringify({ id: "D", name: "x" }),
        }),
        400,
      );
      expect(mismatch.errors?.[0]?.field).toBe("id");
    });

    it("ingests a JSON array and names the bad items", async () => {
      const ok = await tally.fetch(
        "/v1/protection-periods",
        json(admin, [
          { id: "pc1", vmId: "vm-a1", start: "2024-05-01T00:00:00Z", end: null },
          {
            id: "pc2",
            vmId: "vm-a1",
            start: "2024-05-02T00:00:00+02:00",
            end: "2024-05-03T00:00:00Z",
          },
        ]),
      );
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ ingested: 2 });
      const bad = await expectProblem(
        await tally.fetch(
          "/v1/protection-periods",
          json(admin, [
            { id: "pc3", vmId: "vm-a1", start: "2024-05-01T00:00:00Z" },
            { id: "pc4", vmId: "vm-a1", start: "May 1st" },
          ]),
        ),
        400,
      );
      expect(bad.errors?.map((e) => e.field)).toEqual(["items[1].start"]);
      const unknownVm = await expectProblem(
        await tally.fetch(
          "/v1/protection-periods",
          json(admin, [{ id: "pc5", vmId: "vm-none", start: "2024-05-01T00:00:00Z" }]),
        ),
        400,
      );
      expect(unknownVm.errors?.[0]?.field).toBe("items[0].vmId");
      await expectProblem(
        await tally.fetch("/v1/protection-periods", json(admin, { id: "x" })),
        400,
      );
    });

    it("ingests CSV, and names the row and column of each problem", async () => {
      const csv = "id;name;capacity;tenantId\norg-c;Charlie Org;3;C\norg-d;Delta;7;\n";
      const ok = await tally.fetch("/v1/organizations", {
        method: "POST",
        headers: { authorization: admin, "content-type": "text/csv" },
        body: csv,
      });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ ingested: 2 });
      const bad = await expectProblem(
        await tally.fetch("/v1/organizations", {
          method: "POST",
          headers: { authorization: admin, "content-type": "text/csv; charset=utf-8" },
          body: "id,name,capacity\norg-e,E,-1\norg-f,F,2,extra\n",
        }),
        400,
      );
      expect(bad.errors?.map((e) => e.field)).toEqual(["row 2, column capacity", "row 3"]);
      const header = await expectProblem(
        await tally.fetch("/v1/organizations", {
          method: "POST",
          headers: { authorization: admin, "content-type": "text/csv" },
          body: "id,nom,capacity\n",
        }),
        400,
      );
      expect(header.errors?.map((e) => e.field)).toEqual([
        "row 1, column nom",
        "row 1, column name",
      ]);
      const reference = await expectProblem(
        await tally.fetch("/v1/users", {
          method: "POST",
          headers: { authorization: admin, "content-type": "text/csv" },
          body: "id,name,organizationId\nu-c1,c@c.test,org-c\nu-x,x@x.test,org-none\n",
        }),
        400,
      );
      expect(reference.errors?.[0]?.field).toBe("row 3, column organizationId");
      const quotes = await expectProblem(
        await tally.fetch("/v1/tenants", {
          method: "POST",
          headers: { authorization: admin, "content-type": "text/csv" },
          body: 'id,name\n"E,"unterminated\n',
        }),
        400,
      );
      expect(quotes.errors?.[0]?.field).toMatch(/^row \d+/);
    });

    it("ingests license events and reports an unknown user without pretending to know the row", async () => {
      const ok = await tally.fetch("/v1/license-events", {
        method: "POST",
        headers: { authorization: admin, "content-type": "text/csv" },
        body: "id,userId,kind,at\nev-1,u-a1,revoked,2022-06-01T00:00:00Z\n",
      });
      expect(await ok.json()).toEqual({ ingested: 1 });
      const unknown = await expectProblem(
        await tally.fetch("/v1/license-events", {
          method: "POST",
          headers: { authorization: admin, "content-type": "text/csv" },
          body: "id,userId,kind,at\nev-2,u-none,assigned,2022-06-01T00:00:00Z\n",
        }),
        400,
      );
      expect(unknown.errors?.[0]?.field).toBe("column userId");
      const kind = await expectProblem(
        await tally.fetch(
          "/v1/license-events",
          json(admin, [{ id: "ev-3", userId: "u-a1", kind: "lost", at: "2022-06-01T00:00:00Z" }]),
        ),
        400,
      );
      expect(kind.errors?.[0]?.field).toBe("items[0].kind");
    });

    it("answers 415 for another content type, 413 for an oversized body, 403 for operators", async () => {
      await expectProblem(
        await tally.fetch("/v1/tenants", {
          method: "POST",
          headers: { authorization: admin, "content-type": "application/xml" },
          body: "<x/>",
        }),
        415,
      );
      await expectProblem(
        await tally.fetch("/v1/tenants", json(admin, [{ id: "big", name: "x".repeat(5000) }])),
        413,
      );
      await expectProblem(
        await tally.fetch("/v1/tenants", {
          method: "POST",
          headers: { authorization: admin, "content-type": "text/csv" },
          body: `id,name\n${"a,b\n".repeat(3000)}`,
        }),
        413,
      );
      await expectProblem(
        await tally.fetch("/v1/tenants", json(operatorA, [{ id: "Z", name: "z" }])),
        403,
      );
      await expectProblem(
        await tally.fetch("/v1/tenants/A", {
          method: "PUT",
          headers: { authorization: operatorA, "content-type": "application/json" },
          body: "{}",
        }),
        403,
      );
    });

    it("rejects a body that is not UTF-8 and an empty JSON body", async () => {
      const latin1 = await expectProblem(
        await tally.fetch("/v1/tenants", {
          method: "POST",
          headers: { authorization: admin, "content-type": "text/csv" },
          body: new Uint8Array([0x69, 0x64, 0x0a, 0xff, 0xfe]),
        }),
        400,
      );
      expect(latin1.errors?.[0]?.expected).toBe("UTF-8 text");
      await expectProblem(
        await tally.fetch("/v1/reports", {
          method: "POST",
          headers: { authorization: admin, "content-type": "application/json" },
        }),
        400,
      );
    });
  });

  describe("service endpoints and routing", () => {
    it("answers health and readiness without credentials", async () => {
      expect((await tally.fetch("/v1/health")).status).toBe(200);
      const ready = await tally.fetch("/v1/ready");
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: "ready" });
    });

    it("answers unknown routes with 404, other methods with 405 and Allow, OPTIONS with Allow", async () => {
      const missing = await expectProblem(
        await tally.fetch("/v1/nothing", { headers: { authorization: admin } }),
        404,
      );
      expect(missing.type).toBe("/docs#problem-route-not-found");
      const wrong = await tally.fetch("/v1/reports", {
        method: "PATCH",
        headers: { authorization: admin },
      });
      await expectProblem(wrong, 405);
      expect(wrong.headers.get("allow")).toBe("POST, GET, HEAD, OPTIONS");
      const options = await tally.fetch("/v1/reports/x", { method: "OPTIONS" });
      expect(options.status).toBe(204);
      expect(options.headers.get("allow")).toBe("GET, DELETE, HEAD, OPTIONS");
      await expectProblem(
        await tally.fetch("/v1/tasks/%E0%A4%A", { headers: { authorization: admin } }),
        400,
      );
    });

    it("answers HEAD like GET without a body", async () => {
      const res = await tally.fetch("/v1/health", { method: "HEAD" });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("");
    });
  });
});
