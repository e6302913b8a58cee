/**
 * What a host that mounts Tally under `/tally` must show over a real socket: its own routes
 * still answered by it; Tally's faces answered under the base path with links that carry it;
 * facts written by the host's own code (through its runtime) read back through Tally, and facts
 * sent to Tally found in the host's storage; a report run by the worker in the host's process;
 * the document and reference page; Tally's problems for Tally's unknown paths.
 */
import { ingestTenants, TenantDirectory } from "@tally/core";
import { Effect, Option } from "effect";
import { expect } from "vitest";
import type { Host } from "../../examples/mount-node-http.ts";

const admin = `Basic ${Buffer.from("admin:admin").toString("base64")}`;
const administrator = { id: "host", role: "Administrator", tenantId: null } as const;

/** Runs the scenario against a started host. */
export const exerciseHost = async (host: Host): Promise<void> => {
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${host.url}${path}`, { headers: { authorization: admin, ...headers } });

  // The host's own routes are the host's.
  expect(await (await fetch(`${host.url}/hello`)).text()).toBe("hello from the host\n");
  expect((await fetch(`${host.url}/elsewhere`)).status).toBe(404);

  // The host writes a fact with its own runtime; Tally reads it from the same storage.
  await host.runtime.runPromise(ingestTenants(administrator, [{ id: "host-t", name: "Host" }]));
  const tenant = await get("/tally/v1/tenants/host-t");
  expect(tenant.status).toBe(200);
  expect(await tenant.json()).toEqual({ id: "host-t", name: "Host" });

  // Tally writes facts the host then finds in its storage.
  const put = await fetch(`${host.url}/tally/v1/vms`, {
    method: "POST",
    headers: { authorization: admin, "content-type": "text/csv" },
    body: "id,name,tenantId\nvm-h,web,host-t\n",
  });
  expect(await put.json()).toEqual({ ingested: 1 });
  const periods = await fetch(`${host.url}/tally/v1/protection-periods`, {
    method: "POST",
    headers: { authorization: admin, "content-type": "application/json" },
    body: JSON.stringify([{ id: "p-h", vmId: "vm-h", start: "2024-01-01T00:00:00Z" }]),
  });
  expect(periods.status).toBe(200);
  const vm = await host.runtime.runPromise(
    Effect.flatMap(Effect.service(TenantDirectory), (directory) => directory.getVm("vm-h")),
  );
  expect(Option.getOrThrow(vm)).toEqual({ id: "vm-h", name: "web", tenantId: "host-t" });

  // A report, run by the worker in the host's process, linked under the base path.
  const submitted = await fetch(`${host.url}/tally/v1/reports`, {
    method: "POST",
    headers: { authorization: admin, "content-type": "application/json" },
    body: JSON.stringify({
      type: "tenant-protection",
      tenantId: "host-t",
      start: "2024-01-01T00:00:00Z",
      end: "2024-02-01T00:00:00Z",
      format: "csv",
    }),
  });
  expect(submitted.status).toBe(202);
  const location = submitted.headers.get("location") as string;
  expect(location).toMatch(/^\/tally\/v1\/tasks\//);
  let task: { state: string; links: { content?: string } } = { state: "Queued", links: {} };
  for (let poll = 0; poll < 600 && task.state !== "Succeeded"; poll++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    task = (await (await get(location)).json()) as typeof task;
  }
  expect(task.state).toBe("Succeeded");
  expect(task.links.content).toMatch(/^\/tally\/v1\/reports\/.+\/content$/);
  const csv = await (await get(task.links.content as string)).text();
  expect(csv).toContain("host-t;Host;vm-h;web;2024-01-01T00:00:00+00:00;2024-02-01T00:00:00+00:00");

  // The document names the base path as its server; the reference page is there too.
  const document = (await (await fetch(`${host.url}/tally/openapi.json`)).json()) as {
    servers?: ReadonlyArray<{ url: string }>;
  };
  expect(document.servers).toEqual([{ url: "/tally" }]);
  expect((await fetch(`${host.url}/tally/docs`)).status).toBe(200);

  // Tally's unknown paths get Tally's problems; credentials are still required.
  const unknown = await get("/tally/v1/nothing");
  expect(unknown.status).toBe(404);
  expect(unknown.headers.get("content-type")).toBe("application/problem+json");
  expect((await fetch(`${host.url}/tally/v1/tasks`)).status).toBe(401);
};
