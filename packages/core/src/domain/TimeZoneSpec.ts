/**
 * Time-zone specs as the APIs accept them (`UTC`, `Local`, `UTC±HH:MM`) and the zones they
 * resolve to. A resolved zone is stored with each task so a later run gives the same report.
 */
import { Schema } from "effect";

/** What a caller asked for: UTC, the server's Local zone, or a fixed offset in minutes. */
export const TimeZoneSpec = Schema.Union([
  Schema.TaggedStruct("Utc", {}),
  Schema.TaggedStruct("Local", {}),
  Schema.TaggedStruct("Offset", { minutes: Schema.Int }),
]);
/** What a caller asked for: UTC, the server's Local zone, or a fixed offset in minutes. */
export type TimeZoneSpec = typeof TimeZoneSpec.Type;

/** A zone that timestamps can be computed in: a fixed offset, or an IANA zone (DST-aware). */
export const ResolvedZone = Schema.Union([
  Schema.TaggedStruct("Fixed", { offsetMinutes: Schema.Int }),
  Schema.TaggedStruct("Iana", { name: Schema.String }),
]);
/** A zone that timestamps can be computed in: a fixed offset, or an IANA zone (DST-aware). */
export type ResolvedZone = typeof ResolvedZone.Type;

/** The zone of a request: the canonical spec text as asked, and what it resolved to. */
export const ZoneSelection = Schema.Struct({ spec: Schema.String, resolved: ResolvedZone });
/** The zone of a request: the canonical spec text as asked, and what it resolved to. */
export type ZoneSelection = typeof ZoneSelection.Type;
