import { Effect, Stream } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareCodePoints, compareNullableLast } from "../../src/domain/CodePointOrder.ts";
import {
  makePeriodMerger,
  mergeIntervals,
  mergePeriodRows,
  type PeriodMergeOptions,
} from "../../src/domain/PeriodMerge.ts";
import type { PeriodRow } from "../../src/domain/ProtectionPeriod.ts";
import type { TenantReportLine } from "../../src/domain/ReportContent.ts";

// Small integer grids: every bound is an integer in [0, GRID), so two unions of half-open
// periods are equal exactly when they contain the same integer instants.
const GRID = 60;

const byStoreOrder = (a: PeriodRow, b: PeriodRow): number =>
  compareNullableLast(a.tenantId, b.tenantId) ||
  compareCodePoints(a.vmId, b.vmId) ||
  a.start - b.start ||
  (a.end ?? Number.POSITIVE_INFINITY) - (b.end ?? Number.POSITIVE_INFINITY);

interface Scenario {
  readonly rows: PeriodRow[];
  readonly options: PeriodMergeOptions;
}

const vmArb = fc.record({
  // "\u{1F600}" sorts after "\uFFFD" by code point, though not by UTF-16 unit.
  vmId: fc.constantFrom("v1", "v2", "V3", "\uFFFDv", "\u{1F600}v"),
  tenantId: fc.constantFrom<string | null>("t1", "t2", "\u{1F600}", null),
  periods: fc.array(
    fc.record({
      start: fc.integer({ min: 0, max: 45 }),
      length: fc.option(fc.integer({ min: 1, max: 14 }), { freq: 4, nil: null }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    vms: fc.uniqueArray(vmArb, { selector: (vm) => vm.vmId, maxLength: 5 }),
    start: fc.integer({ min: 0, max: 40 }),
    length: fc.integer({ min: 1, max: 25 }),
    generatedAt: fc.integer({ min: 0, max: GRID - 1 }),
  })
  .map(({ vms, start, length, generatedAt }) => ({
    rows: vms
      .flatMap((vm) =>
        vm.periods.map((p) => ({
          tenantId: vm.tenantId,
          tenantName: vm.tenantId === null ? null : `Tenant ${vm.tenantId}`,
          vmId: vm.vmId,
          vmName: `VM ${vm.vmId}`,
          start: p.start,
          end: p.length === null ? null : p.start + p.length,
        })),
      )
      .sort(byStoreOrder),
    options: { interval: { start, end: start + length }, generatedAt },
  }));

const merge = (rows: ReadonlyArray<PeriodRow>, options: PeriodMergeOptions): TenantReportLine[] => {
  const merger = makePeriodMerger(options);
  return [...merger.push(rows), ...merger.flush()];
};

const covers = (start: number, end: number | null, x: number): boolean =>
  start <= x && (end === null || x < end);

/** Splits rows into consecutive chunks at the given cut points. */
const chunked = <A>(items: ReadonlyArray<A>, cuts: ReadonlyArray<number>): A[][] => {
  const points = [...new Set(cuts.map((c) => c % (items.length + 1)))].sort((a, b) => a - b);
  const chunks: A[][] = [];
  let from = 0;
  for (const p of [...points, items.length]) {
    chunks.push(items.slice(from, p));
    from = p;
  }
  return chunks;
};

const row = (
  vmId: string,
  start: number,
  end: number | null,
  tenantId: string | null = "t1",
): PeriodRow => ({
  tenantId,
  tenantName: tenantId === null ? null : `Tenant ${tenantId}`,
  vmId,
  vmName: `VM ${vmId}`,
  start,
  end,
});

describe("merging protection periods into report lines", () => {
  it("covers, per VM, exactly the union of its periods clipped to the covered interval", () => {
    fc.assert(
      fc.property(scenarioArb, ({ rows, options }) => {
        const lines = merge(rows, options);
        const coveredEnd = Math.min(options.interval.end, options.generatedAt);
        for (const vmId of new Set(rows.map((r) => r.vmId))) {
          const vmRows = rows.filter((r) => r.vmId === vmId);
          const vmLines = lines.filter((l) => l.vmId === vmId);
          for (let x = 0; x < GRID; x++) {
            const expected =
              x >= options.interval.start &&
              x < coveredEnd &&
              vmRows.some((r) => covers(r.start, r.end, x));
            const actual = vmLines.some((l) => covers(l.start, l.end, x));
            expect(actual, `VM ${vmId} at ${x}`).toBe(expected);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("gives each VM disjoint, non-touching, non-empty lines inside the covered interval, in report order", () => {
    fc.assert(
      fc.property(scenarioArb, ({ rows, options }) => {
        const lines = merge(rows, options);
        const coveredEnd = Math.min(options.interval.end, options.generatedAt);
        const perVm = new Map<string, number>();
        for (let i = 0; i < lines.length; i++) {
          const line = lines[i] as TenantReportLine;
          expect(line.start).toBeLessThan(line.end);
          expect(line.start).toBeGreaterThanOrEqual(options.interval.start);
          expect(line.end).toBeLessThanOrEqual(coveredEnd);
          perVm.set(line.vmId, (perVm.get(line.vmId) ?? 0) + line.end - line.start);
          const previous = lines[i - 1];
          if (previous === undefined) continue;
          const order =
            compareNullableLast(previous.tenantId, line.tenantId) ||
            compareCodePoints(previous.vmId, line.vmId);
          expect(order).toBeLessThanOrEqual(0);
          if (order === 0) expect(previous.end).toBeLessThan(line.start);
        }
        for (const total of perVm.values()) {
          expect(total).toBeLessThanOrEqual(coveredEnd - options.interval.start);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("marks a line ongoing exactly when its VM is still protected at generation time", () => {
    fc.assert(
      fc.property(scenarioArb, ({ rows, options }) => {
        for (const line of merge(rows, options)) {
          // Ongoing: the VM's protection runs without a break from the line's start through
          // the generation time.
          let expected = true;
          for (let x = line.start; x <= options.generatedAt; x++) {
            if (!rows.some((r) => r.vmId === line.vmId && covers(r.start, r.end, x))) {
              expected = false;
            }
          }
          expect(line.ongoing).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("is idempotent: merging merged lines gives them back", () => {
    fc.assert(
      fc.property(scenarioArb, ({ rows, options }) => {
        const lines = merge(rows, options);
        const again = merge(
          lines.map((l) => ({ ...l, end: l.ongoing ? null : l.end })),
          options,
        );
        expect(again).toEqual(lines);
      }),
      { numRuns: 200 },
    );
  });

  it("does not depend on the order of rows that the store order leaves free", () => {
    fc.assert(
      fc.property(
        scenarioArb.chain((s) =>
          fc.tuple(fc.constant(s), fc.array(fc.integer(), { minLength: s.rows.length })),
        ),
        ([{ rows, options }, keys]) => {
          const shuffled = rows
            .map((r, i) => ({ r, key: keys[i] as number }))
            .sort(
              (a, b) =>
                compareNullableLast(a.r.tenantId, b.r.tenantId) ||
                compareCodePoints(a.r.vmId, b.r.vmId) ||
                a.r.start - b.r.start ||
                a.key - b.key,
            )
            .map(({ r }) => r);
          expect(merge(shuffled, options)).toEqual(merge(rows, options));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("gives the same lines however the rows are chunked, pushed or streamed", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, fc.array(fc.nat()), async ({ rows, options }, cuts) => {
        const expected = merge(rows, options);
        const chunks = chunked(rows, cuts);
        const merger = makePeriodMerger(options);
        const pushed = [...chunks.flatMap((c) => merger.push(c)), ...merger.flush()];
        expect(pushed).toEqual(expected);
        // Flushed, the merger holds nothing: flushing again gives nothing, and it can be fed afresh.
        expect(merger.flush()).toEqual([]);
        expect([...merger.push(rows), ...merger.flush()]).toEqual(expected);
        const stream = mergePeriodRows(Stream.fromArrays(...chunks), options);
        expect(await Effect.runPromise(Stream.runCollect(stream))).toEqual(expected);
        // A Stream value may be run again: each run gets its own merger.
        expect(await Effect.runPromise(Stream.runCollect(stream))).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it("unions plain periods into disjoint, non-touching, non-empty periods covering the same instants", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            start: fc.integer({ min: 0, max: 40 }),
            end: fc.option(fc.integer({ min: 0, max: 50 }), { freq: 4, nil: null }),
          }),
        ),
        (periods) => {
          const merged = mergeIntervals(periods);
          for (let x = -1; x < GRID; x++) {
            expect(merged.some((p) => covers(p.start, p.end, x))).toBe(
              periods.some((p) => covers(p.start, p.end, x)),
            );
          }
          for (const p of merged) if (p.end !== null) expect(p.start).toBeLessThan(p.end);
          for (let i = 1; i < merged.length; i++) {
            const previous = merged[i - 1] as { end: number | null };
            expect(previous.end).not.toBeNull();
            expect(previous.end as number).toBeLessThan((merged[i] as { start: number }).start);
          }
          expect(mergeIntervals(merged)).toEqual(merged);
        },
      ),
      { numRuns: 300 },
    );
  });

  describe("examples", () => {
    const options = { interval: { start: 100, end: 200 }, generatedAt: 1_000 };

    it("merges overlapping, duplicated and touching periods of one VM into one line", () => {
      const lines = merge(
        [row("vm", 110, 130), row("vm", 110, 130), row("vm", 120, 140), row("vm", 140, 150)],
        options,
      );
      expect(lines).toEqual([
        {
          tenantId: "t1",
          tenantName: "Tenant t1",
          vmId: "vm",
          vmName: "VM vm",
          start: 110,
          end: 150,
          ongoing: false,
        },
      ]);
    });

    it("drops empty and reversed plain periods from a union", () => {
      expect(
        mergeIntervals([
          { start: 5, end: 5 },
          { start: 9, end: 3 },
          { start: 20, end: 30 },
        ]),
      ).toEqual([{ start: 20, end: 30 }]);
    });

    it("keeps periods separated by a gap as separate lines", () => {
      const lines = merge([row("vm", 110, 120), row("vm", 121, 130)], options);
      expect(lines.map((l) => [l.start, l.end])).toEqual([
        [110, 120],
        [121, 130],
      ]);
    });

    it("clips periods to the interval and drops those outside it", () => {
      const lines = merge(
        [row("a", 50, 90), row("a", 95, 105), row("a", 190, 250), row("b", 200, 210)],
        options,
      );
      expect(lines.map((l) => [l.vmId, l.start, l.end])).toEqual([
        ["a", 100, 105],
        ["a", 190, 200],
      ]);
    });

    it("ends an ongoing period at the interval end and marks it ongoing", () => {
      const [line] = merge([row("vm", 150, null)], options);
      expect(line).toMatchObject({ start: 150, end: 200, ongoing: true });
    });

    it("counts a period that ends in the future only up to the generation time", () => {
      const lines = merge([row("a", 120, 500), row("b", 130, null)], {
        interval: { start: 100, end: 1_000 },
        generatedAt: 300,
      });
      expect(lines.map((l) => [l.vmId, l.start, l.end, l.ongoing])).toEqual([
        ["a", 120, 300, true],
        ["b", 130, 300, true],
      ]);
    });

    it("reports nothing for an interval that lies after the generation time", () => {
      expect(
        merge([row("vm", 0, null)], { interval: { start: 100, end: 200 }, generatedAt: 50 }),
      ).toEqual([]);
    });

    it("lists VMs of no tenant after every tenant, with empty tenant fields", () => {
      const lines = merge(
        [row("a", 110, 120, "t1"), row("z", 110, 120, "t2"), row("b", 110, 120, null)],
        options,
      );
      expect(lines.map((l) => [l.tenantId, l.tenantName, l.vmId])).toEqual([
        ["t1", "Tenant t1", "a"],
        ["t2", "Tenant t2", "z"],
        [null, null, "b"],
      ]);
    });

    it("keeps the periods of a VM id seen under two tenants apart, one line per tenant", () => {
      // The VM moved to another tenant while the report read: each tenant keeps its own time.
      const lines = merge([row("vm", 110, 130, "t1"), row("vm", 120, 150, "t2")], options);
      expect(lines.map((l) => [l.tenantId, l.vmId, l.start, l.end])).toEqual([
        ["t1", "vm", 110, 130],
        ["t2", "vm", 120, 150],
      ]);
    });

    it("refuses rows out of store order, naming both rows", () => {
      expect(() =>
        merge([row("vm", 100, 160), row("vm", 150, 160), row("vm", 120, 130)], options),
      ).toThrow(/out of store order.*\(tenantId "t1", vmId "vm"\) has start 120 after start 150/);
      expect(() => merge([row("b", 110, 120), row("a", 110, 120)], options)).toThrow(
        /\(tenantId "t1", vmId "a"\) comes after \(tenantId "t1", vmId "b"\)/,
      );
      expect(() => merge([row("a", 110, 120, null), row("b", 110, 120, "t1")], options)).toThrow(
        /\(tenantId "t1", vmId "b"\) comes after \(tenantId null, vmId "a"\)/,
      );
    });
  });
});
