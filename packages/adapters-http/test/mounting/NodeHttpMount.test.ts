/**
 * Tally mounted under `/tally` in a plain `node:http` service (the example), driven over a
 * socket: see `HostScenario`.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "vitest";
import { startNodeHost } from "../../examples/mount-node-http.ts";
import { exerciseHost } from "./HostScenario.ts";

it("serves Tally's faces under /tally beside the host's routes, on the host's storage", async () => {
  const host = await startNodeHost(join(mkdtempSync(join(tmpdir(), "tally-host-")), "host.sqlite"));
  try {
    await exerciseHost(host);
  } finally {
    await host.close();
  }
}, 60_000);
