/**
 * The authorization matrix: every endpoint × (administrator, operator of tenant A, operator of
 * tenant B, no credentials, an expired token). Checks status codes and bodies: a tenant
 * operator never receives anything of another tenant — no names, no VMs, no organizations,
 * no ids of tasks or reports it did not name itself.
 */
import { AccountStore, runNextTask } from "@tally/core";
import { Effect, Option } from "effect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tokenHash } from "../src/index.ts";
import { pollTask } from "./support/Http.ts";
import { basic, startTally, type TallyFixture, users } from "./support/TallyFixture.ts";

type Caller = "admin" | "operatorA" | "operatorB" | "anonymous" | "expired";
const callers: ReadonlyArray<Caller> = ["admin", "operatorA", "operatorB", "anonymous", "expired"];

interface Ids {
  readonly taskA: string;
  readonly taskB: string;
  readonly taskAll: string;
  readonly reportA: string;
  readonly reportB: string;
  readonly reportAll: string;
  readonly reportAToDelete: string;
}

interface Case {
  readonly name: string;
  readonly request: (ids: Ids) => { path: string; init?: RequestInit };
  /** Status per authenticated caller; anonymous and expired callers get 401 unless public. */
  readonly expect: Readonly<Record<"admin" | "operatorA" | "operatorB", number>>;
  readonly public?: boolean;
}

const jsonBody = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const f1 = "/api/2.0/virtualization";
const licenseBody = {
  startTime: "2022-01-01T00:00:00Z",
  endTime: "2022-03-01T00:00:00Z",
  format: "CSV",
};

const cases: ReadonlyArray<Case> = [
  {
    name: "face 1: report on tenant A",
    request: () => ({
      path: `${f1}/reports/tenants?tenantId=A&from=2024-03-01T00:00:00`,
      init: { method: "POST", headers: { accept: "application/csv" } },
    }),
    expect: { admin: 202, operatorA: 202, operatorB: 403 },
  },
  {
    name: "face 1: report on all tenants",
    request: () => ({
      path: `${f1}/reports/tenants?from=2024-03-01T00:00:00`,
      init: { method: "POST", headers: { accept: "application/csv" } },
    }),
    expect: { admin: 202, operatorA: 403, operatorB: 403 },
  },
  {
    name: "face 1: tenant A's task",
    request: (ids) => ({ path: `${f1}/tasks/${ids.taskA}` }),
    expect: { admin: 200, operatorA: 200, operatorB: 404 },
  },
  {
    name: "face 1: an all-tenants task",
    request: (ids) => ({ path: `${f1}/tasks/${ids.taskAll}` }),
    expect: { admin: 200, operatorA: 404, operatorB: 404 },
  },
  {
    name: "face 1: task list",
    request: () => ({ path: `${f1}/tasks`, init: { headers: { accept: "application/json" } } }),
    expect: { admin: 200, operatorA: 200, operatorB: 200 },
  },
  {
    name: "face 1: cancel tenant A's finished task",
    request: (ids) => ({ path: `${f1}/tasks/${ids.taskA}/cancel`, init: { method: "POST" } }),
    expect: { admin: 409, operatorA: 409, operatorB: 404 },
  },
  {
    name: "face 1: tenant A's report",
    request: (ids) => ({
      path: `${f1}/reports/tenants/${ids.reportA}`,
      init: { headers: { accept: "application/csv" } },
    }),
    expect: { admin: 200, operatorA: 200, operatorB: 404 },
  },
  {
    name: "face 1: the all-tenants report",
    request: (ids) => ({
      path: `${f1}/reports/tenants/${ids.reportAll}`,
      init: { headers: { accept: "application/csv" } },
    }),
    expect: { admin: 200, operatorA: 404, operatorB: 404 },
  },
  {
    name: "face 2: license overview",
    request: () => ({
      path: "/v6/Reports/GenerateLicenseOverview",
      init: jsonBody("POST", licenseBody),
    }),
    expect: { admin: 200, operatorA: 200, operatorB: 200 },
  },
  {
    name: "native: report on tenant A",
    request: () => ({
      path: "/v1/reports",
      init: jsonBody("POST", { type: "tenant-protection", tenantId: "A", format: "csv" }),
    }),
    expect: { admin: 202, operatorA: 202, operatorB: 403 },
  },
  {
    name: "native: report on all tenants",
    request: () => ({
      path: "/v1/reports",
      init: jsonBody("POST", { type: "tenant-protection", format: "csv" }),
    }),
    expect: { admin: 202, operatorA: 403, operatorB: 403 },
  },
  {
    name: "native: license overview of org-a",
    request: () => ({
      path: "/v1/reports",
      init: jsonBody("POST", {
        type: "license-overview",
        organizationId: "org-a",
        start: "2022-01-01T00:00:00Z",
        end: "2022-03-01T00:00:00Z",
        format: "csv",
      }),
    }),
    expect: { admin: 202, operatorA: 202, operatorB: 403 },
  },
  {
    name: "native: license overview of a missing organization",
    request: () => ({
      path: "/v1/reports",
      init: jsonBody("POST", {
        type: "license-overview",
        organizationId: "org-none",
        start: "2022-01-01T00:00:00Z",
        end: "2022-03-01T00:00:00Z",
        format: "csv",
      }),
    }),
    expect: { admin: 404, operatorA: 403, operatorB: 403 },
  },
  {
    name: "native: tenant A's task",
    request: (ids) => ({ path: `/v1/tasks/${ids.taskA}` }),
    expect: { admin: 200, operatorA: 200, operatorB: 404 },
  },
  {
    name: "native: tenant B's task",
    request: (ids) => ({ path: `/v1/tasks/${ids.taskB}` }),
    expect: { admin: 200, operatorA: 404, operatorB: 200 },
  },
  {
    name: "native: task list",
    request: () => ({ path: "/v1/tasks?limit=50" }),
    expect: { admin: 200, operatorA: 200, operatorB: 200 },
  },
  {
    name: "native: task list of tenant B",
    request: () => ({ path: "/v1/tasks?tenantId=B" }),
    expect: { admin: 200, operatorA: 403, operatorB: 200 },
  },
  {
    name: "native: cancel tenant A's finished task",
    request: (ids) => ({ path: `/v1/tasks/${ids.taskA}/cancel`, init: { method: "POST" } }),
    expect: { admin: 409, operatorA: 409, operatorB: 404 },
  },
  {
    name: "native: report list",
    request: () => ({ path: "/v1/reports?limit=50" }),
    expect: { admin: 200, operatorA: 200, operatorB: 200 },
  },
  {
    name: "native: tenant A's report metadata",
    request: (ids) => ({ path: `/v1/reports/${ids.reportA}` }),
    expect: { admin: 200, operatorA: 200, operatorB: 404 },
  },
  {
    name: "native: the all-tenants report metadata",
    request: (ids) => ({ path: `/v1/reports/${ids.reportAll}` }),
    expect: { admin: 200, operatorA: 404, operatorB: 404 },
  },
  {
    name: "native: tenant B's report content",
    request: (ids) => ({ path: `/v1/reports/${ids.reportB}/content` }),
    expect: { admin: 200, operatorA: 404, operatorB: 200 },
  },
  {
    name: "native: delete tenant A's report (operator B first, then A)",
    request: (ids) => ({ path: `/v1/reports/${ids.reportAToDelete}`, init: { method: "DELETE" } }),
    expect: { admin: 404, operatorA: 204, operatorB: 404 },
  },
  {
    name: "native: put a tenant",
    request: () => ({ path: "/v1/tenants/M", init: jsonBody("PUT", { name: "Matrix" }) }),
    expect: { admin: 200, operatorA: 403, operatorB: 403 },
  },
  {
    name: "native: bulk VMs",
    request: () => ({
      path: "/v1/vms",
      init: jsonBody("POST", [{ id: "vm-m", name: "m", tenantId: "A" }]),
    }),
    expect: { admin: 200, operatorA: 403, operatorB: 403 },
  },
  {
    name: "native: bulk protection periods",
    request: () => ({ path: "/v1/protection-periods", init: jsonBody("POST", []) }),
    expect: { admin: 200, operatorA: 403, operatorB: 403 },
  },
  {
    name: "native: bulk organizations",
    request: () => ({ path: "/v1/organizations", init: jsonBody("POST", []) }),
    expect: { admin: 200, operatorA: 403, operatorB: 403 },
  },
  {
    name: "native: bulk users",
    request: () => ({ path: "/v1/users", init: jsonBody("POST", []) }),
    expect: { admin: 200, operatorA: 403, operatorB: 403 },
  },
  {
    name: "native: bulk license events",
    request: () => ({ path: "/v1/license-events", init: jsonBody("POST", []) }),
    expect: { admin: 200, operatorA: 403, operatorB: 403 },
  },
  {
    name: "public: health",
    request: () => ({ path: "/v1/health" }),
    expect: { admin: 200, operatorA: 200, operatorB: 200 },
    public: true,
  },
  {
    name: "public: readiness",
    request: () => ({ path: "/v1/ready" }),
    expect: { admin: 200, operatorA: 200, operatorB: 200 },
    public: true,
  },
  {
    name: "public: OpenAPI document",
    request: () => ({ path: "/openapi.json" }),
    expect: { admin: 200, operatorA: 200, operatorB: 200 },
    public: true,
  },
  {
    name: "public: reference page",
    request: () => ({ path: "/docs" }),
    expect: { admin: 200, operatorA: 200, operatorB: 200 },
    public: true,
  },
];

/** What belongs to a tenant and must never reach the other tenant's operator. */
const markersOfA = ["Acme", "alpha-", "vm-a1", "vm-a2", "org-a", "u-a1", "anna@"];
const markersOfB = ["Bravo", "bravo-", "vm-b1", "org-b", "u-b1", "bob@"];

describe("authorization matrix", () => {
  let tally: TallyFixture;
  let ids: Ids;
  const authorization: Record<Caller, string | undefined> = {
    admin: basic(users.admin),
    operatorA: basic(users.operatorA),
    operatorB: basic(users.operatorB),
    anonymous: undefined,
    expired: "Bearer expired-token-secret",
  };

  beforeEach(async () => {
    tally = await startTally();
    await tally.run(
      Effect.gen(function* () {
        yield* (yield* AccountStore).putToken({
          tokenHash: tokenHash("expired-token-secret"),
          kind: "access",
          username: users.admin.username,
          expiresAt: Date.now() - 1000,
        });
      }),
    );
    const submit = async (body: Record<string, unknown>) => {
      const res = await tally.fetch("/v1/reports", {
        method: "POST",
        headers: {
          authorization: authorization.admin as string,
          "content-type": "application/json",
        },
        body: JSON.stringify({
          type: "tenant-protection",
          format: "csv",
          start: "2024-03-01T00:00:00Z",
          end: "2024-04-01T00:00:00Z",
          ...body,
        }),
      });
      return res.headers.get("location") as string;
    };
    const locations: Array<string> = [];
    for (const body of [
      { tenantId: "A" },
      { tenantId: "B" },
      {},
      { tenantId: "A", separator: "," },
    ]) {
      locations.push(await submit(body));
    }
    // Rendered here, one after the other, rather than by polling the fixture's idle worker.
    await tally.run(Effect.repeat(runNextTask("matrix-setup"), { while: Option.isSome }));
    const [a, b, all, a2] = await Promise.all(
      locations.map(async (location) => {
        const task = await pollTask(
          tally,
          location,
          authorization.admin as string,
          (t) => t.state === "Succeeded",
        );
        return { task: task.id as string, report: task.reportId as string };
      }),
    );
    if (a === undefined || b === undefined || all === undefined || a2 === undefined) {
      throw new Error("four reports were submitted");
    }
    ids = {
      taskA: a.task,
      taskB: b.task,
      taskAll: all.task,
      reportA: a.report,
      reportB: b.report,
      reportAll: all.report,
      reportAToDelete: a2.report,
    };
  });
  afterEach(() => tally.close());

  for (const testCase of cases) {
    it(testCase.name, async () => {
      const order: ReadonlyArray<Caller> = testCase.name.startsWith("native: delete")
        ? ["operatorB", "anonymous", "expired", "operatorA", "admin"]
        : callers;
      for (const caller of order) {
        const { path, init } = testCase.request(ids);
        const headers = new Headers(init?.headers);
        const credentials = authorization[caller];
        if (credentials !== undefined) headers.set("authorization", credentials);
        const res = await tally.fetch(path, { ...init, headers });
        const body = await res.text();
        const expected =
          caller === "anonymous" || caller === "expired"
            ? testCase.public === true
              ? 200
              : 401
            : testCase.expect[caller];
        expect(res.status, `${caller}: ${body}`).toBe(expected);
        if (expected === 401) {
          expect(res.headers.get("www-authenticate")).toBe(
            'Bearer realm="tally", Basic realm="tally"',
          );
        }
        if (testCase.public === true) continue;
        const foreign =
          caller === "operatorA"
            ? [...markersOfB, ids.taskB, ids.taskAll, ids.reportB, ids.reportAll]
            : caller === "operatorB"
              ? [
                  ...markersOfA,
                  ids.taskA,
                  ids.taskAll,
                  ids.reportA,
                  ids.reportAll,
                  ids.reportAToDelete,
                ]
              : caller === "admin"
                ? []
                : [...markersOfA, ...markersOfB];
        for (const marker of foreign) {
          if (path.includes(marker)) continue;
          expect(body, `${caller} received ${marker}`).not.toContain(marker);
        }
      }
    });
  }

  it("lists exactly the tasks of the operator's own tenant", async () => {
    const list = async (caller: Caller) =>
      (
        (await (
          await tally.fetch("/v1/tasks?limit=200", {
            headers: { authorization: authorization[caller] as string },
          })
        ).json()) as {
          items: Array<{
            id: string;
            request: { tenantId: string | null; organizationId?: string | null };
          }>;
        }
      ).items;
    const everything = await list("admin");
    const ofA = await list("operatorA");
    expect(ofA.length).toBeGreaterThan(0);
    expect(
      ofA.filter((t) => t.request.tenantId !== "A" && t.request.organizationId !== "org-a"),
    ).toEqual([]);
    expect(ofA.map((t) => t.id)).toContain(ids.taskA);
    expect(ofA.map((t) => t.id)).not.toContain(ids.taskB);
    expect(ofA.map((t) => t.id)).not.toContain(ids.taskAll);
    expect(everything.length).toBeGreaterThan(ofA.length);
  });
});
