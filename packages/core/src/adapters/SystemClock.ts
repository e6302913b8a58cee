/**
 * The live Clock: effect's clock, so that time in a running program is the system's and in
 * effect's own test tooling is controllable. The core never reads the wall clock itself.
 */
import { Clock as EffectClock, Layer } from "effect";
import { Clock } from "../ports/Clock.ts";

/** The Clock reading effect's current time in epoch milliseconds. */
export const clock: Clock["Service"] = Clock.of({ now: EffectClock.currentTimeMillis });

/** A layer with the system clock. */
export const layer: Layer.Layer<Clock> = Layer.succeed(Clock, clock);
