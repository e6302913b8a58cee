import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { tallyVersion } from "../src/cli/TallyCommand.ts";

describe("tally --version", () => {
  it("is the version the package is published under", () => {
    const manifest = JSON.parse(
      readFileSync(new URL("../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    expect(tallyVersion).toBe(manifest.version);
  });
});
