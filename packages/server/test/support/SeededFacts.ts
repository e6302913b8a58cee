/**
 * A fixed, generated set of protection facts for byte-for-byte comparisons of reports: fast-check's
 * fact arbitraries of the core sampled with a fixed seed — tenants and VMs with any Unicode in
 * their names and names that start like spreadsheet formulas, thousands of periods that overlap,
 * repeat, touch and go on, across the March 2024 DST change — written to a SQLite file through
 * the ports.
 */
import { ProtectionPeriodStore, TenantDirectory } from "@tally/core";
import { type ProtectionFacts, protectionFactsArbitrary } from "@tally/core/testing";
import { Effect } from "effect";
import * as fc from "fast-check";
import { storageLayer } from "../../src/wiring/StorageLayer.ts";

/** The seed the facts are drawn with; changing it changes every digest recorded with it. */
export const seededFactsSeed = 20_261_206;

/** The facts: of 40 samples of the arbitrary under the seed, the one with the most periods. */
export const seededFacts = (): ProtectionFacts =>
  fc
    .sample(protectionFactsArbitrary({ maxTenants: 40, maxVms: 400, maxPeriods: 4000 }), {
      seed: seededFactsSeed,
      numRuns: 40,
    })
    .reduce((most, facts) => (facts.periods.length > most.periods.length ? facts : most));

/** Writes the seeded facts into a new SQLite file at `filename`. */
export const writeSeededFacts = (filename: string): Promise<void> => {
  const facts = seededFacts();
  return Effect.runPromise(
    Effect.gen(function* () {
      const directory = yield* TenantDirectory;
      yield* directory.upsertTenants(facts.tenants);
      yield* directory.upsertVms(facts.vms);
      yield* (yield* ProtectionPeriodStore).upsertPeriods(facts.periods);
    }).pipe(Effect.provide(storageLayer({ _tag: "Sqlite", filename }))),
  );
};
