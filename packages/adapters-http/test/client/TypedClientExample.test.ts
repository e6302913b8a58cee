/**
 * The typed-client example (`examples/typed-client.ts`, quoted whole in the README's "Typed
 * client") against a running Tally over real HTTP: it gets the tenant's CSV, and what it refuses
 * reaches it as a typed problem. The README must quote the file as it is.
 */
import { readFileSync } from "node:fs";
import { Problem } from "@tally/adapters-http/client";
import { Effect } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenantReportCsv } from "../../examples/typed-client.ts";
import { startTally, type TallyFixture, users } from "../support/TallyFixture.ts";

describe("the typed-client example", () => {
  let tally: TallyFixture;
  beforeAll(async () => {
    tally = await startTally();
  });
  afterAll(() => tally.close());

  it("submits a report, follows its task and downloads the CSV", async () => {
    const csv = await Effect.runPromise(
      tenantReportCsv({ baseUrl: tally.baseUrl, credentials: users.admin }, "A"),
    );
    const [header, ...lines] = csv.trimEnd().split("\r\n");
    expect(header).toBe("tenantId;tenantName;vmId;vmName;protectionStart;protectionEnd");
    // vm-a1's two overlapping periods merged into one line, vm-a2's own; nothing of tenant B.
    expect(lines.map((l) => l.split(";")[2])).toEqual(["vm-a1", "vm-a2"]);
  }, 60_000);

  it("fails with the server's problem, typed, when the caller may not see the tenant", async () => {
    const refused = await Effect.runPromise(
      Effect.flip(tenantReportCsv({ baseUrl: tally.baseUrl, credentials: users.operatorB }, "A")),
    );
    expect(refused).toBeInstanceOf(Problem);
    expect(refused).toMatchObject({ status: 403 });
  });

  it("is quoted whole in the README", () => {
    const example = readFileSync(
      new URL("../../examples/typed-client.ts", import.meta.url),
      "utf8",
    );
    const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");
    const code = example.slice(example.indexOf("import "));
    expect(readme).toContain(`\`\`\`ts\n${code}\`\`\``);
  });
});
