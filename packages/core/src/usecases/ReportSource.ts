/**
 * What a running task hands its renderer: the report content, read lazily from the stores and
 * folded by the domain (merged periods and tenant summaries, or license lines and
 * organization summaries), with a meter on the rows read from the store.
 *
 * The meter is how a long report stays under control: every `progressEveryRows` rows it calls
 * `checkpoint` with the estimated progress, which renews the lease and notices a cancellation.
 * It costs one counter update per chunk, nothing per row.
 */
import { Effect, Option, Stream } from "effect";
import type { StorageError } from "../domain/errors.ts";
import type { Instant } from "../domain/Instant.ts";
import type { Organization, OrganizationFilter } from "../domain/License.ts";
import { licenseUserLines, summarizeOrganizations } from "../domain/LicenseOverviewFold.ts";
import { mergePeriodRows } from "../domain/PeriodMerge.ts";
import type { LicenseOverviewRequest, TenantReportRequest } from "../domain/ReportRequest.ts";
import { summarizeTenantLines } from "../domain/TenantSummaryFold.ts";
import { LicenseStore } from "../ports/LicenseStore.ts";
import { ProtectionPeriodStore } from "../ports/ProtectionPeriodStore.ts";
import type { LicenseOverviewContent, TenantReportContent } from "../ports/ReportRenderers.ts";
import { TenantDirectory } from "../ports/TenantDirectory.ts";

/** Called by the meter with the progress so far (0–99); it never fails the stream itself. */
export type Checkpoint = (progress: number) => Effect.Effect<void>;

/** How rows are metered: every how many rows, and what to call then. */
export interface MeterOptions {
  readonly progressEveryRows: number;
  readonly checkpoint: Checkpoint;
}

/** Report content and the number of rows it produced (read once the rendering has ended). */
export interface ReportSource<Content> {
  readonly content: Content;
  /** Rows of the report's main list: lines, or summaries for a summary CSV. */
  readonly rowCount: () => number;
}

/**
 * Counts rows read and estimates progress. The renderer may read the store more than once (a
 * PDF reads the summaries, then the lines), so `passes` scales the expected total; progress
 * stays below 100 until the report is stored. The expected total comes from a count of the
 * store's rows that runs beside the first pass (see `metered`); until it has answered,
 * progress is 0.
 */
class RowMeter {
  private seen = 0;
  private nextCheckpointAt: number;
  private readonly every: number;
  private readonly passes: number;
  private expected: number | undefined;

  constructor(every: number, passes: number) {
    this.every = Math.max(1, every);
    this.nextCheckpointAt = this.every;
    this.passes = passes;
  }

  /** Whether the store's rows have been counted. */
  get counted(): boolean {
    return this.expected !== undefined;
  }

  /** Takes the count of the store's rows (of one pass). */
  expect(rows: number): void {
    this.expected = Math.max(1, rows * this.passes);
  }

  /** Adds rows; true when a checkpoint is due. */
  add(rows: number): boolean {
    this.seen += rows;
    if (this.seen < this.nextCheckpointAt) return false;
    this.nextCheckpointAt = this.seen + this.every;
    return true;
  }

  progress(): number {
    if (this.expected === undefined) return 0;
    return Math.min(99, Math.floor((this.seen * 100) / this.expected));
  }
}

/**
 * Wraps a store stream so that the meter sees each chunk before it goes downstream. While the
 * meter has no count yet, `count` runs beside the stream, in a fiber of the stream's own scope:
 * the database counts on one connection while it streams on another, instead of the report
 * waiting for the count first (on PostgreSQL ~0.1 s per million rows). A count that fails only
 * leaves progress at 0: the stream reads the same rows and reports its own errors. The count's
 * fiber gets its turn before the first row is pulled, so that a store that answers without
 * waiting (in memory, SQLite) has counted by then.
 */
const metered = <A, E, R, R2>(
  rows: Stream.Stream<A, E, R>,
  meter: RowMeter,
  checkpoint: Checkpoint,
  count: Effect.Effect<number, StorageError, R2>,
): Stream.Stream<A, E, R | R2> =>
  Stream.unwrap(
    Effect.gen(function* () {
      if (!meter.counted) {
        yield* Effect.forkScoped(
          count.pipe(
            Effect.tap((n) => Effect.sync(() => meter.expect(n))),
            Effect.catch((error) =>
              Effect.logWarning("rows not counted: progress stays at 0 until the end", error),
            ),
          ),
        );
        yield* Effect.yieldNow;
      }
      return Stream.mapArrayEffect(rows, (chunk) =>
        meter.add(chunk.length)
          ? Effect.as(checkpoint(meter.progress()), chunk)
          : Effect.succeed(chunk),
      );
    }),
  );

/** Passes over the store a rendering makes: a PDF has both the summary and the detail. */
const passesOf = (format: string): number => (format === "pdf" ? 2 : 1);

/** The content of a tenant protection report, as of `generatedAt`. */
export const tenantReportSource = (
  taskId: string,
  request: TenantReportRequest,
  generatedAt: Instant,
  options: MeterOptions,
): Effect.Effect<
  ReportSource<TenantReportContent>,
  StorageError,
  ProtectionPeriodStore | TenantDirectory
> =>
  Effect.gen(function* () {
    const periods = yield* ProtectionPeriodStore;
    const { interval, tenant: filter } = request;
    const meter = new RowMeter(options.progressEveryRows, passesOf(request.format));
    const tenantName =
      filter._tag === "OneTenant"
        ? Option.match(yield* (yield* TenantDirectory).getTenant(filter.tenantId), {
            onNone: () => null,
            onSome: (tenant) => tenant.name,
          })
        : null;
    const merge = { interval, generatedAt };
    const lines = () =>
      mergePeriodRows(
        metered(
          periods.streamOverlapping(interval, filter),
          meter,
          options.checkpoint,
          periods.countOverlapping(interval, filter),
        ),
        merge,
      );
    let lineCount = 0;
    let summaryCount = 0;
    const content: TenantReportContent = {
      taskId,
      request,
      generatedAt,
      tenantName,
      lines: Stream.suspend(lines).pipe(
        Stream.mapArray((chunk) => {
          lineCount += chunk.length;
          return chunk;
        }),
      ),
      summaries: Effect.suspend(() => summarizeTenantLines(lines(), merge)).pipe(
        Effect.map((summaries) => {
          summaryCount = summaries.length;
          return summaries;
        }),
      ),
    };
    return {
      content,
      rowCount: () =>
        request.variant === "summary" && request.format === "csv" ? summaryCount : lineCount,
    };
  });

/** Organizations are read in pages of this many to build the overview's list. */
const organizationPage = 1000;

/** The content of a license overview, as of `generatedAt`. */
export const licenseOverviewSource = (
  taskId: string,
  request: LicenseOverviewRequest,
  generatedAt: Instant,
  options: MeterOptions,
): Effect.Effect<ReportSource<LicenseOverviewContent>, StorageError, LicenseStore> =>
  Effect.gen(function* () {
    const licenses = yield* LicenseStore;
    const { interval, organizations: filter } = request;
    const organizations = yield* allOrganizations(filter);
    const meter = new RowMeter(options.progressEveryRows, passesOf(request.format));
    const fold = { interval, organizations };
    // Events before the interval tell who is licensed when it begins, so read from the start.
    const events = () =>
      metered(
        licenses.streamEvents(filter, interval.end),
        meter,
        options.checkpoint,
        licenses.countEvents(filter, interval.end),
      );
    let userCount = 0;
    let summaryCount = 0;
    const content: LicenseOverviewContent = {
      taskId,
      request,
      generatedAt,
      users: Stream.suspend(() => licenseUserLines(events(), fold)).pipe(
        Stream.mapArray((chunk) => {
          userCount += chunk.length;
          return chunk;
        }),
      ),
      summaries: Effect.suspend(() => summarizeOrganizations(events(), fold)).pipe(
        Effect.map((summaries) => {
          summaryCount = summaries.length;
          return summaries;
        }),
      ),
    };
    return {
      content,
      rowCount: () =>
        request.variant === "summary" && request.format === "csv" ? summaryCount : userCount,
    };
  });

/** Every organization the filter selects, ordered by id. */
const allOrganizations = (
  filter: OrganizationFilter,
): Effect.Effect<ReadonlyArray<Organization>, StorageError, LicenseStore> =>
  Effect.gen(function* () {
    const licenses = yield* LicenseStore;
    const all: Array<Organization> = [];
    let after: string | undefined;
    for (;;) {
      const page = yield* licenses.listOrganizations(filter, { after, limit: organizationPage });
      all.push(...page);
      const last = page[page.length - 1];
      if (page.length < organizationPage || last === undefined) return all;
      after = last.id;
    }
  });
