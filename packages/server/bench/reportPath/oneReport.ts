/**
 * One report through Tally, in a process of its own, as a worker makes it: the task is
 * submitted (the use case every API calls), claimed and run (`runTask`: count, stream, merge,
 * render, store the bytes, mark Succeeded), and the time from submission to the stored report
 * is printed with the process's peak RSS as one JSON line. The report is then read back (PDF:
 * its pages counted) and deleted, outside the timed part, so runs do not fill the disk.
 *
 * Usage: node runOneReport.ts <sqlite:FILE | postgres:URL#SCHEMA> <csv|pdf> <startMs> <endMs> [tenantId]
 */
import {
  defaultTallySettings,
  deleteReport,
  parseTimeZoneSpec,
  readReport,
  runTask,
  SystemClock,
  submitReport,
  TallySettings,
} from "@tally/core";
import { ReportRenderersLive } from "@tally/renderers";
import { Effect, Layer, Option, References, Result, Stream } from "effect";
import { pdfPageCounter } from "../../../renderers/bench/PdfPageCounter.ts";
import { commandLinePrincipal } from "../../src/wiring/CommandLinePrincipal.ts";
import { RandomIdGeneratorLayer } from "../../src/wiring/RandomIdGenerator.ts";
import { storageLayer } from "../../src/wiring/TallyLayer.ts";

const [storage = "", format = "csv", startText = "", endText = "", tenantId] =
  process.argv.slice(2);

const location = storage.startsWith("postgres:")
  ? (() => {
      const [url = "", schema] = storage.slice("postgres:".length).split("#");
      return {
        _tag: "Postgres" as const,
        connectionString: url,
        ...(schema === undefined ? {} : { schema }),
      };
    })()
  : { _tag: "Sqlite" as const, filename: storage.slice("sqlite:".length) };

const layer = Layer.mergeAll(
  storageLayer(location),
  ReportRenderersLive,
  RandomIdGeneratorLayer,
  SystemClock.layer,
  Layer.succeed(TallySettings, defaultTallySettings),
);

/** The pages of a stored PDF, counted as its bytes stream by. */
const countPages = (content: Stream.Stream<Uint8Array, unknown>) =>
  Effect.gen(function* () {
    const counter = pdfPageCounter();
    yield* Stream.runForEach(content, (chunk) => Effect.sync(() => counter.add(chunk)));
    return counter.pages;
  });

const outcome = await Effect.runPromise(
  Effect.gen(function* () {
    if (process.env.TALLY_BENCH_BASELINE)
      console.error("baseline", JSON.stringify(process.memoryUsage()));
    const started = performance.now();
    const { task } = yield* submitReport(commandLinePrincipal, {
      type: "CreateTenantReport",
      start: Number(startText),
      end: Number(endText),
      zone: Result.getOrThrow(parseTimeZoneSpec("UTC")),
      tenantId,
      format: format === "pdf" ? "pdf" : "csv",
    });
    const ran = yield* runTask(task.id, `bench/${process.pid}`);
    const ms = performance.now() - started;
    const finished = Option.getOrThrow(ran);
    if (finished.state._tag !== "Succeeded") {
      return yield* Effect.die(new Error(`task ended ${JSON.stringify(finished.state)}`));
    }
    const report = yield* readReport(commandLinePrincipal, finished.state.reportId);
    const pages = format === "pdf" ? yield* countPages(report.content) : null;
    yield* deleteReport(commandLinePrincipal, report.meta.id);
    return { ms, rows: report.meta.rowCount, bytes: report.meta.byteSize, pages };
  }).pipe(Effect.provide(layer), Effect.provideService(References.MinimumLogLevel, "None")),
);

// maxRSS is in KiB: the peak of this whole process, Node itself included.
console.log(JSON.stringify({ ...outcome, peakRssKiB: process.resourceUsage().maxRSS }));
