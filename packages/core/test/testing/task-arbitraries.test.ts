import { Schema } from "effect";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ReportMeta } from "../../src/domain/Report.ts";
import { ReportTask, TaskState } from "../../src/domain/ReportTask.ts";
import { isTerminal } from "../../src/domain/TaskLifecycle.ts";
import {
  reportMetaArbitrary,
  reportTaskArbitrary,
  taskStateArbitrary,
} from "../../src/testing/TaskArbitraries.ts";

/** Well-formed Unicode without U+0000, as every store can keep it. */
const isStorableText = (text: string): boolean => !/\p{Cs}/u.test(text) && !text.includes("\u0000");

describe("reportTaskArbitrary", () => {
  it("generates tasks the ReportTask schema accepts, consistent with the lifecycle", () => {
    fc.assert(
      fc.property(reportTaskArbitrary(), (task) => {
        expect(() => Schema.asserts(ReportTask, task)).not.toThrow();
        expect(task.lease !== null).toBe(task.state._tag === "Running");
        expect(task.finishedAt !== null).toBe(isTerminal(task.state));
        expect(task.attempts).toBeLessThanOrEqual(task.maxAttempts);
        expect(task.maxAttempts).toBeGreaterThanOrEqual(1);
        if (task.state._tag === "Queued") {
          expect(task.attempts).toBeLessThan(task.maxAttempts);
          expect(task.progress).toBe(0);
          expect(task.cancelRequested).toBe(false);
        }
        if (task.state._tag === "Succeeded") expect(task.progress).toBe(100);
        if (task.state._tag === "Cancelled") expect(task.cancelRequested).toBe(true);
        expect(task.createdAt).toBeLessThanOrEqual(task.startedAt ?? task.createdAt);
        expect(task.stateChangedAt).toBeLessThanOrEqual(task.changedAt);
        expect(task.createdAt).toBeLessThanOrEqual(task.stateChangedAt);
        expect(task.type === "CreateTenantReport").toBe(task.request._tag === "TenantReport");
        if (task.principal.role === "TenantOperator") {
          expect(task.principal.tenantId).toBe(task.tenantScope);
        } else expect(task.principal.tenantId).toBeNull();
        for (const text of [task.id, task.principal.id, task.idempotencyKey ?? ""]) {
          expect(isStorableText(text), JSON.stringify(text)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("honours its constraints: states, creation bounds, maxAttempts, tenant scopes", () => {
    const constraints = {
      states: ["Running", "Failed"] as const,
      minCreatedAt: 1_000,
      maxCreatedAt: 2_000,
      maxAttempts: 2,
      tenantScopes: ["tenant-x", null],
    };
    fc.assert(
      fc.property(reportTaskArbitrary(constraints), (task) => {
        expect(["Running", "Failed"]).toContain(task.state._tag);
        expect(task.createdAt).toBeGreaterThanOrEqual(1_000);
        expect(task.createdAt).toBeLessThanOrEqual(2_000);
        expect(task.maxAttempts).toBeLessThanOrEqual(2);
        expect(["tenant-x", null]).toContain(task.tenantScope);
      }),
      { numRuns: 200 },
    );
  });
});

describe("taskStateArbitrary", () => {
  it("generates states the TaskState schema accepts, only of the states asked for", () => {
    fc.assert(
      fc.property(taskStateArbitrary({ states: ["Succeeded", "Cancelled"] }), (state) => {
        expect(() => Schema.asserts(TaskState, state)).not.toThrow();
        expect(["Succeeded", "Cancelled"]).toContain(state._tag);
      }),
    );
  });
});

describe("reportMetaArbitrary", () => {
  it("generates metadata the ReportMeta schema accepts, its fields agreeing with the request", () => {
    fc.assert(
      fc.property(reportMetaArbitrary(), (meta) => {
        expect(() => Schema.asserts(ReportMeta, meta)).not.toThrow();
        expect(meta.format).toBe(meta.request.format);
        expect(meta.fileName.slice(-meta.format.length - 1)).toBe(`.${meta.format}`);
        expect(meta.expiresAt).toBeGreaterThan(meta.createdAt);
        expect(meta.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(isStorableText(meta.fileName), JSON.stringify(meta.fileName)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
