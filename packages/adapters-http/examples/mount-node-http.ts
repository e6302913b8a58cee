/**
 * Tally's API inside a plain `node:http` service, under `/tally`, beside the service's own
 * routes, on the service's own SQLite database and in its own process.
 *
 *   node packages/adapters-http/examples/mount-node-http.ts   # then: curl -u admin:admin localhost:3000/tally/v1/tasks
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mountTally } from "@tally/adapters-http";
import { addAccount, type HostRuntime, makeHostRuntime, startWorker } from "./HostServices.ts";

/** A running host: its address and how to stop it. */
export interface Host {
  readonly url: string;
  readonly runtime: HostRuntime;
  readonly close: () => Promise<void>;
}

/** Starts the host on `port` (0: any free one) with its database in `filename`. */
export const startNodeHost = async (filename: string, port = 0): Promise<Host> => {
  const runtime = makeHostRuntime(filename);
  await addAccount(runtime, "admin", "admin");
  const tally = await mountTally(runtime, { basePath: "/tally" });
  const stopWorker = startWorker(runtime);
  const server: Server = createServer((request, response) => {
    if (tally.handle(request, response)) return;
    // The host's own routes.
    if (request.url === "/hello") return void response.end("hello from the host\n");
    response.writeHead(404).end("not found (host)\n");
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    runtime,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stopWorker();
      await tally.close();
      await runtime.dispose();
    },
  };
};

if (import.meta.main) {
  const host = await startNodeHost("./host.sqlite", 3000);
  console.log(`host on ${host.url}; Tally at ${host.url}/tally (docs: ${host.url}/tally/docs)`);
}
