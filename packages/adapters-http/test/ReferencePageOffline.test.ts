/**
 * The reference page at `/docs` in a real browser with no network: headless Chromium may
 * resolve no host but the loopback address, so anything the page tried to load from elsewhere
 * (a script, a stylesheet, a font) would fail. The page must still render the operations and
 * the problem types of the OpenAPI document. Needs Chromium (`apt-get install chromium`;
 * CI installs it): without it, the test fails saying so.
 */
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTally, type TallyFixture } from "./support/TallyFixture.ts";

const chromium = ["chromium", "chromium-browser", "google-chrome"].find(
  (name) => spawnSync(name, ["--version"], { stdio: "ignore" }).status === 0,
);

/**
 * The page's DOM once its scripts have run, in a browser cut off from every other host. (The
 * browser runs asynchronously: the server it asks lives in this very process.)
 */
const renderOffline = async (url: string): Promise<string> => {
  if (chromium === undefined) {
    throw new Error("Chromium is needed for this test: apt-get install -y chromium");
  }
  const run = await promisify(execFile)(
    chromium,
    [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      // Every host name fails to resolve; only the loopback server can be reached.
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
      "--virtual-time-budget=5000",
      "--dump-dom",
      url,
    ],
    { encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return run.stdout;
};

/** What a person sees: the DOM without scripts and styles (the document is inline in a script). */
const visibleText = (dom: string): string =>
  dom
    .replace(/<script\b[\s\S]*?<\/script>/gi, "")
    .replace(/<style\b[\s\S]*?<\/style>/gi, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");

describe("the reference page with no network", () => {
  let tally: TallyFixture;
  beforeEach(async () => {
    tally = await startTally({ seed: false, worker: false });
  });
  afterEach(() => tally.close());

  it("renders the operations and the problem types from the bundled page alone", async () => {
    const text = visibleText(await renderOffline(`${tally.baseUrl}/docs`));
    // Scalar renders the first group's operations at once, the others as the reader scrolls.
    for (const shown of [
      "Generate a tenant protection report (CreateTenantReport task)",
      "/api/2.0/virtualization/reports/tenants/{reportId}",
      "License overview (vendor API v6)",
      "Data ingestion",
      "problem-validation-failed",
    ]) {
      expect(text, `the rendered page shows "${shown}"`).toContain(shown);
    }
  }, 180_000);
});
