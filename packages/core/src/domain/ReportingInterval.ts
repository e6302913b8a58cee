/**
 * Reporting intervals: half-open `[start, end)` in epoch milliseconds.
 */
import { Schema } from "effect";
import { Instant } from "./Instant.ts";

/**
 * A half-open interval `[start, end)`. Intervals built from user input have `start < end`
 * (see `makeReportingInterval`); an interval defaulted from an empty store may be empty
 * (`start === end`) and then reports nothing.
 */
export const ReportingInterval = Schema.Struct({ start: Instant, end: Instant });
/** A half-open interval `[start, end)`. */
export type ReportingInterval = typeof ReportingInterval.Type;
