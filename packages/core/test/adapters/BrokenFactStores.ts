/**
 * Deliberately broken fact stores, each with a bug a real adapter could have. They exist to
 * prove that the contract suites catch such bugs: every one must fail some of its checks.
 */
import { Context, Effect, Layer, Stream } from "effect";
import { InMemoryFacts, InMemoryLicenseStore } from "../../src/adapters/index.ts";
import type { PeriodRow } from "../../src/domain/ProtectionPeriod.ts";
import { LicenseStore } from "../../src/ports/LicenseStore.ts";
import { ProtectionPeriodStore } from "../../src/ports/ProtectionPeriodStore.ts";
import { TenantDirectory } from "../../src/ports/TenantDirectory.ts";

type PeriodStore = ProtectionPeriodStore["Service"];

/** The in-memory fact stores with the period store replaced by `broken(inner)`. */
const withBrokenPeriods = (
  broken: (inner: PeriodStore) => PeriodStore,
): Layer.Layer<TenantDirectory | ProtectionPeriodStore> =>
  Layer.syncContext(() => {
    const stores = InMemoryFacts.make();
    return Context.make(TenantDirectory, stores.tenantDirectory).pipe(
      Context.add(ProtectionPeriodStore, broken(stores.protectionPeriodStore)),
    );
  });

/** Takes `end >= interval.start` for an overlap: a period ending as the interval begins is in. */
export const inclusiveStartPeriodStore = withBrokenPeriods((inner) => ({
  ...inner,
  streamOverlapping: (interval, filter) =>
    inner.streamOverlapping({ start: interval.start - 1, end: interval.end }, filter),
}));

/** Sorts with JavaScript's `<` (UTF-16 code units), as a store with the wrong collation would. */
export const utf16OrderPeriodStore = withBrokenPeriods((inner) => ({
  ...inner,
  streamOverlapping: (interval, filter) =>
    Stream.fromArrayEffect(
      Effect.map(Stream.runCollect(inner.streamOverlapping(interval, filter)), (rows) =>
        [...rows].sort(
          (a: PeriodRow, b: PeriodRow) =>
            compareUtf16(
              a.tenantId ?? "\u{10FFFF}\u{10FFFF}",
              b.tenantId ?? "\u{10FFFF}\u{10FFFF}",
            ) ||
            compareUtf16(a.vmId, b.vmId) ||
            a.start - b.start,
        ),
      ),
    ),
}));

/** Puts VMs of no tenant first, as SQLite's default `NULLS FIRST` would. */
export const nullsFirstPeriodStore = withBrokenPeriods((inner) => ({
  ...inner,
  streamOverlapping: (interval, filter) =>
    Stream.fromArrayEffect(
      Effect.map(Stream.runCollect(inner.streamOverlapping(interval, filter)), (rows) => [
        ...rows.filter((row) => row.tenantId === null),
        ...rows.filter((row) => row.tenantId !== null),
      ]),
    ),
}));

/** Writes the periods of a batch one by one, so a bad one leaves the earlier ones behind. */
export const nonAtomicPeriodStore = withBrokenPeriods((inner) => ({
  ...inner,
  upsertPeriods: (periods) =>
    Effect.forEach(periods, (period) => inner.upsertPeriods([period]), { discard: true }),
}));

/** Takes `at <= until`: an event at exactly `until` is included. */
export const inclusiveUntilLicenseStore: Layer.Layer<LicenseStore> = Layer.sync(
  LicenseStore,
  () => {
    const inner = InMemoryLicenseStore.make();
    return LicenseStore.of({
      ...inner,
      streamEvents: (filter, until) => inner.streamEvents(filter, until + 1),
      countEvents: (filter, until) => inner.countEvents(filter, until + 1),
    });
  },
);

const compareUtf16 = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
