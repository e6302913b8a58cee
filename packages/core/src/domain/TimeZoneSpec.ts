/**
 * Time-zone specs as the APIs accept them (`UTC`, `Local`, `UTC±HH:MM`) and the zones they
 * resolve to. A resolved zone is stored with each task so a later run gives the same report.
 */
import { Result, Schema } from "effect";
import { IANAZone } from "luxon";
import { ValidationError } from "./errors.ts";
import { quoteGiven } from "./GivenText.ts";
import { formatOffsetSeconds, zoneOffsetTable } from "./ZoneOffsetTable.ts";

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

/** What `parseTimeZoneSpec` accepts, as error messages state it. */
export const timeZoneSpecForms =
  "one of UTC, Local, UTC+HH:MM, UTC-HH:MM with an offset between UTC-12:00 and UTC+14:00";

/** The smallest fixed offset a spec may ask for, in minutes (`UTC-12:00`). */
export const minOffsetMinutes = -12 * 60;
/** The largest fixed offset a spec may ask for, in minutes (`UTC+14:00`). */
export const maxOffsetMinutes = 14 * 60;

const offsetSpecPattern = /^UTC([+-])(\d{2}):(\d{2})$/;

/**
 * Reads a zone spec strictly and case-sensitively: `UTC`, `Local`, `UTC+HH:MM` or `UTC-HH:MM`.
 * A zero offset (`UTC+00:00`, `UTC-00:00`) reads as `Utc`, so equal zones are equal values and
 * formatting gives back the canonical text.
 */
export const parseTimeZoneSpec = (
  text: string,
  field = "timezone",
): Result.Result<TimeZoneSpec, ValidationError> => {
  if (text === "UTC") return Result.succeed({ _tag: "Utc" });
  if (text === "Local") return Result.succeed({ _tag: "Local" });
  const match = offsetSpecPattern.exec(text);
  if (match !== null) {
    const [, sign, hh, mm] = match as unknown as [string, string, string, string];
    const hours = Number(hh);
    const minutes = Number(mm);
    const total = (sign === "-" ? -1 : 1) * (hours * 60 + minutes);
    if (minutes <= 59 && total >= minOffsetMinutes && total <= maxOffsetMinutes) {
      return Result.succeed(total === 0 ? { _tag: "Utc" } : { _tag: "Offset", minutes: total });
    }
  }
  return Result.fail(ValidationError.single(field, timeZoneSpecForms, quoteGiven(text)));
};

/** The canonical text of a spec: `UTC` (also for a zero offset), `Local`, or `UTC±HH:MM`. */
export const formatTimeZoneSpec = (spec: TimeZoneSpec): string => {
  switch (spec._tag) {
    case "Utc":
      return "UTC";
    case "Local":
      return "Local";
    case "Offset":
      return spec.minutes === 0 ? "UTC" : `UTC${formatOffsetSeconds(spec.minutes * 60)}`;
  }
};

const utcNames: ReadonlySet<string> = new Set([
  "UTC",
  "ETC/UTC",
  "UCT",
  "ETC/UCT",
  "GMT",
  "ETC/GMT",
  "ETC/GMT0",
  "ETC/GMT+0",
  "ETC/GMT-0",
  "GMT0",
  "GMT+0",
  "GMT-0",
  "ETC/GREENWICH",
  "GREENWICH",
  "ETC/UNIVERSAL",
  "UNIVERSAL",
  "ETC/ZULU",
  "ZULU",
]);

/**
 * The zone a spec stands for. `Local` becomes the server's configured IANA zone (DST-aware);
 * a name that is UTC under another spelling (`UTC`, `Etc/UTC`, `GMT`, ...) becomes a fixed zero
 * offset, since it never changes. An unknown zone name is a configuration error, reported on
 * the field `localZone`.
 */
export const resolveTimeZone = (
  spec: TimeZoneSpec,
  localZone: string,
): Result.Result<ResolvedZone, ValidationError> => {
  switch (spec._tag) {
    case "Utc":
      return Result.succeed({ _tag: "Fixed", offsetMinutes: 0 });
    case "Offset":
      return Result.succeed({ _tag: "Fixed", offsetMinutes: spec.minutes });
    case "Local":
      if (utcNames.has(localZone.toUpperCase())) {
        return Result.succeed({ _tag: "Fixed", offsetMinutes: 0 });
      }
      if (!IANAZone.isValidZone(localZone)) {
        return Result.fail(
          ValidationError.single(
            "localZone",
            "an IANA time-zone name for the server's Local zone, e.g. Europe/Berlin",
            quoteGiven(localZone),
          ),
        );
      }
      return Result.succeed({ _tag: "Iana", name: localZone });
  }
};

/** The zone of a request: the spec's canonical text and the zone it resolves to. */
export const zoneSelection = (
  spec: TimeZoneSpec,
  localZone: string,
): Result.Result<ZoneSelection, ValidationError> =>
  Result.map(resolveTimeZone(spec, localZone), (resolved) => ({
    spec: formatTimeZoneSpec(spec),
    resolved,
  }));

/**
 * The offset from UTC in minutes in force at the instant (DST-aware for IANA zones). Whole
 * minutes, except in the local mean time some IANA zones had before about 1900.
 */
export const offsetAt = (zone: ResolvedZone, instant: number): number =>
  zone._tag === "Fixed"
    ? zone.offsetMinutes
    : zoneOffsetTable(zone.name).segmentAt(instant).offsetSeconds / 60;
