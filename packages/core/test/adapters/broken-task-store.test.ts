import { describe, expect, it } from "vitest";
import { InMemoryTaskStore } from "../../src/adapters/index.ts";
import { type CheckOutcome, TaskStoreContract } from "../../src/testing/index.ts";
import {
  blindReplaceTaskStore,
  codeUnitOrderTaskStore,
  forgetfulProgressTaskStore,
  racyClaimTaskStore,
} from "./BrokenTaskStores.ts";

const { checks } = TaskStoreContract;
const options = { numRuns: 100 };

/** A check failed on an assertion about the store, not on a crash of the suite itself. */
const expectFailed = (outcome: CheckOutcome): void => {
  expect(outcome, "the broken store fails the check").toMatchObject({ passed: false });
  if (!outcome.passed) expect(outcome.error).toBeInstanceOf(Error);
};

describe("the TaskStore contract catches broken stores", () => {
  it("a store whose claims race hands one task to two claimers, and fails the concurrency check", async () => {
    expectFailed(await checks.concurrentClaims(() => racyClaimTaskStore, options));
    const outcome = await checks.concurrentClaims(() => racyClaimTaskStore, options);
    if (!outcome.passed) expect(String(outcome.error)).toContain("every task claimed exactly once");
  });

  it("a store that ignores the version in replace fails compare-and-set and the model", async () => {
    expectFailed(await checks.replaceCompareAndSet(() => blindReplaceTaskStore, options));
    expectFailed(await checks.concurrentReplace(() => blindReplaceTaskStore, options));
    expectFailed(await checks.modelBased(() => blindReplaceTaskStore, options));
  });

  it("a store that loses progress fails the model-based check", async () => {
    expectFailed(await checks.modelBased(() => forgetfulProgressTaskStore, options));
  });

  it("a store that breaks creation ties by UTF-16 code unit fails the listing and claim checks on every run", async () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const runs = { numRuns: 3, seed };
      const listing = await checks.listFilters(() => codeUnitOrderTaskStore, runs);
      expectFailed(listing);
      if (!listing.passed) expect(String(listing.error)).toContain("code point order");
      const claims = await checks.claimOrder(() => codeUnitOrderTaskStore, runs);
      expectFailed(claims);
      if (!claims.passed) expect(String(claims.error)).toContain("code point order");
    }
  });

  it("the correct in-memory store passes the same checks", async () => {
    for (const check of [
      checks.listFilters,
      checks.claimOrder,
      checks.concurrentClaims,
      checks.replaceCompareAndSet,
      checks.concurrentReplace,
      checks.modelBased,
    ]) {
      expect(await check(() => InMemoryTaskStore.layer, options)).toEqual({ passed: true });
    }
  });
});
