import { describe, expect, it } from "vitest";
import { attachment } from "../../src/protocol/ContentDisposition.ts";

describe("attachment", () => {
  it("names an ASCII file plainly", () => {
    expect(attachment("tenant-protection-A-20240301.csv")).toBe(
      'attachment; filename="tenant-protection-A-20240301.csv"',
    );
  });

  it("adds a UTF-8 filename* for other names and keeps quotes out of the ASCII one", () => {
    expect(attachment('Söhne "Q".csv')).toBe(
      `attachment; filename="S_hne _Q_.csv"; filename*=UTF-8''S%C3%B6hne%20%22Q%22.csv`,
    );
  });
});
