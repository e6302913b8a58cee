/**
 * Runs a piece of a contract suite against a freshly built adapter. Each call builds the
 * layer in a new scope and closes the scope afterwards — also when the test fails — so no
 * state leaks between tests, and adapters that hold resources (a database schema, a pool)
 * release them.
 */
import { Context, Effect, Exit, Layer, Scope } from "effect";

/** Builds `makeLayer()` in a new scope, hands `use` its service, and closes the scope after. */
export const withFreshService = async <I, S, A>(
  makeLayer: () => Layer.Layer<I, unknown>,
  key: Context.Key<I, S>,
  use: (service: S) => Promise<A>,
): Promise<A> => {
  const scope = await Effect.runPromise(Scope.make());
  try {
    const context = await Effect.runPromise(Layer.buildWithScope(makeLayer(), scope));
    return await use(Context.get(context, key));
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void));
  }
};

/** Runs an effect that needs nothing, as a promise (the suites' bridge to async tests). */
export const runEffect = <A, E>(effect: Effect.Effect<A, E>): Promise<A> =>
  Effect.runPromise(effect);
