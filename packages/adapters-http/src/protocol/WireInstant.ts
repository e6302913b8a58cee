/**
 * Instants on the wire of the native API and of ingestion: ISO 8601 timestamps that carry `Z`
 * or an offset, so they mean one instant whatever zone the server is in.
 */
import { parseInstantInZone, quoteGiven, ValidationError } from "@tally/core";
import { Result } from "effect";

/** How errors describe an offset timestamp. */
export const offsetTimestampForm =
  "an ISO 8601 timestamp with Z or an offset, e.g. 2024-03-31T00:30:00Z or 2024-03-31T02:30:00+02:00";

const utc = { _tag: "Fixed", offsetMinutes: 0 } as const;

/** Reads an ISO 8601 timestamp with `Z` or `±HH:MM` into epoch ms. */
export const parseOffsetTimestamp = (
  text: string,
  field: string,
): Result.Result<number, ValidationError> => {
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    return Result.fail(ValidationError.single(field, offsetTimestampForm, quoteGiven(text)));
  }
  return Result.mapError(parseInstantInZone(text, field, utc), (error) =>
    ValidationError.single(field, offsetTimestampForm, error.issues[0]?.actual ?? quoteGiven(text)),
  );
};
