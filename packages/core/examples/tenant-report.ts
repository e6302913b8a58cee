/**
 * A tenant protection report end to end, with nothing but the core: in-memory stores, a
 * manual clock, sequential ids, and a small CSV renderer written here against the
 * ReportRenderer port (the real ones live in `@tally/renderers`).
 *
 * It loads two tenants' VMs and protection periods — two of them overlapping, one still
 * running, all around the night Europe moved its clocks forward — asks for acme's report in
 * the server's Local zone (Europe/Berlin), lets a worker run the task, and prints the bytes.
 *
 *     npx pnpm exec node packages/core/examples/tenant-report.ts
 */
import { Effect, Layer, Stream } from "effect";
import {
  Clock,
  defaultTallySettings,
  InMemory,
  ingestProtectionPeriods,
  ingestTenants,
  ingestVms,
  ManualClock,
  makeInstantFormatter,
  type Principal,
  parseInstantInZone,
  type ReportRenderer,
  ReportRenderers,
  readReport,
  resolveTimeZone,
  runNextTask,
  SequentialIdGenerator,
  submitReport,
  TallySettings,
  type TenantReportLine,
} from "../src/index.ts";

const admin: Principal = { id: "example-admin", role: "Administrator", tenantId: null };

/** Cells a spreadsheet would run as a formula get a leading apostrophe. */
const cell = (text: string): string => {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[;"\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** The vendor's six columns, `;`-separated, timestamps in the request's zone. */
const exampleCsvRenderer: ReportRenderer = {
  format: "csv",
  contentType: "text/csv; charset=utf-8",
  fileExtension: "csv",
  renderTenantReport: (content) => {
    const encoder = new TextEncoder();
    const time = makeInstantFormatter(content.request.zone.resolved);
    const row = (line: TenantReportLine) =>
      [
        cell(line.tenantId ?? ""),
        cell(line.tenantName ?? ""),
        cell(line.vmId),
        cell(line.vmName),
        time(line.start),
        time(line.end),
      ].join(";");
    const header = "tenantId;tenantName;vmId;vmName;protectionStart;protectionEnd\n";
    return Stream.concat(
      Stream.make(encoder.encode(header)),
      // One encoded block per chunk of lines: no per-row allocation of a byte array.
      Stream.mapArray(content.lines, (lines) => [
        encoder.encode(lines.map((line) => `${row(line)}\n`).join("")),
      ]),
    );
  },
  renderLicenseOverview: () => Stream.empty,
};

/** Everything the example's Tally needs, fresh for each run; "now" is 2024-04-02T12:00:00Z. */
const exampleTally = Layer.mergeAll(
  InMemory.stores,
  Layer.sync(Clock, () => ManualClock.make(Date.UTC(2024, 3, 2, 12)).clock),
  SequentialIdGenerator.layer,
  Layer.succeed(TallySettings, { ...defaultTallySettings, localZone: "Europe/Berlin" }),
  Layer.succeed(
    ReportRenderers,
    ReportRenderers.of({ forFormat: (f) => (f === "csv" ? exampleCsvRenderer : undefined) }),
  ),
);

/** Loads the facts, submits acme's report, runs it and returns the report's bytes as text. */
export const generateTenantReport: Effect.Effect<string, unknown> = Effect.gen(function* () {
  yield* ingestTenants(admin, [
    { id: "acme", name: "Acme GmbH" },
    { id: "globex", name: "Глобекс" },
  ]);
  yield* ingestVms(admin, [
    { id: "vm-web", name: "web-01", tenantId: "acme" },
    { id: "vm-db", name: "=cmd|' /C calc'!A0", tenantId: "acme" },
    { id: "vm-mail", name: "почта", tenantId: "globex" },
  ]);
  yield* ingestProtectionPeriods(admin, [
    { id: "p1", vmId: "vm-web", start: Date.UTC(2024, 2, 30, 22), end: Date.UTC(2024, 2, 31, 2) },
    { id: "p2", vmId: "vm-web", start: Date.UTC(2024, 2, 31, 1), end: Date.UTC(2024, 2, 31, 5) },
    { id: "p3", vmId: "vm-db", start: Date.UTC(2024, 2, 31, 0, 30), end: null },
    { id: "p4", vmId: "vm-mail", start: Date.UTC(2024, 2, 30), end: null },
  ]);

  // What the HTTP layer does with `?from=2024-03-30T00:00:00&to=2024-04-01T00:00:00`.
  const zone = yield* Effect.fromResult(resolveTimeZone({ _tag: "Local" }, "Europe/Berlin"));
  const start = yield* Effect.fromResult(parseInstantInZone("2024-03-30T00:00:00", "from", zone));
  const end = yield* Effect.fromResult(parseInstantInZone("2024-04-01T00:00:00", "to", zone));

  const { task } = yield* submitReport(admin, {
    type: "CreateTenantReport",
    tenantId: "acme",
    start,
    end,
    zone: { _tag: "Local" },
    format: "csv",
  });
  const finished = yield* runNextTask("example-worker");
  if (finished._tag === "None" || finished.value.state._tag !== "Succeeded") {
    return yield* Effect.fail(new Error(`task ${task.id} did not succeed`));
  }
  const { content } = yield* readReport(admin, finished.value.state.reportId);
  const chunks = yield* Stream.runCollect(content);
  const decoder = new TextDecoder();
  return chunks
    .map((chunk, i) => decoder.decode(chunk, { stream: i < chunks.length - 1 }))
    .join("");
}).pipe(Effect.provide(exampleTally));

if (import.meta.main) {
  const text = await Effect.runPromise(generateTenantReport);
  process.stdout.write(text);
}
