/**
 * Tally's core embedded in a service: facts into the in-memory stores (swap in
 * `@tally/adapters-storage` or your own adapters), a tenant protection report made at once —
 * per-tenant summaries and merged lines — and the same report written as a PDF by
 * `@tally/renderers`. Only published entry points are used.
 *
 *     node embed-tenant-report.ts [out.pdf]
 */
import * as Tally from "@tally/core";
import { writeReportFile } from "@tally/renderers";
import { Console, Effect, Stream } from "effect";

const admin: Tally.Principal = { id: "embedder", role: "Administrator", tenantId: null };
const march = (day: number) => Date.UTC(2024, 2, day);

export const main = (out: string) =>
  Effect.gen(function* () {
    yield* Tally.ingestTenants(admin, [{ id: "acme", name: "Acme GmbH" }]);
    yield* Tally.ingestVms(admin, [{ id: "vm-1", name: "web-01", tenantId: "acme" }]);
    yield* Tally.ingestProtectionPeriods(admin, [
      { id: "p1", vmId: "vm-1", start: march(1), end: march(10) },
      { id: "p2", vmId: "vm-1", start: march(8), end: null }, // overlaps p1: merged
    ]);
    const range = { tenantId: "acme", start: march(1), end: march(31), zone: "UTC+05:30" };
    const report = yield* Tally.tenantReport(admin, range);
    for (const s of yield* report.summaries) yield* Console.log(s.tenantName, s.protectedMs);
    yield* Stream.runForEach(report.lines, (l) => Console.log(l.vmName, l.start, l.end));
    return yield* writeReportFile(report, out, "pdf");
  }).pipe(Effect.provide(Tally.InMemory.layer));

if (import.meta.main) await Effect.runPromise(main(process.argv[2] ?? "acme-march.pdf"));
