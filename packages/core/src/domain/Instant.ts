/**
 * Instants: UTC points in time as integer epoch milliseconds, the core's only notion of time.
 */
import { Schema } from "effect";

/** A UTC point in time, integer milliseconds since the Unix epoch. */
export type Instant = number;

/** Schema of an instant (a safe integer of epoch milliseconds). */
export const Instant = Schema.Int;

/** Milliseconds in one hour. */
export const HOUR_MS = 3_600_000;
