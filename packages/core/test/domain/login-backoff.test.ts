import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  afterFailure,
  backoffDelayMs,
  type LoginBackoffPolicy,
  type LoginFailures,
  nextAttemptAt,
} from "../../src/domain/LoginBackoff.ts";

const policy: LoginBackoffPolicy = {
  freeFailures: 3,
  firstDelayMs: 1_000,
  maxDelayMs: 60_000,
  forgetAfterMs: 900_000,
};

const policyArb: fc.Arbitrary<LoginBackoffPolicy> = fc
  .record({
    freeFailures: fc.integer({ min: 0, max: 30 }),
    firstDelayMs: fc.integer({ min: 1, max: 10_000 }),
    maxDelayMs: fc.integer({ min: 1, max: 3_600_000 }),
    extraForget: fc.integer({ min: 0, max: 3_600_000 }),
  })
  .map(({ freeFailures, firstDelayMs, maxDelayMs, extraForget }) => ({
    freeFailures,
    firstDelayMs: Math.min(firstDelayMs, maxDelayMs),
    maxDelayMs,
    forgetAfterMs: maxDelayMs + extraForget,
  }));

/** Failures one after the other, each `gaps[i]` ms after the one before, from `start`. */
const failuresAt = (start: number, gaps: ReadonlyArray<number>, p: LoginBackoffPolicy) => {
  let record: LoginFailures | undefined;
  let now = start;
  for (const gap of gaps) {
    now += gap;
    record = afterFailure(record, now, p);
  }
  return { record, now };
};

describe("the back-off after failed logins", () => {
  it("lets the free failures through, then waits 1 s, 2 s, 4 s … up to the cap", () => {
    const delays = Array.from({ length: 12 }, (_, i) => backoffDelayMs(i + 1, policy));
    expect(delays).toEqual([
      0, 0, 0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it("admits the next attempt at once while failures are free", () => {
    const { record, now } = failuresAt(0, [10, 10, 10], policy);
    expect(record).toEqual({ failures: 3, lastFailureAt: 30 });
    expect(nextAttemptAt(record, now, policy)).toBeUndefined();
  });

  it("after one failure too many, names the instant the next attempt is allowed", () => {
    const { record, now } = failuresAt(0, [10, 10, 10, 10], policy);
    expect(nextAttemptAt(record, now, policy)).toBe(40 + 1_000);
    expect(nextAttemptAt(record, 40 + 999, policy)).toBe(40 + 1_000);
    expect(nextAttemptAt(record, 40 + 1_000, policy)).toBeUndefined();
  });

  it("forgets failures after a quiet spell: the next failure is the first again", () => {
    const { record } = failuresAt(0, [1, 1, 1, 1, 1, 1], policy);
    expect(afterFailure(record, 6 + policy.forgetAfterMs, policy)).toEqual({
      failures: 1,
      lastFailureAt: 6 + policy.forgetAfterMs,
    });
  });

  it("property: the wait never shrinks with more failures and never passes the cap", () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 200 }), (p, failures) => {
        const delay = backoffDelayMs(failures, p);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(p.maxDelayMs);
        expect(backoffDelayMs(failures + 1, p)).toBeGreaterThanOrEqual(delay);
        if (failures <= p.freeFailures) expect(delay).toBe(0);
        else expect(delay).toBeGreaterThan(0);
      }),
    );
  });

  it("property: the next attempt is allowed exactly when the last failure's wait is over", () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.array(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 4_000_000 }),
        (p, start, gaps, later) => {
          const { record, now } = failuresAt(start, gaps, p);
          const at = now + later;
          const next = nextAttemptAt(record, at, p);
          if (record === undefined) throw new Error("no failure recorded");
          const waitOver = at >= record.lastFailureAt + backoffDelayMs(record.failures, p);
          if (waitOver) expect(next).toBeUndefined();
          else {
            expect(next).toBe(record.lastFailureAt + backoffDelayMs(record.failures, p));
            expect(next).toBeGreaterThan(at);
            expect(next).toBeLessThanOrEqual(at + p.maxDelayMs);
          }
        },
      ),
    );
  });

  it("property: failures never exceed the attempts, and a quiet spell restarts the count", () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.array(fc.integer({ min: 0, max: 2_000_000 }), { minLength: 1, maxLength: 40 }),
        (p, gaps) => {
          const { record } = failuresAt(0, gaps, p);
          let sinceQuiet = 0;
          for (const gap of gaps) sinceQuiet = gap >= p.forgetAfterMs ? 1 : sinceQuiet + 1;
          expect(record?.failures).toBe(sinceQuiet);
        },
      ),
    );
  });

  it("counts attempts still being checked as failures at the present instant", () => {
    expect(nextAttemptAt(undefined, 500, policy, 3)).toBeUndefined();
    expect(nextAttemptAt(undefined, 500, policy, 4)).toBe(1_500);
    expect(nextAttemptAt({ failures: 3, lastFailureAt: 100 }, 500, policy, 1)).toBe(1_500);
  });

  it("property: pending attempts never admit sooner than the same number of failures now", () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        (p, failures, pending) => {
          const now = 10_000_000;
          const record = failures === 0 ? undefined : { failures, lastFailureAt: now - 1 };
          const failedNow = { failures: failures + pending, lastFailureAt: now };
          const withPending = nextAttemptAt(record, now, p, pending);
          if (pending === 0) return;
          expect(withPending).toBe(nextAttemptAt(failedNow, now, p));
        },
      ),
    );
  });
});
