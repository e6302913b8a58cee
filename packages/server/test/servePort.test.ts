/**
 * `tally serve` on a port another process holds: it stops with exit code 1 and one line that
 * names the address and the setting to change (TALLY_PORT), not the HTTP server's bare
 * `ServeError: listen EADDRINUSE`.
 */
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runTally } from "./support/TallyProcess.ts";

const holders: Server[] = [];

afterEach(async () => {
  await Promise.all(
    holders.splice(0).map((server) => new Promise<void>((done) => server.close(() => done()))),
  );
});

/** A port on 127.0.0.1 that a `node:net` server of this test holds until the test ends. */
const occupiedPort = async (): Promise<number> => {
  const server = createServer();
  holders.push(server);
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
};

describe("tally serve on an address it cannot listen on", () => {
  it("a busy TALLY_PORT stops it with exit code 1 and a message naming TALLY_PORT and the address", async () => {
    const port = await occupiedPort();
    const cwd = mkdtempSync(join(tmpdir(), "tally-busy-port-"));
    const run = await runTally(["serve"], {
      cwd,
      env: { TALLY_PORT: String(port), TALLY_HOST: "127.0.0.1", TALLY_WORKERS: "0" },
    });
    expect({ code: run.code, signal: run.signal }).toEqual({ code: 1, signal: null });
    expect(run.stderr).toContain(
      `error: cannot listen on 127.0.0.1:${port}: the port is already in use (EADDRINUSE); set TALLY_PORT`,
    );
    expect(run.stderr).not.toContain("ServeError");
  });
});
