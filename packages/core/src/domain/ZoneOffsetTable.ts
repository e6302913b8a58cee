/**
 * The offsets an IANA zone has in force, asked of luxon once and cached per zone, so that
 * formatting millions of timestamps costs arithmetic instead of a time-zone database call each
 * (luxon answers about 150k offset queries a second; a cached segment answers at once).
 *
 * Time is cut into fixed chunks of 2^31 ms (about 24.9 days). The first time a chunk is needed,
 * luxon is asked the offset at each day boundary of the chunk and wherever two neighbours differ
 * a binary search over whole seconds finds the exact transition (luxon's offsets are constant
 * within a second). Sampling daily assumes a zone never changes its offset and back again within
 * one day. The cache is a memo of a pure function: it changes no answer, only how fast it comes.
 */
import { IANAZone } from "luxon";

/** A stretch `[start, end)` of epoch ms during which one offset is in force. */
export interface OffsetSegment {
  readonly start: number;
  readonly end: number;
  /** The offset in seconds (whole minutes, except for historical local mean time). */
  readonly offsetSeconds: number;
  /** The offset as an ISO 8601 suffix, e.g. `+01:00` (`+00:00` for zero). */
  readonly suffix: string;
}

/** The offsets of one IANA zone, looked up by instant. */
export interface ZoneOffsetTable {
  /** The segment that contains the instant. */
  readonly segmentAt: (instant: number) => OffsetSegment;
}

const chunkMs = 2 ** 31;
const dayMs = 86_400_000;
/**
 * Just inside the ECMAScript Date range (±8.64e15 ms, where luxon's local time would overflow):
 * beyond it the zone database has no answer, so the offset at the edge is used.
 */
const maxDateMs = 8.64e15 - 2 * dayMs;

/** An offset in seconds as ISO 8601 `±HH:MM` (seconds of local mean time truncated, as luxon). */
export const formatOffsetSeconds = (offsetSeconds: number): string => {
  const magnitude = Math.abs(offsetSeconds);
  const hours = Math.floor(magnitude / 3600);
  const minutes = Math.floor((magnitude % 3600) / 60);
  return `${offsetSeconds < 0 ? "-" : "+"}${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
};

const tables = new Map<string, ZoneOffsetTable>();

/**
 * The (cached) offset table of an IANA zone name. Names are validated when a zone is resolved
 * (`resolveTimeZone`); a name luxon does not know reads as a zero offset rather than failing.
 */
export const zoneOffsetTable = (name: string): ZoneOffsetTable => {
  const cached = tables.get(name);
  if (cached !== undefined) return cached;
  const table = buildTable(IANAZone.create(name));
  tables.set(name, table);
  return table;
};

const buildTable = (zone: IANAZone): ZoneOffsetTable => {
  const chunks = new Map<number, ReadonlyArray<OffsetSegment>>();

  const offsetSecondsAt = (instant: number): number => {
    const clamped = Math.min(maxDateMs, Math.max(-maxDateMs, instant));
    const minutes = zone.offset(clamped);
    // Never NaN for a valid zone within the range; guarded so a surprise cannot loop forever.
    return Number.isFinite(minutes) ? Math.round(minutes * 60) : 0;
  };

  /** The first whole second in `(from, to]` whose offset differs from `fromOffset`. */
  const firstChange = (from: number, fromOffset: number, to: number): number => {
    let same = Math.floor(from / 1000);
    let changed = Math.floor(to / 1000);
    while (changed - same > 1) {
      const mid = Math.floor((same + changed) / 2);
      if (offsetSecondsAt(mid * 1000) === fromOffset) same = mid;
      else changed = mid;
    }
    return changed * 1000;
  };

  const buildChunk = (index: number): ReadonlyArray<OffsetSegment> => {
    const chunkStart = index * chunkMs;
    const chunkEnd = chunkStart + chunkMs;
    const segments: Array<OffsetSegment> = [];
    let segmentStart = chunkStart;
    let previous = chunkStart;
    let previousOffset = offsetSecondsAt(chunkStart);
    for (
      let probe = Math.min(chunkStart + dayMs, chunkEnd);
      ;
      probe = Math.min(probe + dayMs, chunkEnd)
    ) {
      const probeOffset = offsetSecondsAt(probe);
      while (probeOffset !== previousOffset) {
        const at = firstChange(previous, previousOffset, probe);
        if (at >= chunkEnd) break;
        segments.push(segment(segmentStart, at, previousOffset));
        segmentStart = at;
        previous = at;
        previousOffset = offsetSecondsAt(at);
      }
      previous = probe;
      if (probe === chunkEnd) break;
    }
    segments.push(segment(segmentStart, chunkEnd, previousOffset));
    return segments;
  };

  // A direct-mapped index in front of the map: 1024 slots cover 70 years without collisions.
  const slotKeys = new Float64Array(1024).fill(Number.NaN);
  const slotChunks: Array<ReadonlyArray<OffsetSegment>> = new Array(1024).fill([]);

  const chunkAt = (index: number): ReadonlyArray<OffsetSegment> => {
    const slot = index & 1023;
    if (slotKeys[slot] === index) return slotChunks[slot] as ReadonlyArray<OffsetSegment>;
    let chunk = chunks.get(index);
    if (chunk === undefined) {
      chunk = buildChunk(index);
      chunks.set(index, chunk);
    }
    slotKeys[slot] = index;
    slotChunks[slot] = chunk;
    return chunk;
  };

  return {
    segmentAt: (instant) => {
      const chunk = chunkAt(Math.floor(instant / chunkMs));
      for (let i = chunk.length - 1; i > 0; i--) {
        const candidate = chunk[i] as OffsetSegment;
        if (candidate.start <= instant) return candidate;
      }
      return chunk[0] as OffsetSegment;
    },
  };
};

const segment = (start: number, end: number, offsetSeconds: number): OffsetSegment => ({
  start,
  end,
  offsetSeconds,
  suffix: formatOffsetSeconds(offsetSeconds),
});
