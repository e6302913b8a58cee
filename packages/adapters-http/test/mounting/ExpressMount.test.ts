/**
 * Tally mounted under `/tally` in an Express app (the example), driven over a socket: see
 * `HostScenario`; and the app's own body-parsing routes keep working beside it.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { startExpressHost } from "../../examples/mount-express.ts";
import { exerciseHost } from "./HostScenario.ts";

it("serves Tally's faces under /tally beside the app's routes, on the app's storage", async () => {
  const host = await startExpressHost(
    join(mkdtempSync(join(tmpdir(), "tally-host-")), "host.sqlite"),
  );
  try {
    await exerciseHost(host);
    const echo = await fetch(`${host.url}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kept: true }),
    });
    expect(await echo.json()).toEqual({ kept: true });
  } finally {
    await host.close();
  }
}, 60_000);
