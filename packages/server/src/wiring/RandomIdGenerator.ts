/**
 * The live IdGenerator: random UUIDs (122 random bits from node:crypto), prefixed by the kind
 * of object, e.g. `task-6f1c…`, `report-0b9e…`. Unguessable, so a report id cannot be found by
 * counting, and readable in logs.
 */
import { randomUUID } from "node:crypto";
import { IdGenerator } from "@tally/core";
import { Effect, Layer } from "effect";

/** Makes `kind-uuid` ids. */
export const makeRandomIdGenerator = (): IdGenerator["Service"] =>
  IdGenerator.of({ next: (kind) => Effect.sync(() => `${kind}-${randomUUID()}`) });

/** The live IdGenerator layer. */
export const RandomIdGeneratorLayer: Layer.Layer<IdGenerator> = Layer.sync(
  IdGenerator,
  makeRandomIdGenerator,
);
