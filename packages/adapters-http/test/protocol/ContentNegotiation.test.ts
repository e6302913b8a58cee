import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isJsonMediaType, mediaTypeOf, negotiate } from "../../src/protocol/ContentNegotiation.ts";

const offered = ["application/csv", "text/csv", "application/pdf"];

describe("negotiate", () => {
  it("takes the first offer when Accept is missing, empty or a wildcard", () => {
    expect(negotiate(undefined, offered)).toBe("application/csv");
    expect(negotiate("", offered)).toBe("application/csv");
    expect(negotiate("*/*", offered)).toBe("application/csv");
  });

  it("honours explicit types, quality values and type wildcards", () => {
    expect(negotiate("application/pdf", offered)).toBe("application/pdf");
    expect(negotiate("text/*", offered)).toBe("text/csv");
    expect(negotiate("application/csv;q=0.5, application/pdf", offered)).toBe("application/pdf");
    expect(negotiate("application/pdf;q=0, */*;q=0.1", offered)).toBe("application/csv");
    expect(negotiate("TEXT/CSV", offered)).toBe("text/csv");
  });

  it("finds nothing acceptable when no offer matches", () => {
    expect(negotiate("application/json", offered)).toBeUndefined();
    expect(negotiate("application/pdf;q=0", ["application/pdf"])).toBeUndefined();
  });

  it("always answers one of the offers or nothing", () => {
    fc.assert(
      fc.property(fc.string(), (header) => {
        const chosen = negotiate(header, offered);
        if (chosen !== undefined) expect(offered).toContain(chosen);
      }),
      { numRuns: 300 },
    );
  });

  it("reads bare media types and recognises JSON ones", () => {
    expect(mediaTypeOf("Application/JSON; charset=utf-8")).toBe("application/json");
    expect(mediaTypeOf(undefined)).toBeUndefined();
    expect(isJsonMediaType("application/merge-patch+json")).toBe(true);
    expect(isJsonMediaType("text/plain")).toBe(false);
  });
});
