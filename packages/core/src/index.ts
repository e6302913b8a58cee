/**
 * @tally/core — Tally's pure core: the domain, the ports, the use cases and in-memory adapters.
 * Property-test arbitraries and adapter contract suites live in `@tally/core/testing`.
 */

export * from "./adapters/index.ts";
export * from "./domain/index.ts";
export * from "./ports/index.ts";
export * from "./usecases/index.ts";
export * from "./wire/index.ts";
