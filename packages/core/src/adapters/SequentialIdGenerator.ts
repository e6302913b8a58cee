/**
 * Ids that count up per kind — `task-000001`, `task-000002`, `report-000001` — for tests and
 * examples that must give the same output on every run. They are guessable, so a server
 * exposed to callers uses random ids instead.
 */
import { Effect, Layer } from "effect";
import { IdGenerator } from "../ports/IdGenerator.ts";

/** Constraints of `make`. */
export interface SequentialIdOptions {
  /** Digits of the counter, zero-padded (default 6; larger numbers just grow longer). */
  readonly digits?: number;
}

/** A fresh generator: each kind has its own counter, starting at 1. */
export const make = (options: SequentialIdOptions = {}): IdGenerator["Service"] => {
  const digits = options.digits ?? 6;
  const counters = new Map<string, number>();
  return IdGenerator.of({
    next: (kind) =>
      Effect.sync(() => {
        const n = (counters.get(kind) ?? 0) + 1;
        counters.set(kind, n);
        return `${kind}-${String(n).padStart(digits, "0")}`;
      }),
  });
};

/** A layer with a fresh generator (counters from 1) each time it is built. */
export const layer: Layer.Layer<IdGenerator> = Layer.sync(IdGenerator, () => make());
