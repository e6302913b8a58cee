import { describe, expect, it } from "vitest";
import { InMemoryFacts, InMemoryLicenseStore } from "../../src/adapters/index.ts";
import {
  type CheckOutcome,
  LicenseStoreContract,
  ProtectionPeriodStoreContract,
} from "../../src/testing/index.ts";
import {
  inclusiveStartPeriodStore,
  inclusiveUntilLicenseStore,
  nonAtomicPeriodStore,
  nullsFirstPeriodStore,
  utf16OrderPeriodStore,
} from "./BrokenFactStores.ts";

const periodChecks = ProtectionPeriodStoreContract.checks;
const licenseChecks = LicenseStoreContract.checks;
const options = { numRuns: 100 };

const expectFailed = (outcome: CheckOutcome): void => {
  expect(outcome, "the broken store fails the check").toMatchObject({ passed: false });
  if (!outcome.passed) expect(outcome.error).toBeInstanceOf(Error);
};

describe("the fact store contracts catch broken stores", () => {
  it("a store counting a period that ends as the interval begins fails the overlap checks", async () => {
    expectFailed(await periodChecks.boundaries(() => inclusiveStartPeriodStore, options));
    expectFailed(await periodChecks.overlapping(() => inclusiveStartPeriodStore, options));
  });

  it("a store ordering by UTF-16 code unit fails the code point order check", async () => {
    expectFailed(await periodChecks.codePointOrder(() => utf16OrderPeriodStore, options));
  });

  it("a store putting VMs of no tenant first fails the ordering checks", async () => {
    expectFailed(await periodChecks.withoutTenant(() => nullsFirstPeriodStore, options));
    expectFailed(await periodChecks.overlapping(() => nullsFirstPeriodStore, options));
  });

  it("a store writing part of a refused batch fails the atomicity check", async () => {
    expectFailed(await periodChecks.unknownVm(() => nonAtomicPeriodStore, options));
  });

  it("a license store including events at until fails the bound checks", async () => {
    expectFailed(await licenseChecks.untilBound(() => inclusiveUntilLicenseStore, options));
    expectFailed(await licenseChecks.events(() => inclusiveUntilLicenseStore, options));
  });

  it("the correct in-memory stores pass the same checks", async () => {
    for (const check of [
      periodChecks.boundaries,
      periodChecks.overlapping,
      periodChecks.codePointOrder,
      periodChecks.withoutTenant,
      periodChecks.unknownVm,
    ]) {
      expect(await check(() => InMemoryFacts.layer, options)).toEqual({ passed: true });
    }
    for (const check of [licenseChecks.untilBound, licenseChecks.events]) {
      expect(await check(() => InMemoryLicenseStore.layer, options)).toEqual({ passed: true });
    }
  });
});
