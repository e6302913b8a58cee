/**
 * The Clock port: the only way the core learns what time it is.
 */
import { Context, type Effect } from "effect";
import type { Instant } from "../domain/Instant.ts";

/** The current instant. Live: effect's clock; tests: a manual clock (`@tally/core/testing`). */
export class Clock extends Context.Service<Clock, { readonly now: Effect.Effect<Instant> }>()(
  "tally/core/Clock",
) {}
