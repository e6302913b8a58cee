/**
 * Zone settings: the IANA zone `Local` stands for, and the zone spec face 1 reads wall-clock
 * times in. IANA names are checked against the runtime's own time-zone database (ICU), the
 * same one the core's luxon uses, so a name accepted here is one the core can compute in.
 */
import { parseTimeZoneSpec } from "@tally/core";
import { Result } from "effect";

/** True when the runtime knows this IANA zone name (`UTC` included). */
export const isIanaZone = (name: string): boolean => {
  if (name.trim() !== name || name === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
};

/** The process's own zone (what `Local` means when nothing is configured). */
export const processZone = (): string => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone !== undefined && isIanaZone(zone) ? zone : "UTC";
};

/** True for a zone spec the APIs accept: `UTC`, `Local`, `UTC+HH:MM`, `UTC-HH:MM`. */
export const isZoneSpecText = (text: string): boolean =>
  Result.isSuccess(parseTimeZoneSpec(text, "face1Zone"));
