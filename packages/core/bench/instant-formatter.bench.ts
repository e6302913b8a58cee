/**
 * Micro-benchmark: ISO timestamps per second, the core's `makeInstantFormatter` against luxon
 * in the same run, for a fixed offset and for Europe/Berlin (DST), over instants spread at
 * random across 2020–2025 (a report's rows are sorted by tenant and VM, not by time) and over
 * sorted instants; the best of three rounds. Each case runs in its own process so that one case's JIT feedback does not
 * slow another's. Run: `npx -y pnpm@12.21.0 exec node packages/core/bench/instant-formatter.bench.ts`
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { DateTime, FixedOffsetZone } from "luxon";
import { makeInstantFormatter } from "../src/domain/InstantFormatter.ts";
import type { ResolvedZone } from "../src/domain/TimeZoneSpec.ts";

const count = 2_000_000;
const from = Date.UTC(2020, 0, 1);
const span = Date.UTC(2026, 0, 1) - from;

const zones: Record<string, ResolvedZone> = {
  "UTC+05:30 (Fixed)": { _tag: "Fixed", offsetMinutes: 330 },
  "Europe/Berlin (Iana)": { _tag: "Iana", name: "Europe/Berlin" },
};

/** Deterministic pseudo-random instants (a fixed LCG seed, so runs are comparable). */
const randomInstants = (n: number): Float64Array => {
  const out = new Float64Array(n);
  let state = 42;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const high = state;
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    out[i] = from + Math.floor(((high * 2 ** 32 + state) / 2 ** 64) * span);
  }
  return out;
};

const luxonFormatter = (zone: ResolvedZone): ((instant: number) => string) => {
  const luxonZone =
    zone._tag === "Fixed" ? FixedOffsetZone.instance(zone.offsetMinutes) : zone.name;
  return (instant) =>
    DateTime.fromMillis(Math.floor(instant / 1000) * 1000, { zone: luxonZone }).toISO({
      suppressMilliseconds: true,
    }) ?? "";
};

/** Formats per second for one case: which formatter, which zone, which order. */
const runCase = (engine: string, zoneLabel: string, order: string): number => {
  const zone = zones[zoneLabel] as ResolvedZone;
  const format = engine === "core" ? makeInstantFormatter(zone) : luxonFormatter(zone);
  const n = engine === "core" ? count : count / 8;
  const random = randomInstants(n);
  const instants = order === "sorted" ? Float64Array.from(random).sort() : random;
  let chars = 0;
  for (let i = 0; i < Math.min(n, 100_000); i++) chars += format(instants[i] as number).length;
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (let i = 0; i < n; i++) chars += format(instants[i] as number).length;
    best = Math.max(best, n / ((performance.now() - started) / 1000));
  }
  if (chars === 0) throw new Error("nothing formatted");
  return best;
};

const rate = (perSecond: number): string => `${(perSecond / 1e6).toFixed(2)}M/s`;

const [engineArg, zoneArg, orderArg] = process.argv.slice(2);
if (engineArg !== undefined && zoneArg !== undefined && orderArg !== undefined) {
  console.log(runCase(engineArg, zoneArg, orderArg));
} else {
  const file = fileURLToPath(import.meta.url);
  const measure = (engine: string, zone: string, order: string): number => {
    const child = spawnSync(process.execPath, [file, engine, zone, order], { encoding: "utf8" });
    if (child.status !== 0) throw new Error(child.stderr);
    return Number(child.stdout.trim());
  };
  console.log(`node ${process.version}, ${count} instants in 2020–2025 per core case`);
  for (const zone of Object.keys(zones)) {
    for (const order of ["random", "sorted"]) {
      const core = measure("core", zone, order);
      const luxon = measure("luxon", zone, order);
      console.log(
        `${zone.padEnd(22)} ${order}: core ${rate(core)}  luxon ${rate(luxon)}  (x${(core / luxon).toFixed(1)})`,
      );
    }
  }
}
