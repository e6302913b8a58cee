/**
 * What every handler shares: the options it was built with, and how its failures reach the
 * `Problems` middleware.
 *
 * Handlers fail with Tally's own `HttpProblem`s and the core's typed errors. HttpApi types a
 * handler's failures as the endpoint's declared error values; Tally's declared errors are the
 * `Problem` bodies those failures are rendered into, one step later, by `Problems` (which wraps
 * every endpoint and answers every failure). `answeredByProblems` states that hand-over to the
 * type checker: the failures stay failures at run time.
 */
import type { Effect } from "effect";
import type { HttpOptions } from "../HttpOptions.ts";
import type { RouteFailure } from "../problems/CoreErrorProblems.ts";
import type { Paths } from "./Paths.ts";

/** What handlers are built with. */
export interface HandlerContext {
  readonly options: HttpOptions;
  readonly paths: Paths;
}

/** A handler's effect whose failures the `Problems` middleware answers (see above). */
export const answeredByProblems = <A, R>(
  effect: Effect.Effect<A, RouteFailure, R>,
): Effect.Effect<A, never, R> => effect as Effect.Effect<A, never, R>;
