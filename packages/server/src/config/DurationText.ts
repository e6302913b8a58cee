/**
 * Durations as configuration spells them: a whole number and a unit (`500ms`, `20s`, `5m`,
 * `24h`, `7d`). One strict grammar for the environment and the file, so `24` alone (hours?
 * seconds?) is an error instead of a guess.
 */
import { Schema, SchemaTransformation } from "effect";

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const grammar = /^(\d{1,9})(ms|s|m|h|d)$/;

/** Milliseconds of a duration text, or undefined when the text does not follow the grammar. */
export const parseDurationMs = (text: string): number | undefined => {
  const match = grammar.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
};

/** What a duration setting accepts, for error messages. */
export const durationExpected = "a positive duration such as 500ms, 20s, 5m, 24h or 7d";

/** A positive duration text, decoded to milliseconds. */
export const DurationMs = Schema.String.check(
  Schema.makeFilter((text: string) => (parseDurationMs(text) ?? 0) > 0, {
    expected: durationExpected,
  }),
).pipe(
  Schema.decodeTo(
    Schema.Int,
    SchemaTransformation.transform({
      decode: (text: string) => parseDurationMs(text) ?? 0,
      encode: (ms: number) => `${ms}ms`,
    }),
  ),
);
