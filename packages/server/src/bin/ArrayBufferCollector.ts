/**
 * Collects dead ArrayBuffers before they pile up, in the `tally` process.
 *
 * A report or an import streams its bytes through Buffers: socket reads, COPY data, encoded CSV
 * blocks, file writes. Most die young and go at the next scavenge, but a Buffer that waits a
 * few milliseconds (for a write, for the consumer) is promoted, and a promoted Buffer is freed
 * only by a full collection. V8 starts one when its JavaScript heap grows, which a stream
 * hardly does, or when external memory has grown by 64 MiB. Until then the dead Buffers'
 * memory stays allocated, and once it has been, the allocator keeps it: on PostgreSQL a 10M-row
 * report's peak RSS crept ~30 MiB above the 1M-row one's, with `arrayBuffers` climbing by
 * ~3 MiB/s between full collections (packages/server/bench/report-path.bench.ts).
 *
 * So the process checks `arrayBuffers` five times a second and runs a full collection once it
 * has grown `slack` bytes above its lowest point since the last one. Live Buffers do not make it
 * collect over and over: after a collection the count starts again from what is left, and
 * collections take at most 5% of the process's time (a server's live Buffers may swing by more
 * than the slack with its requests). The default slack, 4 MiB, costs a 10M-row PostgreSQL report from the built executable 9–14
 * collections, 0.1–0.17 s of its ~17 s, and keeps its peak at 110–114 MiB; 8 MiB gave 117–122
 * MiB with one collection, 2 MiB 106–109 MiB for ~0.5 s. `TALLY_BUFFER_GC_MIB` sets the slack in
 * MiB; `0` turns the collector off. It is set up by the executable only: a service that embeds
 * Tally's packages keeps its own process's GC policy.
 */

/** The default slack, in MiB. */
export const defaultSlackMiB = 4;
/** How often `arrayBuffers` is read. */
const checkEveryMs = 200;

/**
 * The share of the process's time collections may take: after one that took `d` ms, the next
 * waits at least `d / maxCollectShare` ms. A report never meets this bound (at 10M rows: one
 * collection of ~12 ms every ~1.5 s); a server whose live Buffers swing by more than the slack
 * with its requests would otherwise collect at every check.
 */
const maxCollectShare = 0.05;

/** What a check reads and does. */
export interface ArrayBufferCheckOptions {
  /** Growth of `arrayBuffers` over its lowest reading since the last collection that triggers one. */
  readonly slackBytes: number;
  /** The process's ArrayBuffer bytes now (`process.memoryUsage().arrayBuffers`). */
  readonly arrayBuffers: () => number;
  /** A full collection. */
  readonly collect: () => void;
  /** A monotonic clock, in milliseconds (`performance.now()`). */
  readonly now: () => number;
}

/**
 * A check to run now and then: collects when the slack is used up, unless the last collection
 * was too recent for its cost (`maxCollectShare`); says whether it collected.
 */
export const makeArrayBufferCheck = (options: ArrayBufferCheckOptions): (() => boolean) => {
  let lowest = options.arrayBuffers();
  let quietUntil = Number.NEGATIVE_INFINITY;
  return () => {
    const bytes = options.arrayBuffers();
    if (bytes < lowest) lowest = bytes;
    if (bytes - lowest <= options.slackBytes || options.now() < quietUntil) return false;
    const started = options.now();
    options.collect();
    const ended = options.now();
    quietUntil = ended + (ended - started) / maxCollectShare;
    lowest = options.arrayBuffers();
    return true;
  };
};

/**
 * The slack `TALLY_BUFFER_GC_MIB` asks for, in bytes (0: off), or a message saying what is
 * wrong with it.
 */
export const bufferGcSlack = (
  value: string | undefined,
): { readonly bytes: number } | { readonly error: string } => {
  if (value === undefined || value.trim() === "") return { bytes: defaultSlackMiB * 1024 * 1024 };
  const text = value.trim();
  const mib = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (!(mib >= 0 && mib <= 1024)) {
    return {
      error: `TALLY_BUFFER_GC_MIB: expected a whole number of MiB from 0 (off) to 1024, got '${value}'`,
    };
  }
  return { bytes: mib * 1024 * 1024 };
};

/**
 * Starts the collector for this process (a timer that does not keep it alive); nothing when
 * `slackBytes` is 0.
 */
export const startArrayBufferCollector = (slackBytes: number): void => {
  if (slackBytes === 0) return;
  const { setFlagsFromString } = process.getBuiltinModule("node:v8");
  const { runInNewContext } = process.getBuiltinModule("node:vm");
  // The one way to a full collection without starting node with --expose-gc: a context made
  // while the flag is on gets `gc`; the flag is turned off again at once.
  setFlagsFromString("--expose-gc");
  const collect = runInNewContext("gc") as () => void;
  setFlagsFromString("--no-expose-gc");
  const check = makeArrayBufferCheck({
    slackBytes,
    arrayBuffers: () => process.memoryUsage().arrayBuffers,
    collect,
    now: () => performance.now(),
  });
  setInterval(check, checkEveryMs).unref();
};
