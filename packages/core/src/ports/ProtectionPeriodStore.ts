/**
 * The ProtectionPeriodStore port: protection periods, streamed in report order.
 */
import { Context, type Effect, type Option, type Stream } from "effect";
import type { StorageError } from "../domain/errors.ts";
import type { Instant } from "../domain/Instant.ts";
import type { PeriodRow, ProtectionPeriod } from "../domain/ProtectionPeriod.ts";
import type { ReportingInterval } from "../domain/ReportingInterval.ts";
import type { TenantFilter } from "../domain/Tenant.ts";

/** Protection periods of VMs. */
export class ProtectionPeriodStore extends Context.Service<
  ProtectionPeriodStore,
  {
    /**
     * Inserts or replaces periods by id, all in one transaction; re-sending the same batch
     * changes nothing. Periods of unknown VMs fail the whole batch with ConstraintViolation.
     */
    readonly upsertPeriods: (
      periods: ReadonlyArray<ProtectionPeriod>,
    ) => Effect.Effect<void, StorageError>;
    /**
     * The periods overlapping `interval` (`start < interval.end` and `end` null or
     * `> interval.start`) of the VMs the filter selects, joined with VM and tenant, ordered by
     * tenantId (VMs without a tenant last, included only for `AllTenants`), vmId, start, end.
     * Memory stays bounded however many rows match.
     */
    readonly streamOverlapping: (
      interval: ReportingInterval,
      filter: TenantFilter,
    ) => Stream.Stream<PeriodRow, StorageError>;
    /**
     * How many rows `streamOverlapping` would yield (for progress). A report asks for it as its
     * stream starts and reads rows while it counts, so it may run beside an open stream.
     */
    readonly countOverlapping: (
      interval: ReportingInterval,
      filter: TenantFilter,
    ) => Effect.Effect<number, StorageError>;
    /** The earliest period start of the VMs the filter selects, if any. */
    readonly earliestStart: (
      filter: TenantFilter,
    ) => Effect.Effect<Option.Option<Instant>, StorageError>;
  }
>()("tally/core/ProtectionPeriodStore") {}
