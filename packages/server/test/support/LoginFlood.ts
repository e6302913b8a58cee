/**
 * A wrong-password flood and a timed report, shared by the throttling test and the
 * `login-flood` bench: `startFlood` opens keep-alive connections that send wrong Basic
 * passwords as fast as they are answered; `timeTenantReport` submits a small face-1 report and
 * polls it to the end.
 */
import { Agent } from "node:http";
import { basicAuth, httpFrom } from "./HttpFrom.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A running flood; `stop` ends it and gives the count of each status it was answered. */
export interface Flood {
  readonly stop: () => Promise<ReadonlyMap<number, number>>;
}

/** `connections` clients from `from`, each sending wrong passwords of `username` in a loop. */
export const startFlood = (
  url: string,
  options: { readonly connections: number; readonly from: string; readonly username: string },
): Flood => {
  const statuses = new Map<number, number>();
  let flooding = true;
  const clients = Array.from({ length: options.connections }, async (_, client) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let attempt = 0; flooding; attempt++) {
        const answer = await httpFrom(`${url}/v1/tasks`, {
          from: options.from,
          agent,
          headers: { authorization: basicAuth(options.username, `guess-${client}-${attempt}`) },
        });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      }
    } finally {
      agent.destroy();
    }
  });
  return {
    stop: async () => {
      flooding = false;
      await Promise.all(clients);
      return statuses;
    },
  };
};

/**
 * Submits a face-1 tenant report (every tenant, 2024: 13 lines of the demo data) with
 * `authorization` and polls it every 10 ms to the end: the ms taken. Fails after `giveUpMs`.
 */
export const timeTenantReport = async (
  url: string,
  authorization: string,
  giveUpMs = 30_000,
): Promise<number> => {
  const started = performance.now();
  const submitted = await fetch(
    `${url}/api/2.0/virtualization/reports/tenants?from=2024-01-01T00:00:00&to=2025-01-01T00:00:00`,
    { method: "POST", headers: { authorization, accept: "application/csv" } },
  );
  if (submitted.status !== 202) throw new Error(`the report was answered ${submitted.status}`);
  const location = submitted.headers.get("location");
  for (;;) {
    const task = (await (
      await fetch(`${url}${location}`, { headers: { authorization, accept: "application/json" } })
    ).json()) as { state: string };
    const elapsed = performance.now() - started;
    if (task.state === "Completed") return elapsed;
    if (task.state !== "Queued" && task.state !== "Running") {
      throw new Error(`the report ended ${task.state}`);
    }
    if (elapsed > giveUpMs) {
      throw new Error(`the report was not done after ${Math.round(elapsed)} ms`);
    }
    await sleep(10);
  }
};
