/**
 * The per-tenant summary of a tenant protection report, folded from the report's lines.
 *
 * Lines arrive in report order (tenant, VM, start) from the period merger, so the lines of one
 * VM are disjoint and the number of VMs protected at an instant is the number of lines that
 * contain it. Per tenant:
 * - `vmCount`: distinct VMs with at least one line;
 * - `protectedMs`: the sum of the lines' durations;
 * - `peakConcurrent` / `peakAt`: the most lines containing one instant, and the first instant
 *   it happens — a sweep over the starts and ends sorted by time, ends before starts at the same
 *   instant because lines are half-open (a VM ending at `t` and another starting at `t` are
 *   never protected together);
 * - `averageConcurrent`: `protectedMs` over the covered length of the interval,
 *   `min(interval.end, generatedAt) - interval.start` (0 when that length is not positive).
 *
 * Memory: the sweep needs the current tenant's starts and ends, kept in growable Float64Arrays
 * (16 bytes per line); they are reused from tenant to tenant, so memory is bounded by the
 * largest tenant's lines, not by the report. Summaries are one small object per tenant.
 */
import { Effect, Stream } from "effect";
import type { Instant } from "./Instant.ts";
import type { TenantReportLine, TenantSummary } from "./ReportContent.ts";
import { coveredEnd, type ReportingInterval } from "./ReportingInterval.ts";

/** What a tenant summary needs to know: the interval and when the report is generated. */
export interface TenantSummaryOptions {
  readonly interval: ReportingInterval;
  /** The generation time; the average is taken over `[start, min(end, generatedAt))`. */
  readonly generatedAt: Instant;
}

/** A stateful fold of report lines (in report order) into per-tenant summaries. */
export interface TenantSummaryFold {
  /** Consumes the next lines. */
  readonly push: (lines: ReadonlyArray<TenantReportLine>) => void;
  /** Ends the input; returns the summaries ordered by tenant id, the no-tenant group last. */
  readonly finish: () => TenantSummary[];
}

const INITIAL_CAPACITY = 1024;

class SweepingTenantSummaryFold implements TenantSummaryFold {
  private readonly coveredMs: number;
  private readonly summaries: TenantSummary[] = [];
  /** The first line of the current tenant (undefined before any line). */
  private tenantLine: TenantReportLine | undefined = undefined;
  private lastVmId = "";
  private vmCount = 0;
  private protectedMs = 0;
  private starts = new Float64Array(INITIAL_CAPACITY);
  private ends = new Float64Array(INITIAL_CAPACITY);
  private count = 0;

  constructor(options: TenantSummaryOptions) {
    const covered = coveredEnd(options.interval, options.generatedAt) - options.interval.start;
    this.coveredMs = Math.max(covered, 0);
  }

  push(lines: ReadonlyArray<TenantReportLine>): void {
    const n = lines.length;
    for (let i = 0; i < n; i++) {
      const line = lines[i] as TenantReportLine;
      const tenant = this.tenantLine;
      if (tenant === undefined || line.tenantId !== tenant.tenantId) {
        if (tenant !== undefined) this.completeTenant();
        this.tenantLine = line;
        this.lastVmId = line.vmId;
        this.vmCount = 1;
      } else if (line.vmId !== this.lastVmId) {
        this.lastVmId = line.vmId;
        this.vmCount++;
      }
      this.protectedMs += line.end - line.start;
      if (this.count === this.starts.length) this.grow();
      this.starts[this.count] = line.start;
      this.ends[this.count] = line.end;
      this.count++;
    }
  }

  finish(): TenantSummary[] {
    if (this.tenantLine !== undefined) this.completeTenant();
    this.tenantLine = undefined;
    return this.summaries.splice(0);
  }

  private grow(): void {
    const starts = new Float64Array(this.starts.length * 2);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Float64Array(this.ends.length * 2);
    ends.set(this.ends);
    this.ends = ends;
  }

  private completeTenant(): void {
    const tenant = this.tenantLine as TenantReportLine;
    const n = this.count;
    const starts = this.starts.subarray(0, n).sort();
    const ends = this.ends.subarray(0, n).sort();
    // Two pointers over the sorted starts and ends; an end at `t` is taken before a start at
    // `t`, and only a start can raise the count, so the peak is first reached at a start.
    let concurrent = 0;
    let peak = 0;
    let peakAt: Instant | null = null;
    let j = 0;
    for (let i = 0; i < n; i++) {
      const start = starts[i] as number;
      while ((ends[j] as number) <= start) {
        j++;
        concurrent--;
      }
      concurrent++;
      if (concurrent > peak) {
        peak = concurrent;
        peakAt = start;
      }
    }
    this.summaries.push({
      tenantId: tenant.tenantId,
      tenantName: tenant.tenantName,
      vmCount: this.vmCount,
      protectedMs: this.protectedMs,
      peakConcurrent: peak,
      peakAt,
      averageConcurrent: this.coveredMs > 0 ? this.protectedMs / this.coveredMs : 0,
    });
    this.count = 0;
    this.vmCount = 0;
    this.protectedMs = 0;
  }
}

/** Creates a fold of report lines into per-tenant summaries. */
export const makeTenantSummaryFold = (options: TenantSummaryOptions): TenantSummaryFold =>
  new SweepingTenantSummaryFold(options);

/** Runs a stream of report lines (in report order) into the per-tenant summaries. */
export const summarizeTenantLines = <E, R>(
  lines: Stream.Stream<TenantReportLine, E, R>,
  options: TenantSummaryOptions,
): Effect.Effect<ReadonlyArray<TenantSummary>, E, R> =>
  Effect.suspend(() => {
    const fold = makeTenantSummaryFold(options);
    return Effect.map(
      Stream.runForEachArray(lines, (chunk) => Effect.sync(() => fold.push(chunk))),
      () => fold.finish(),
    );
  });
