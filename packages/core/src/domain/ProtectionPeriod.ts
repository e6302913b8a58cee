/**
 * Protection periods as stored, and as a store streams them for a report.
 */
import { Schema, SchemaIssue } from "effect";
import { FactId } from "./FactId.ts";
import { Instant } from "./Instant.ts";
import { describeInstant } from "./InstantFormatter.ts";

/**
 * One protection period `[start, end)` of one VM; `end === null` means still protected.
 * `id` is the caller's identity of the fact: re-sending the same id replaces it (idempotent
 * ingestion, and an ongoing period can later be closed). A period that has ended ends after
 * it starts.
 */
export const ProtectionPeriod = Schema.Struct({
  id: FactId,
  vmId: FactId,
  start: Instant,
  end: Schema.NullOr(Instant),
}).check(
  Schema.makeFilter((period) =>
    period.end === null || period.end > period.start
      ? undefined
      : {
          path: ["end"],
          issue: new SchemaIssue.InvalidValue({
            message:
              `Expected null (still protected) or an instant after start ` +
              `(${describeInstant(period.start)}), got ${describeInstant(period.end)}`,
          }),
        },
  ),
);
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
