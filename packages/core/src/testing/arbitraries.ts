/**
 * @tally/core/arbitraries — fast-check arbitraries of every domain value, fact and task, and
 * the simple models the contract suites compare stores with. Needs `fast-check` only (a peer
 * dependency), not vitest: use them in any test runner, or to generate data.
 *
 * The contract suites that prove an adapter are in `@tally/core/testing` (which needs vitest
 * as well, and re-exports everything here).
 */

export * from "./DomainArbitraries.ts";
export * from "./FactArbitraries.ts";
export * from "./FactModels.ts";
export * from "./KnownCases.ts";
export * from "./TaskArbitraries.ts";
