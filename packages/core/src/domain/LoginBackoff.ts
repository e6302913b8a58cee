/**
 * Back-off after failed password logins: a few failures are free, then each further one doubles
 * the wait before the next attempt is even checked, up to a cap; a quiet spell forgets them.
 * Tally keeps one record per user name and one per client address and applies the same rule to
 * both (with more free failures for an address, which many users may share). Pure: the caller
 * brings the time and keeps the records.
 */
import type { Instant } from "./Instant.ts";

/** How failures turn into waiting. */
export interface LoginBackoffPolicy {
  /** Failures that cost no waiting; the next one starts the back-off. */
  readonly freeFailures: number;
  /** The first back-off, in ms; every further failure doubles it. */
  readonly firstDelayMs: number;
  /** The longest back-off, in ms. */
  readonly maxDelayMs: number;
  /** A record whose last failure is this old (ms) is forgotten; at least `maxDelayMs`. */
  readonly forgetAfterMs: number;
}

/** The failures of one user name or one address since it was last forgotten. */
export interface LoginFailures {
  readonly failures: number;
  readonly lastFailureAt: Instant;
}

/** The wait after `failures` failures, in ms: 0 while they are free, then doubling to the cap. */
export const backoffDelayMs = (failures: number, policy: LoginBackoffPolicy): number => {
  const beyond = failures - policy.freeFailures;
  if (beyond <= 0) return 0;
  // 2^31 is past any cap in milliseconds; the exponent is bounded so nothing overflows.
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.min(beyond - 1, 31));
};

/** The record as it stands at `now`: undefined once forgotten. */
export const currentFailures = (
  record: LoginFailures | undefined,
  now: Instant,
  policy: LoginBackoffPolicy,
): LoginFailures | undefined =>
  record === undefined || now - record.lastFailureAt >= policy.forgetAfterMs ? undefined : record;

/**
 * When the next attempt may be checked: undefined when it may be checked at `now`. `pending`
 * attempts still being checked count as failures at `now` (the worst they can turn out), so a
 * burst of attempts cannot all be admitted before the first of them fails.
 */
export const nextAttemptAt = (
  record: LoginFailures | undefined,
  now: Instant,
  policy: LoginBackoffPolicy,
  pending = 0,
): Instant | undefined => {
  const current = currentFailures(record, now, policy);
  const failures = (current?.failures ?? 0) + pending;
  if (failures === 0) return undefined;
  const lastFailureAt = pending > 0 ? now : (current?.lastFailureAt ?? now);
  const allowedAt = lastFailureAt + backoffDelayMs(failures, policy);
  return allowedAt > now ? allowedAt : undefined;
};

/** The record after one more failure at `now`. */
export const afterFailure = (
  record: LoginFailures | undefined,
  now: Instant,
  policy: LoginBackoffPolicy,
): LoginFailures => ({
  failures: (currentFailures(record, now, policy)?.failures ?? 0) + 1,
  lastFailureAt: now,
});
