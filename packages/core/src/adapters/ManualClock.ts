/**
 * A Clock that moves only when told to: for tests and deterministic examples, where "now"
 * must be a chosen instant (a lease that has just expired, a report past its retention).
 */
import { Effect, Layer } from "effect";
import type { Instant } from "../domain/Instant.ts";
import { Clock } from "../ports/Clock.ts";

/** A settable clock: the Clock service and the handles that move it. */
export interface ManualClock {
  /** The Clock service reading this clock. */
  readonly clock: Clock["Service"];
  /** The current instant, read outside an effect. */
  readonly current: () => Instant;
  /** Sets the clock to an instant (it may go backwards: tests decide). */
  readonly setTo: (instant: Instant) => Effect.Effect<void>;
  /** Moves the clock forward (or back, for a negative amount) by `ms`. */
  readonly advance: (ms: number) => Effect.Effect<void>;
  /** A layer providing `clock`, sharing this clock's state. */
  readonly layer: Layer.Layer<Clock>;
}

/** A manual clock starting at `start` (epoch ms). */
export const make = (start: Instant): ManualClock => {
  let now = start;
  const clock = Clock.of({ now: Effect.sync(() => now) });
  return {
    clock,
    current: () => now,
    setTo: (instant) =>
      Effect.sync(() => {
        now = instant;
      }),
    advance: (ms) =>
      Effect.sync(() => {
        now += ms;
      }),
    layer: Layer.succeed(Clock, clock),
  };
};
