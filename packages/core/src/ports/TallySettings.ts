/**
 * Settings the use cases read: the server's Local zone, task and report policies.
 */
import { Context } from "effect";

/** Settings the use cases read. */
export interface TallySettingsShape {
  /** The IANA zone that `Local` means (DST-aware), e.g. `Europe/Berlin`. */
  readonly localZone: string;
  /** How long a claim lasts without renewal, in ms. */
  readonly leaseMs: number;
  /** Claims before a task whose leases keep expiring fails. */
  readonly maxAttempts: number;
  /** How long a report is kept, in ms (default 24 h). */
  readonly reportRetentionMs: number;
  /** Rows between two progress updates (and cancellation checks) while rendering. */
  readonly progressEveryRows: number;
  /**
   * The least time between two of those updates, in ms (default 0: every `progressEveryRows`
   * rows). The rendering waits for each; `tally` sets 250, so that a fast report is not held
   * up by them, while the lease's own heartbeat (every third of `leaseMs`) goes on.
   */
  readonly progressEveryMs?: number | undefined;
}

/** Default settings: UTC local zone, 30 s leases, 3 attempts, 24 h retention. */
export const defaultTallySettings: TallySettingsShape = {
  localZone: "UTC",
  leaseMs: 30_000,
  maxAttempts: 3,
  reportRetentionMs: 24 * 3_600_000,
  progressEveryRows: 10_000,
};

/** Settings the use cases read. */
export class TallySettings extends Context.Service<TallySettings, TallySettingsShape>()(
  "tally/core/TallySettings",
) {}
