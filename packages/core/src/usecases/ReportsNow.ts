/**
 * Reports made at once, in the caller's process, without a task: one call for a tenant
 * protection report and one for a license overview. They apply the same validation,
 * authorization and defaults as a submitted task (`resolveReportRequest`) and give the same
 * content a worker hands its renderer: lazy lines and summaries, read from the stores when run.
 *
 * This is the entry point for a service that embeds the core. Render the content with
 * `@tally/renderers` (`renderReport`, `writeReportFile`), or consume the lines yourself:
 *
 * ```ts
 * import { InMemory, type Principal, tenantReport } from "@tally/core";
 * import { Console, Effect, Stream } from "effect";
 *
 * const admin: Principal = { id: "me", role: "Administrator", tenantId: null };
 * const program = Effect.gen(function* () {
 *   const report = yield* tenantReport(admin, { tenantId: "acme", zone: "UTC+05:30" });
 *   const summaries = yield* report.summaries; // one per tenant, with protected time
 *   yield* Stream.runForEach(report.lines, (line) => Console.log(line.vmName, line.start));
 *   return summaries;
 * });
 * Effect.runPromise(program.pipe(Effect.provide(InMemory.layer)));
 * ```
 */
import { Effect } from "effect";
import type {
  ForbiddenError,
  NotFoundError,
  StorageError,
  ValidationError,
} from "../domain/errors.ts";
import type { Principal } from "../domain/Principal.ts";
import type { ReportFormat } from "../domain/ReportRequest.ts";
import { parseTimeZoneSpec, type TimeZoneSpec } from "../domain/TimeZoneSpec.ts";
import { IdGenerator } from "../ports/IdGenerator.ts";
import type { LicenseOverviewContent, TenantReportContent } from "../ports/ReportRenderers.ts";
import { licenseOverviewSource, type MeterOptions, tenantReportSource } from "./ReportSource.ts";
import {
  type ResolveReportServices,
  resolveReportRequest,
  type SubmitReportInput,
} from "./SubmitReport.ts";

/**
 * What a report made at once takes: a submission without its task type. `zone` may be the
 * APIs' text (`UTC`, `Local`, `UTC±HH:MM`) and defaults to `UTC`; `format` (default `csv`)
 * is what `renderReport` renders when not told otherwise.
 */
export type ReportNowInput<Omitted extends keyof SubmitReportInput> = Omit<
  SubmitReportInput,
  "type" | "format" | "zone" | Omitted
> & {
  readonly zone?: TimeZoneSpec | string | undefined;
  readonly format?: ReportFormat | undefined;
};

/** A tenant report's input: tenant (default: all), interval (default: all periods until now). */
export type TenantReportInput = ReportNowInput<"organizationId">;

/** A license overview's input: interval (both bounds), tenant or organization (default: all). */
export type LicenseOverviewInput = ReportNowInput<"columns">;

/** What may go wrong making a report at once. */
export type ReportNowError = ValidationError | ForbiddenError | NotFoundError | StorageError;

/** The ports a report made at once reads. */
export type ReportNowServices = ResolveReportServices | IdGenerator;

/** A tenant protection report: merged lines per VM and per-tenant summaries, as of now. */
export const tenantReport = (
  principal: Principal,
  input: TenantReportInput,
): Effect.Effect<TenantReportContent, ReportNowError, ReportNowServices> =>
  Effect.gen(function* () {
    const resolved = yield* resolve(principal, { ...input, type: "CreateTenantReport" });
    if (resolved.request._tag !== "TenantReport") return yield* Effect.die("not a tenant report");
    const id = yield* (yield* IdGenerator).next("report");
    const source = yield* tenantReportSource(id, resolved.request, resolved.resolvedAt, unmetered);
    return source.content;
  });

/** A license overview: a line per user and licence period, and per-organization summaries. */
export const licenseOverview = (
  principal: Principal,
  input: LicenseOverviewInput,
): Effect.Effect<LicenseOverviewContent, ReportNowError, ReportNowServices> =>
  Effect.gen(function* () {
    const resolved = yield* resolve(principal, { ...input, type: "CreateLicenseOverviewReport" });
    if (resolved.request._tag !== "LicenseOverview") {
      return yield* Effect.die("not a license overview");
    }
    const id = yield* (yield* IdGenerator).next("report");
    const source = yield* licenseOverviewSource(
      id,
      resolved.request,
      resolved.resolvedAt,
      unmetered,
    );
    return source.content;
  });

type AnyInput = (TenantReportInput | LicenseOverviewInput) & {
  readonly type: SubmitReportInput["type"];
};

const resolve = (principal: Principal, input: AnyInput) =>
  Effect.gen(function* () {
    const { zone = { _tag: "Utc" }, format = "csv", ...rest } = input;
    const spec =
      typeof zone === "string" ? yield* Effect.fromResult(parseTimeZoneSpec(zone, "zone")) : zone;
    return yield* resolveReportRequest(principal, { ...rest, zone: spec, format });
  });

/** A report made at once reports no progress: nobody polls it. */
const unmetered: MeterOptions = {
  progressEveryRows: Number.MAX_SAFE_INTEGER,
  checkpoint: () => Effect.void,
};
