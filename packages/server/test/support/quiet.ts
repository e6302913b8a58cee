/**
 * Runs an effect without log output: the tests assert on behaviour, and logs of the code under
 * test would only bury the test report.
 */
import { Effect, References } from "effect";

/** The effect with logging off. */
export const quiet = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.provideService(effect, References.MinimumLogLevel, "None");
