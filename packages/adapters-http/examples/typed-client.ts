/**
 * An outside service asking Tally for a report through the typed client of the native API:
 * submit, follow the task, download the file. Every method, parameter, body, answer and problem
 * is typed from the API's own definition; nothing of the server is imported.
 *
 *   node packages/adapters-http/examples/typed-client.ts   # against `pnpm tally serve` (demo data)
 */
import { TallyClient, type TallyClientOptions } from "@tally/adapters-http/client";
import { Effect, Schedule, Stream } from "effect";

/** A tenant's protection report for 2024, as CSV text. */
export const tenantReportCsv = (tally: TallyClientOptions, tenantId: string) =>
  Effect.gen(function* () {
    const client = yield* TallyClient;
    const submitted = yield* client.submitReport({
      headers: { "idempotency-key": `${tenantId}-2024` }, // a retry returns the same task
      // The client speaks the decoded form: instants in epoch ms (ISO 8601 text on the wire).
      payload: {
        type: "tenant-protection",
        tenantId,
        start: Date.UTC(2024, 0, 1),
        end: Date.UTC(2025, 0, 1),
        format: "csv",
      },
    });
    const task = yield* client.getTask({ params: { id: submitted.body.id } }).pipe(
      Effect.repeat({
        schedule: Schedule.spaced("200 millis"),
        until: (t) => t.finishedAt !== null,
      }),
    );
    if (task.reportId === null) return yield* Effect.fail(new Error(`task ${task.state}`));
    const file = yield* client.downloadReport({ params: { id: task.reportId }, headers: {} });
    if (file === undefined) return yield* Effect.fail(new Error("no body")); // 206/304 only
    return yield* file.body.pipe(Stream.decodeText, Stream.mkString);
  }).pipe(Effect.provide(TallyClient.layer(tally)));

if (import.meta.main) {
  const credentials = { username: "admin", password: "admin" };
  const csv = tenantReportCsv({ baseUrl: "http://127.0.0.1:8080", credentials }, "romashka");
  console.log(await Effect.runPromise(csv));
}
