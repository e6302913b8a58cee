/**
 * Queues one tenant report task for a worker to take, as the HTTP APIs do (the core's
 * `submitReport`), and exits: the set-up of the worker benchmark, not measured.
 *
 * Usage: node queueReport.ts <TALLY_STORAGE value> <csv|pdf> <startMs> <endMs> [tenantId]
 */
import { parseStorageLocation } from "@tally/adapters-storage";
import {
  defaultTallySettings,
  parseTimeZoneSpec,
  SystemClock,
  submitReport,
  TallySettings,
} from "@tally/core";
import { Effect, Layer, References, Result } from "effect";
import { commandLinePrincipal } from "../../src/wiring/CommandLinePrincipal.ts";
import { RandomIdGeneratorLayer } from "../../src/wiring/RandomIdGenerator.ts";
import { storageLayer } from "../../src/wiring/StorageLayer.ts";

const [storage = "", format = "csv", start = "", end = "", tenantId] = process.argv.slice(2);

await Effect.runPromise(
  submitReport(commandLinePrincipal, {
    type: "CreateTenantReport",
    start: Number(start),
    end: Number(end),
    zone: Result.getOrThrow(parseTimeZoneSpec("UTC")),
    tenantId,
    format: format === "pdf" ? "pdf" : "csv",
  }).pipe(
    Effect.provide(
      Layer.mergeAll(
        storageLayer(parseStorageLocation(storage)),
        RandomIdGeneratorLayer,
        SystemClock.layer,
        Layer.succeed(TallySettings, defaultTallySettings),
      ),
    ),
    Effect.provideService(References.MinimumLogLevel, "None"),
  ),
);
