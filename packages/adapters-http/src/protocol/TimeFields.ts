/**
 * Reading the time fields of a report request — a zone spec and the interval's bounds — while
 * collecting every problem, so that one answer names all wrong fields at once.
 */
import {
  type FieldIssue,
  parseTimeZoneSpec,
  type TimeZoneSpec,
  type ValidationError,
} from "@tally/core";
import { Result } from "effect";

/** Problems found so far, added to by the readers below. */
export type IssueList = Array<FieldIssue>;

/** The zone spec in `text` (strict grammar), or `fallback` when absent or wrong (noting why). */
export const readZoneSpec = (
  text: string | undefined,
  field: string,
  fallback: TimeZoneSpec,
  issues: IssueList,
): TimeZoneSpec => {
  if (text === undefined) return fallback;
  const parsed = parseTimeZoneSpec(text, field);
  if (Result.isSuccess(parsed)) return parsed.success;
  issues.push(...parsed.failure.issues);
  return fallback;
};

/** The instant in `text` read by `parse`, or undefined when absent or wrong (noting why). */
export const readInstant = (
  text: string | undefined,
  field: string,
  parse: (text: string, field: string) => Result.Result<number, ValidationError>,
  issues: IssueList,
): number | undefined => {
  if (text === undefined) return undefined;
  const parsed = parse(text, field);
  if (Result.isSuccess(parsed)) return parsed.success;
  issues.push(...parsed.failure.issues);
  return undefined;
};

/** A string member of a JSON object, if it is one. */
export const stringMember = (json: unknown, name: string): string | undefined => {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return undefined;
  const value = (json as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
};
