/**
 * Protection periods as stored, and as a store streams them for a report.
 */
import { Schema } from "effect";
import { Instant } from "./Instant.ts";

/**
 * One protection period `[start, end)` of one VM; `end === null` means still protected.
 * `id` is the caller's identity of the fact: re-sending the same id replaces it (idempotent
 * ingestion, and an ongoing period can later be closed).
 */
export const ProtectionPeriod = Schema.Struct({
  id: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(128)),
  vmId: Schema.String,
  start: Instant,
  end: Schema.NullOr(Instant),
});
/** One protection period of one VM. */
export type ProtectionPeriod = typeof ProtectionPeriod.Type;

/**
 * A stored period joined with its VM and tenant, as `ProtectionPeriodStore.streamOverlapping`
 * yields it. Streams are ordered by tenantId (VMs without a tenant last), vmId, start, end,
 * comparing strings by Unicode code point (UTF-8 byte order, see `compareCodePoints`).
 */
export interface PeriodRow {
  readonly tenantId: string | null;
  readonly tenantName: string | null;
  readonly vmId: string;
  readonly vmName: string;
  readonly start: number;
  readonly end: number | null;
}
