/**
 * Runs a piece of a contract suite against a freshly built layer that provides several
 * services at once (a period store needs its tenant directory). Like `withFreshService`, the
 * layer is built in a new scope that is closed afterwards, also when the test fails.
 */
import { type Context, Effect, Exit, Layer, Scope } from "effect";

/** Builds `makeLayer()` in a new scope, hands `use` its context, and closes the scope after. */
export const withFreshContext = async <I, A>(
  makeLayer: () => Layer.Layer<I, unknown>,
  use: (context: Context.Context<I>) => Promise<A>,
): Promise<A> => {
  const scope = await Effect.runPromise(Scope.make());
  try {
    const context = await Effect.runPromise(Layer.buildWithScope(makeLayer(), scope));
    return await use(context);
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void));
  }
};
