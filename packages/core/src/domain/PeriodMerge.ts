/**
 * Merging protection periods into the lines of a tenant protection report.
 *
 * Periods of one VM may arrive overlapping or duplicated; a report counts a VM's protected time
 * once, so each VM's periods are replaced by their union. Periods that touch (`[a, b)` then
 * `[b, c)`) merge too: the VM was protected without a break. Each merged period is then clipped
 * to the covered part of the interval, `[interval.start, min(interval.end, generatedAt))`:
 * protection after the report was generated has not happened yet. Lines whose clip is empty are
 * dropped, so every line has `start < end`. A line is `ongoing` when its VM is still protected
 * when the report is generated: the merged period has no end, or ends after `generatedAt`.
 *
 * The input is in store order (tenantId with VMs of no tenant last, vmId, start, end, strings by
 * code point; see `PeriodRow`), which makes the union a single pass that holds only the current
 * VM's merged run: memory is O(1) whatever the number of rows. This is the hot path of reports
 * with millions of rows, hence plain loops and a class instead of per-row closures.
 */
import { Stream } from "effect";
import { compareCodePoints, compareNullableLast } from "./CodePointOrder.ts";
import type { Instant } from "./Instant.ts";
import type { PeriodRow } from "./ProtectionPeriod.ts";
import type { TenantReportLine } from "./ReportContent.ts";
import { coveredEnd, type ReportingInterval } from "./ReportingInterval.ts";

/** What a merge needs to know: the interval and when the report is generated. */
export interface PeriodMergeOptions {
  readonly interval: ReportingInterval;
  /** The generation time; protection is counted up to `min(interval.end, generatedAt)`. */
  readonly generatedAt: Instant;
}

/** A stateful merger of period rows in store order, fed chunk by chunk. */
export interface PeriodMerger {
  /** Consumes the next rows; returns the lines completed so far, in report order. */
  readonly push: (rows: ReadonlyArray<PeriodRow>) => TenantReportLine[];
  /** Ends the input; returns the last line, if any. The merger may then be fed again afresh. */
  readonly flush: () => TenantReportLine[];
}

/** A protection period as plain bounds; `end === null` means it has not ended. */
export interface PeriodBounds {
  readonly start: Instant;
  readonly end: Instant | null;
}

class StoreOrderMerger implements PeriodMerger {
  private readonly clipStart: number;
  private readonly clipEnd: number;
  private readonly generatedAt: number;
  /** The first row of the current run: its VM and tenant identify the run. */
  private runRow: PeriodRow | undefined = undefined;
  private runStart = 0;
  /** `Infinity` while the run contains a period without end. */
  private runEnd = 0;
  private lastStart = 0;

  constructor(options: PeriodMergeOptions) {
    this.clipStart = options.interval.start;
    this.clipEnd = coveredEnd(options.interval, options.generatedAt);
    this.generatedAt = options.generatedAt;
  }

  push(rows: ReadonlyArray<PeriodRow>): TenantReportLine[] {
    const out: TenantReportLine[] = [];
    const n = rows.length;
    for (let i = 0; i < n; i++) {
      const row = rows[i] as PeriodRow;
      const end = row.end === null ? Number.POSITIVE_INFINITY : row.end;
      const run = this.runRow;
      if (run !== undefined && row.vmId === run.vmId && row.tenantId === run.tenantId) {
        if (row.start < this.lastStart) {
          outOfOrder(`${describeVm(row)} has start ${row.start} after start ${this.lastStart}`);
        }
        this.lastStart = row.start;
        if (row.start <= this.runEnd) {
          if (end > this.runEnd) this.runEnd = end;
          continue;
        }
        this.emit(out);
      } else if (run !== undefined) {
        checkVmOrder(run, row);
        this.emit(out);
      }
      this.runRow = row;
      this.runStart = row.start;
      this.runEnd = end;
      this.lastStart = row.start;
    }
    return out;
  }

  flush(): TenantReportLine[] {
    const out: TenantReportLine[] = [];
    if (this.runRow !== undefined) this.emit(out);
    this.runRow = undefined;
    return out;
  }

  private emit(out: TenantReportLine[]): void {
    const run = this.runRow as PeriodRow;
    const start = Math.max(this.runStart, this.clipStart);
    const end = Math.min(this.runEnd, this.clipEnd);
    if (start < end) {
      out.push({
        tenantId: run.tenantId,
        tenantName: run.tenantName,
        vmId: run.vmId,
        vmName: run.vmName,
        start,
        end,
        ongoing: this.runEnd > this.generatedAt,
      });
    }
  }
}

const describeVm = (row: PeriodRow): string =>
  `(tenantId ${JSON.stringify(row.tenantId)}, vmId ${JSON.stringify(row.vmId)})`;

const outOfOrder = (detail: string): never => {
  throw new Error(
    `protection period rows out of store order (tenantId, vmId, start, end): ${detail}`,
  );
};

/** A new VM must sort after the previous one, or its periods would be merged in pieces. */
const checkVmOrder = (previous: PeriodRow, row: PeriodRow): void => {
  const byTenant = compareNullableLast(previous.tenantId, row.tenantId);
  if (byTenant > 0 || (byTenant === 0 && compareCodePoints(previous.vmId, row.vmId) > 0)) {
    outOfOrder(`${describeVm(row)} comes after ${describeVm(previous)}`);
  }
};

/**
 * Creates a merger of period rows in store order. Rows that break the store order throw a
 * defect naming both rows: merging them would silently count a VM twice.
 */
export const makePeriodMerger = (options: PeriodMergeOptions): PeriodMerger =>
  new StoreOrderMerger(options);

/**
 * Merges a stream of period rows in store order into report lines, chunk by chunk; each run of
 * the stream gets its own merger, so the stream value can be run any number of times.
 */
export const mergePeriodRows = <E, R>(
  rows: Stream.Stream<PeriodRow, E, R>,
  options: PeriodMergeOptions,
): Stream.Stream<TenantReportLine, E, R> =>
  Stream.suspend(() => {
    const merger = makePeriodMerger(options);
    return Stream.concat(
      Stream.mapAccumArray(
        rows,
        () => merger,
        (state, chunk) => [state, state.push(chunk)],
      ),
      Stream.suspend(() => Stream.fromArray(merger.flush())),
    );
  });

/**
 * The union of half-open periods (`end === null` is unbounded), as disjoint, non-touching
 * periods ordered by start. Periods with `end <= start` are empty and vanish.
 */
export const mergeIntervals = (periods: ReadonlyArray<PeriodBounds>): PeriodBounds[] => {
  const sorted = periods
    .filter((p) => p.end === null || p.start < p.end)
    .sort((a, b) => a.start - b.start);
  const merged: PeriodBounds[] = [];
  let current: { start: number; end: number | null } | undefined;
  for (const p of sorted) {
    if (current !== undefined && (current.end === null || p.start <= current.end)) {
      if (current.end !== null && (p.end === null || p.end > current.end)) current.end = p.end;
    } else {
      current = { start: p.start, end: p.end };
      merged.push(current);
    }
  }
  return merged;
};
