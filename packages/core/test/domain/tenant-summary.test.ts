import { Effect, Stream } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareCodePoints, compareNullableLast } from "../../src/domain/CodePointOrder.ts";
import { makePeriodMerger } from "../../src/domain/PeriodMerge.ts";
import type { PeriodRow } from "../../src/domain/ProtectionPeriod.ts";
import type { TenantReportLine, TenantSummary } from "../../src/domain/ReportContent.ts";
import {
  makeTenantSummaryFold,
  summarizeTenantLines,
  type TenantSummaryOptions,
} from "../../src/domain/TenantSummaryFold.ts";

// Integer bounds in [0, GRID): the number of lines containing an instant is constant on each
// [k, k + 1), so stepping through the integers is an exact brute force.
const GRID = 70;

interface Scenario {
  readonly lines: TenantReportLine[];
  readonly options: TenantSummaryOptions;
}

const byStoreOrder = (a: PeriodRow, b: PeriodRow): number =>
  compareNullableLast(a.tenantId, b.tenantId) ||
  compareCodePoints(a.vmId, b.vmId) ||
  a.start - b.start;

/** Report lines as the merger makes them from random periods (disjoint per VM). */
const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    vms: fc.uniqueArray(
      fc.record({
        vmId: fc.constantFrom("v1", "v2", "v3", "v4", "v5", "v6"),
        tenantId: fc.constantFrom<string | null>("t1", "t2", "\u{1F600}", null),
        periods: fc.array(
          fc.record({
            start: fc.integer({ min: 0, max: 55 }),
            length: fc.option(fc.integer({ min: 1, max: 20 }), { freq: 4, nil: null }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
      }),
      { selector: (vm) => vm.vmId, maxLength: 6 },
    ),
    start: fc.integer({ min: 0, max: 40 }),
    length: fc.integer({ min: 1, max: 29 }),
    generatedAt: fc.integer({ min: 0, max: GRID - 1 }),
  })
  .map(({ vms, start, length, generatedAt }) => {
    const options = { interval: { start, end: start + length }, generatedAt };
    const rows = vms
      .flatMap((vm) =>
        vm.periods.map((p) => ({
          tenantId: vm.tenantId,
          tenantName: vm.tenantId === null ? null : `Tenant ${vm.tenantId}`,
          vmId: vm.vmId,
          vmName: vm.vmId,
          start: p.start,
          end: p.length === null ? null : p.start + p.length,
        })),
      )
      .sort(byStoreOrder);
    const merger = makePeriodMerger(options);
    return { lines: [...merger.push(rows), ...merger.flush()], options };
  });

const summarize = (
  lines: ReadonlyArray<TenantReportLine>,
  options: TenantSummaryOptions,
): TenantSummary[] => {
  const fold = makeTenantSummaryFold(options);
  fold.push(lines);
  return fold.finish();
};

/** The summaries by stepping through every instant of the grid. */
const bruteForce = (lines: ReadonlyArray<TenantReportLine>, options: TenantSummaryOptions) => {
  const tenants = [...new Set(lines.map((l) => l.tenantId))];
  const covered = Math.min(options.interval.end, options.generatedAt) - options.interval.start;
  return tenants.map((tenantId) => {
    const own = lines.filter((l) => l.tenantId === tenantId);
    let protectedMs = 0;
    let peak = 0;
    let peakAt: number | null = null;
    for (let x = 0; x < GRID; x++) {
      const concurrent = own.filter((l) => l.start <= x && x < l.end).length;
      protectedMs += concurrent;
      if (concurrent > peak) {
        peak = concurrent;
        peakAt = x;
      }
    }
    return {
      tenantId,
      tenantName: own[0]?.tenantName ?? null,
      vmCount: new Set(own.map((l) => l.vmId)).size,
      protectedMs,
      peakConcurrent: peak,
      peakAt,
      averageConcurrent: covered > 0 ? protectedMs / covered : 0,
    };
  });
};

const line = (
  vmId: string,
  start: number,
  end: number,
  tenantId: string | null = "t1",
): TenantReportLine => ({
  tenantId,
  tenantName: tenantId === null ? null : `Tenant ${tenantId}`,
  vmId,
  vmName: vmId,
  start,
  end,
  ongoing: false,
});

describe("summarizing a tenant report per tenant", () => {
  it("agrees with a brute-force count over every instant", () => {
    fc.assert(
      fc.property(scenarioArb, ({ lines, options }) => {
        expect(summarize(lines, options)).toEqual(bruteForce(lines, options));
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same summaries however the lines are chunked, pushed or streamed", async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArb,
        fc.array(fc.nat({ max: 40 }), { maxLength: 6 }),
        async ({ lines, options }, cuts) => {
          const expected = summarize(lines, options);
          const points = [...new Set(cuts.map((c) => c % (lines.length + 1)))].sort(
            (a, b) => a - b,
          );
          const chunks = [...points, lines.length].map((p, i, all) =>
            lines.slice(i === 0 ? 0 : (all[i - 1] as number), p),
          );
          const fold = makeTenantSummaryFold(options);
          for (const chunk of chunks) fold.push(chunk);
          expect(fold.finish()).toEqual(expected);
          const run = summarizeTenantLines(Stream.fromArrays(...chunks), options);
          expect(await Effect.runPromise(run)).toEqual(expected);
          expect(await Effect.runPromise(run)).toEqual(expected);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("grows its sweep buffers past their initial size for a large tenant", () => {
    // 3000 VMs of one tenant, VM i protected over [i, i + 10): at most 10 at once.
    const lines = Array.from({ length: 3000 }, (_, i) =>
      line(`vm${String(i).padStart(5, "0")}`, i, i + 10),
    );
    const [summary] = summarize(lines, { interval: { start: 0, end: 4000 }, generatedAt: 4000 });
    expect(summary).toMatchObject({
      vmCount: 3000,
      protectedMs: 30_000,
      peakConcurrent: 10,
      peakAt: 9,
    });
  });

  describe("examples", () => {
    const options = { interval: { start: 0, end: 100 }, generatedAt: 1_000 };

    it("counts VMs, protected time, the first peak and the average per tenant", () => {
      const summaries = summarize(
        [
          line("a", 0, 10),
          line("a", 50, 60),
          line("b", 5, 20),
          line("c", 55, 70),
          line("d", 58, 59),
          line("x", 0, 100, "t2"),
        ],
        options,
      );
      expect(summaries).toEqual([
        {
          tenantId: "t1",
          tenantName: "Tenant t1",
          vmCount: 4,
          protectedMs: 10 + 10 + 15 + 15 + 1,
          peakConcurrent: 3,
          peakAt: 58,
          averageConcurrent: 51 / 100,
        },
        {
          tenantId: "t2",
          tenantName: "Tenant t2",
          vmCount: 1,
          protectedMs: 100,
          peakConcurrent: 1,
          peakAt: 0,
          averageConcurrent: 1,
        },
      ]);
    });

    it("does not count a VM that ends as another starts as concurrent with it", () => {
      const [summary] = summarize([line("a", 10, 20), line("b", 20, 30)], options);
      expect(summary).toMatchObject({ peakConcurrent: 1, peakAt: 10 });
    });

    it("averages over the interval only up to the generation time", () => {
      const [summary] = summarize([line("a", 0, 30)], {
        interval: { start: 0, end: 100 },
        generatedAt: 60,
      });
      expect(summary?.averageConcurrent).toBe(0.5);
    });

    it("gives an average of 0, not a division by zero, when nothing of the interval is covered", () => {
      // Generated before the interval began: no time is covered, whatever lines are folded.
      const [summary] = summarize([line("a", 0, 30)], {
        interval: { start: 0, end: 100 },
        generatedAt: -5,
      });
      expect(summary).toMatchObject({ protectedMs: 30, averageConcurrent: 0 });
    });

    it("puts VMs of no tenant in a last summary with empty tenant fields", () => {
      const summaries = summarize([line("a", 0, 10, "t1"), line("b", 0, 10, null)], options);
      expect(summaries.map((s) => [s.tenantId, s.tenantName])).toEqual([
        ["t1", "Tenant t1"],
        [null, null],
      ]);
    });

    it("gives no summaries for no lines", () => {
      expect(summarize([], options)).toEqual([]);
    });
  });
});
