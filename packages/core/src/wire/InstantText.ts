/**
 * Instants and zones as text on the wire, declared once as Schemas: what the native API and
 * ingestion read and write (`OffsetInstant`: ISO 8601 with `Z` or an offset ↔ epoch ms), what
 * the vendor faces read before they know the zone (`DateTimeText`: a wall-clock time or a
 * timestamp with an offset, checked now, read in the zone later), and zone specs
 * (`TimeZoneSpecText`: `UTC`, `Local`, `UTC±HH:MM` ↔ the spec).
 */
import { Effect, Result, Schema, SchemaTransformation } from "effect";
import { quoteGiven } from "../domain/GivenText.ts";
import { Instant } from "../domain/Instant.ts";
import {
  formatTimeZoneSpec,
  parseTimeZoneSpec,
  TimeZoneSpec,
  timeZoneSpecForms,
} from "../domain/TimeZoneSpec.ts";
import { instantForms, parseInstantInZone } from "../domain/WallClock.ts";
import { isoInstant } from "./IsoInstant.ts";
import { spelledIssue } from "./SchemaIssues.ts";

/** How errors describe an offset timestamp. */
export const offsetTimestampForm =
  "an ISO 8601 timestamp with Z or an offset, e.g. 2024-03-31T00:30:00Z or 2024-03-31T02:30:00+02:00";

const utc = { _tag: "Fixed", offsetMinutes: 0 } as const;
const withOffset = /(Z|[+-]\d{2}:\d{2})$/;

/** Reads an ISO 8601 timestamp with `Z` or `±HH:MM` into epoch ms; otherwise why not. */
export const parseOffsetTimestamp = (text: string): Result.Result<Instant, string> => {
  if (!withOffset.test(text)) return Result.fail(quoteGiven(text));
  return Result.mapError(
    parseInstantInZone(text, "instant", utc),
    (error) => error.issues[0]?.actual ?? quoteGiven(text),
  );
};

/** A transformation of text that `read` parses (or says what it got), and `write` writes. */
const fromText = <A>(
  expected: string,
  read: (text: string) => Result.Result<A, string>,
  write: (value: A) => string,
) =>
  SchemaTransformation.transformEffect({
    decode: (text: string) =>
      Result.match(read(text), {
        onSuccess: (value) => Effect.succeed(value),
        onFailure: (given) => Effect.fail(spelledIssue(expected, given)),
      }),
    encode: (value: A) => Effect.succeed(write(value)),
  });

/**
 * An instant on the wire: decoded from ISO 8601 text with `Z` or an offset (so it means one
 * instant whatever the server's zone), encoded as ISO 8601 UTC with milliseconds.
 */
export const OffsetInstant = Schema.String.annotate({
  description: offsetTimestampForm,
  format: "date-time",
}).pipe(Schema.decodeTo(Instant, fromText(offsetTimestampForm, parseOffsetTimestamp, isoInstant)));

/**
 * A date and time as a vendor face takes it before the zone is known: `YYYY-MM-DDThh:mm:ss`
 * (to be read in the report's zone) or a timestamp with `Z` or an offset. Checked here (a real
 * calendar date and time), read into an instant with `parseInstantInZone` once the zone is
 * resolved.
 */
export const DateTimeText = Schema.String.annotate({ description: instantForms }).check(
  Schema.makeFilter((text: string) =>
    Result.match(parseInstantInZone(text, "instant", utc), {
      onSuccess: () => undefined,
      onFailure: (error) => spelledIssue(instantForms, error.issues[0]?.actual ?? quoteGiven(text)),
    }),
  ),
);

/** A time-zone spec on the wire: `UTC`, `Local`, `UTC+HH:MM` or `UTC-HH:MM`, strictly. */
export const TimeZoneSpecText = Schema.String.annotate({
  description: `The time zone: ${timeZoneSpecForms}`,
  examples: ["UTC", "Local", "UTC+05:30"],
}).pipe(
  Schema.decodeTo(
    TimeZoneSpec,
    fromText(
      timeZoneSpecForms,
      (text) => Result.mapError(parseTimeZoneSpec(text), () => quoteGiven(text)),
      formatTimeZoneSpec,
    ),
  ),
);
