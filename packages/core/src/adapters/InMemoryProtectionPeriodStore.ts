/**
 * The in-memory ProtectionPeriodStore. It reads VMs and tenants from the same tables as the
 * in-memory TenantDirectory (build both with `InMemoryFacts.make()`), since periods are
 * reported joined with them and may name only known VMs.
 *
 * `streamOverlapping` selects and sorts the matching rows when the stream is run, then emits
 * them in chunks; the rows already live in memory, so this holds one more array of references,
 * not a second copy of the data.
 */
import { Effect, Layer, Option, Stream } from "effect";
import { compareCodePoints, compareNullableLast } from "../domain/CodePointOrder.ts";
import { StorageError } from "../domain/errors.ts";
import type { PeriodRow, ProtectionPeriod } from "../domain/ProtectionPeriod.ts";
import type { ReportingInterval } from "../domain/ReportingInterval.ts";
import type { TenantFilter, Vm } from "../domain/Tenant.ts";
import { ProtectionPeriodStore } from "../ports/ProtectionPeriodStore.ts";
import { emptyFactTables, type FactTables, inChunks } from "./InMemoryFactTables.ts";

/** A period store over `tables` (fresh, empty ones by default: every VM is then unknown). */
export const make = (tables: FactTables = emptyFactTables()): ProtectionPeriodStore["Service"] =>
  ProtectionPeriodStore.of({
    upsertPeriods: (periods) =>
      Effect.suspend(() => {
        const unknown = periods.find((period) => !tables.vms.has(period.vmId));
        if (unknown !== undefined) {
          return Effect.fail(
            new StorageError({
              reason: "ConstraintViolation",
              operation: "upsertPeriods",
              detail: `protection period '${unknown.id}' names VM '${unknown.vmId}', which does not exist`,
            }),
          );
        }
        for (const period of periods) tables.periods.set(period.id, copyPeriod(period));
        return Effect.void;
      }),
    streamOverlapping: (interval, filter) =>
      Stream.suspend(() =>
        Stream.fromArrays(...inChunks(overlappingRows(tables, interval, filter))),
      ),
    countOverlapping: (interval, filter) =>
      Effect.sync(() => {
        let count = 0;
        for (const period of tables.periods.values()) {
          const vm = tables.vms.get(period.vmId);
          if (vm !== undefined && selects(filter, vm) && overlapsInterval(period, interval))
            count++;
        }
        return count;
      }),
    earliestStart: (filter) =>
      Effect.sync(() => {
        let earliest: number | undefined;
        for (const period of tables.periods.values()) {
          const vm = tables.vms.get(period.vmId);
          if (vm === undefined || !selects(filter, vm)) continue;
          if (earliest === undefined || period.start < earliest) earliest = period.start;
        }
        return Option.fromUndefinedOr(earliest);
      }),
  });

/** A layer with a fresh, empty store each time it is built (no VMs: use `InMemoryFacts`). */
export const layer: Layer.Layer<ProtectionPeriodStore> = Layer.sync(ProtectionPeriodStore, () =>
  make(),
);

/** True when the filter selects the VM: all tenants takes every VM, also those of no tenant. */
const selects = (filter: TenantFilter, vm: Vm): boolean =>
  filter._tag === "AllTenants" || vm.tenantId === filter.tenantId;

/** The port's overlap rule, exactly: `start < interval.end` and `end` null or `> interval.start`. */
const overlapsInterval = (period: ProtectionPeriod, interval: ReportingInterval): boolean =>
  period.start < interval.end && (period.end === null || period.end > interval.start);

/**
 * The matching rows in store order. Rows are grouped by VM first, so strings are compared only
 * to order the VMs, and each VM's periods are ordered by their numbers: a million rows sort in
 * a fraction of the time one comparator over all of them would take.
 */
const overlappingRows = (
  tables: FactTables,
  interval: ReportingInterval,
  filter: TenantFilter,
): Array<PeriodRow> => {
  const byVm = new Map<string, Array<PeriodRow>>();
  for (const period of tables.periods.values()) {
    const vm = tables.vms.get(period.vmId);
    if (vm === undefined || !selects(filter, vm) || !overlapsInterval(period, interval)) continue;
    const tenant = vm.tenantId === null ? undefined : tables.tenants.get(vm.tenantId);
    const row: PeriodRow = {
      tenantId: vm.tenantId,
      tenantName: tenant === undefined ? null : tenant.name,
      vmId: vm.id,
      vmName: vm.name,
      start: period.start,
      end: period.end,
    };
    const rows = byVm.get(vm.id);
    if (rows === undefined) byVm.set(vm.id, [row]);
    else rows.push(row);
  }
  const groups = [...byVm.values()].sort((a, b) =>
    compareRows(a[0] as PeriodRow, b[0] as PeriodRow),
  );
  const ordered: Array<PeriodRow> = [];
  for (const rows of groups) {
    rows.sort(compareBounds);
    for (const row of rows) ordered.push(row);
  }
  return ordered;
};

/** Store order of VMs: tenantId (no tenant last), then vmId; strings by code point. */
const compareRows = (a: PeriodRow, b: PeriodRow): number =>
  compareNullableLast(a.tenantId, b.tenantId) || compareCodePoints(a.vmId, b.vmId);

/** Store order within a VM: start, then end (no end last). */
const compareBounds = (a: PeriodRow, b: PeriodRow): number =>
  a.start - b.start || compareEnds(a.end, b.end);

/** Ends in ascending order, a period without end after every end. */
const compareEnds = (a: number | null, b: number | null): number =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a - b;

const copyPeriod = (period: ProtectionPeriod): ProtectionPeriod => ({
  id: period.id,
  vmId: period.vmId,
  start: period.start,
  end: period.end,
});
