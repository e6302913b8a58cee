/**
 * Tally's API inside an Express app, under `/tally`, beside the app's own routes (and before
 * its body parsers, which would otherwise consume the bodies Tally reads), on the app's own
 * SQLite database and in its own process.
 *
 *   node packages/adapters-http/examples/mount-express.ts   # then: curl -u admin:admin localhost:3000/tally/v1/tasks
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mountTally } from "@tally/adapters-http";
import express from "express";
import { addAccount, makeHostRuntime, startWorker } from "./HostServices.ts";
import type { Host } from "./mount-node-http.ts";

/** Starts the Express host on `port` (0: any free one) with its database in `filename`. */
export const startExpressHost = async (filename: string, port = 0): Promise<Host> => {
  const runtime = makeHostRuntime(filename);
  await addAccount(runtime, "admin", "admin");
  const tally = await mountTally(runtime, { basePath: "/tally" });
  const stopWorker = startWorker(runtime);
  const app = express();
  app.use("/tally", tally.middleware);
  // The app's own routes, with the body parser they use.
  app.use(express.json());
  app.get("/hello", (_request, response) => {
    response.send("hello from the host\n");
  });
  app.post("/echo", (request, response) => {
    response.json(request.body);
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(port, "127.0.0.1", () => resolve(listening));
  });
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
  const host = await startExpressHost("./host.sqlite", 3000);
  console.log(`host on ${host.url}; Tally at ${host.url}/tally (docs: ${host.url}/tally/docs)`);
}
