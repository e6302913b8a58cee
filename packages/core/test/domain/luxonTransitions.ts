/**
 * Test support: a zone's offset transitions found with luxon alone (weekly probes and a binary
 * search to the second), independent of the core's own offset table, to aim property tests at
 * the instants around DST changes.
 */
import { DateTime } from "luxon";

/** One change of a zone's offset: from `at` on, `after` minutes apply instead of `before`. */
export interface Transition {
  readonly zone: string;
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

const weekMs = 7 * 86_400_000;

/** luxon's offset in minutes at an instant in a zone. */
export const luxonOffset = (zone: string, instant: number): number =>
  DateTime.fromMillis(instant, { zone }).offset;

/** The transitions of `zone` from the start of `fromYear` to the start of `toYear` (UTC). */
export const luxonTransitions = (zone: string, fromYear: number, toYear: number): Transition[] => {
  const transitions: Transition[] = [];
  const end = Date.UTC(toYear, 0, 1);
  let previous = Date.UTC(fromYear, 0, 1);
  let previousOffset = luxonOffset(zone, previous);
  while (previous < end) {
    const probe = Math.min(previous + weekMs, end);
    const probeOffset = luxonOffset(zone, probe);
    if (probeOffset !== previousOffset) {
      let same = Math.floor(previous / 1000);
      let changed = Math.floor(probe / 1000);
      while (changed - same > 1) {
        const mid = Math.floor((same + changed) / 2);
        if (luxonOffset(zone, mid * 1000) === previousOffset) same = mid;
        else changed = mid;
      }
      const at = changed * 1000;
      const after = luxonOffset(zone, at);
      transitions.push({ zone, at, before: previousOffset, after });
      previous = at;
      previousOffset = after;
    } else {
      previous = probe;
    }
  }
  return transitions;
};
