import type { ReportTask, TaskState } from "@tally/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeXml, toVendorTask, vendorTaskXml } from "../../src/server/vendor/VendorTask.ts";
import {
  tallyStatesOf,
  vendorState,
  vendorStateMap,
} from "../../src/server/vendor/VendorTaskState.ts";

const task = (state: TaskState, cancelRequested = false): ReportTask => ({
  id: "task-1",
  type: "CreateTenantReport",
  request: {
    _tag: "TenantReport",
    interval: { start: 0, end: 1000 },
    zone: { spec: "UTC", resolved: { _tag: "Fixed", offsetMinutes: 0 } },
    tenant: { _tag: "AllTenants" },
    format: "csv",
    variant: "detail",
    columns: "vendor",
    separator: ";",
  },
  principal: { id: "admin", role: "Administrator", tenantId: null },
  tenantScope: null,
  state,
  progress: 40,
  attempts: 1,
  maxAttempts: 3,
  lease: null,
  cancelRequested,
  createdAt: Date.UTC(2024, 0, 10, 12),
  startedAt: null,
  finishedAt: null,
  stateChangedAt: Date.UTC(2024, 0, 10, 12, 1),
  changedAt: Date.UTC(2024, 0, 10, 12, 2),
  idempotencyKey: null,
  version: 1,
});

const unescapeXml = (text: string): string =>
  text.replace(
    /&(amp|lt|gt|quot|apos);/g,
    (_, name: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" })[name] as string,
  );

describe("vendor task states", () => {
  it("map Tally's states onto the vendor's names as documented", () => {
    expect(vendorState(task({ _tag: "Queued" }))).toBe("Queued");
    expect(vendorState(task({ _tag: "Running" }))).toBe("Running");
    expect(vendorState(task({ _tag: "Running" }, true))).toBe("Stopping");
    expect(vendorState(task({ _tag: "Succeeded", reportId: "r" }))).toBe("Completed");
    expect(vendorState(task({ _tag: "Failed", error: { code: "X", message: "m" } }))).toBe(
      "Failed",
    );
    expect(vendorState(task({ _tag: "Cancelled" }))).toBe("Canceled");
    expect(Object.keys(vendorStateMap).sort()).toEqual([
      "Cancelled",
      "Failed",
      "Queued",
      "Running",
      "Succeeded",
    ]);
  });

  it("filter back to the states they come from; Created and Starting match nothing", () => {
    for (const [tag, entry] of Object.entries(vendorStateMap)) {
      expect(tallyStatesOf(entry.vendorState)).toContain(tag);
    }
    expect(tallyStatesOf("Stopping")).toEqual(["Running"]);
    expect(tallyStatesOf("Created")).toEqual([]);
    expect(tallyStatesOf("Starting")).toEqual([]);
  });
});

describe("vendor task XML", () => {
  it("writes <task id created> with the other fields as elements", () => {
    const xml = vendorTaskXml(toVendorTask(task({ _tag: "Succeeded", reportId: "report-9" })));
    expect(xml).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n' +
        '<task id="task-1" created="2024-01-10T12:00:00.000Z">\n' +
        "  <stateChanged>2024-01-10T12:01:00.000Z</stateChanged>\n" +
        "  <changed>2024-01-10T12:02:00.000Z</changed>\n" +
        "  <state>Completed</state>\n" +
        "  <type>CreateTenantReport</type>\n" +
        "  <stage>Report ready</stage>\n" +
        "  <progress>40</progress>\n" +
        "  <result>report-9</result>\n" +
        "</task>\n",
    );
  });

  it("gives a failed task's message in result, as the vendor documents, and in error", () => {
    const failed = toVendorTask(
      task({
        _tag: "Failed",
        error: { code: "RenderFailed", message: "the PDF could not be drawn" },
      }),
    );
    expect(failed.result).toBe("the PDF could not be drawn");
    expect(failed.error).toBe("the PDF could not be drawn");
    expect(vendorTaskXml(failed)).toContain("<result>the PDF could not be drawn</result>");
    expect(toVendorTask(task({ _tag: "Cancelled" })).result).toBeNull();
    expect(toVendorTask(task({ _tag: "Running" })).result).toBeNull();
  });

  it("escapes markup in any text so that it reads back unchanged", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        const escaped = escapeXml(text);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(escaped).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
        expect(unescapeXml(escaped)).toBe(
          // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML forbids.
          text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "\uFFFD"),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("replaces characters XML cannot carry", () => {
    expect(escapeXml("a\u0000b\uD800c")).toBe("a\uFFFDb\uFFFDc");
  });
});
