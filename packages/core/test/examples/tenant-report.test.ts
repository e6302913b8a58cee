import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { generateTenantReport } from "../../examples/tenant-report.ts";

describe("the tenant report example", () => {
  it("prints acme's merged, clipped periods in Berlin time across the DST change, formulas neutralised", async () => {
    expect(await Effect.runPromise(generateTenantReport)).toBe(
      [
        "tenantId;tenantName;vmId;vmName;protectionStart;protectionEnd",
        "acme;Acme GmbH;vm-db;'=cmd|' /C calc'!A0;2024-03-31T01:30:00+01:00;2024-04-01T00:00:00+02:00",
        "acme;Acme GmbH;vm-web;web-01;2024-03-30T23:00:00+01:00;2024-03-31T07:00:00+02:00",
        "",
      ].join("\n"),
    );
  });

  it("gives the same bytes on every run", async () => {
    const first = await Effect.runPromise(generateTenantReport);
    expect(await Effect.runPromise(generateTenantReport)).toBe(first);
  });
});
