import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  bufferGcSlack,
  defaultSlackMiB,
  makeArrayBufferCheck,
} from "../../src/bin/ArrayBufferCollector.ts";

const MiB = 1024 * 1024;

/** A check over scripted `arrayBuffers` readings, counting its collections. */
const scripted = (slackBytes: number, start: number) => {
  let reading = start;
  let collections = 0;
  /** The clock, in ms; each collection takes `collectMs` of it. */
  let clock = 0;
  const collectMs = 10;
  /** What a collection leaves (by default: the reading as it is, all of it live). */
  let survives = (before: number) => before;
  const check = makeArrayBufferCheck({
    slackBytes,
    arrayBuffers: () => reading,
    collect: () => {
      collections++;
      clock += collectMs;
      reading = survives(reading);
    },
    now: () => clock,
  });
  return {
    /** A check a second after the one before (far past any quiet period of a 10 ms collection). */
    check: () => {
      clock += 1000;
      return check();
    },
    /** A check `ms` after the one before. */
    checkAfter: (ms: number) => {
      clock += ms;
      return check();
    },
    set: (bytes: number) => {
      reading = bytes;
    },
    survive: (f: (before: number) => number) => {
      survives = f;
    },
    collections: () => collections,
  };
};

describe("ArrayBufferCollector's check", () => {
  it("collects once the growth over the lowest reading passes the slack, not before", () => {
    const c = scripted(8 * MiB, 4 * MiB);
    c.set(12 * MiB);
    expect(c.check()).toBe(false); // 8 MiB over 4: within the slack
    c.set(12 * MiB + 1);
    expect(c.check()).toBe(true);
    expect(c.collections()).toBe(1);
  });

  it("measures from the lowest reading since the last collection", () => {
    const c = scripted(8 * MiB, 30 * MiB);
    c.set(2 * MiB); // live buffers went at a scavenge
    expect(c.check()).toBe(false);
    c.set(11 * MiB); // 9 MiB over the low point, though far below the first reading
    expect(c.check()).toBe(true);
  });

  it("does not collect again and again over live buffers", () => {
    const c = scripted(8 * MiB, 0);
    c.set(40 * MiB); // 40 MiB appear, all live: one collection frees nothing
    expect(c.check()).toBe(true);
    for (let i = 0; i < 10; i++) expect(c.check()).toBe(false);
    c.set(48 * MiB);
    expect(c.check()).toBe(false);
    c.set(49 * MiB);
    expect(c.check()).toBe(true);
    expect(c.collections()).toBe(2);
  });

  it("starts counting again from what a collection leaves", () => {
    const c = scripted(8 * MiB, 0);
    c.survive(() => 3 * MiB);
    c.set(20 * MiB);
    expect(c.check()).toBe(true);
    c.set(11 * MiB);
    expect(c.check()).toBe(false); // 8 MiB over the 3 left
    c.set(12 * MiB);
    expect(c.check()).toBe(true);
  });

  it("keeps collections to 5% of the time: after one of 10 ms, none for 200 ms", () => {
    const c = scripted(4 * MiB, 0);
    c.survive(() => 0); // all dead
    c.set(5 * MiB);
    expect(c.checkAfter(200)).toBe(true);
    c.set(5 * MiB); // a server's live Buffers swing back up at once
    expect(c.checkAfter(100)).toBe(false);
    expect(c.checkAfter(99)).toBe(false); // 199 ms after the collection ended
    expect(c.checkAfter(1)).toBe(true); // 200 ms: 10 ms in 210 is under 5%
    expect(c.collections()).toBe(2);
  });
});

describe("TALLY_BUFFER_GC_MIB", () => {
  it("defaults to 4 MiB and takes 0 (off) to 1024", () => {
    expect(bufferGcSlack(undefined)).toEqual({ bytes: defaultSlackMiB * MiB });
    expect(bufferGcSlack("")).toEqual({ bytes: 4 * MiB });
    expect(bufferGcSlack("0")).toEqual({ bytes: 0 });
    expect(bufferGcSlack(" 16 ")).toEqual({ bytes: 16 * MiB });
    expect(bufferGcSlack("1024")).toEqual({ bytes: 1024 * MiB });
  });

  it.each(["abc", "-1", "1.5", "1025", "8MiB", "1e3"])("refuses %j, naming it", (value) => {
    expect(bufferGcSlack(value)).toEqual({
      error: `TALLY_BUFFER_GC_MIB: expected a whole number of MiB from 0 (off) to 1024, got '${value}'`,
    });
  });
});

const node = process.execPath;
const collectorModule = fileURLToPath(
  new URL("../../src/bin/ArrayBufferCollector.ts", import.meta.url),
);
const tallyBin = fileURLToPath(new URL("../../src/bin/tally.ts", import.meta.url));

describe("the collector in a process", () => {
  it("runs real full collections (forced) when buffers appear, and not again over live ones", () => {
    // 16 MiB of live buffers appear; the collector (slack 1 MiB) collects once, then, with
    // nothing changing, stays quiet over five more checks. GC entries show forced collections.
    const script = `
      const { PerformanceObserver, constants } = await import("node:perf_hooks");
      const { startArrayBufferCollector } = await import(${JSON.stringify(collectorModule)});
      let forced = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          if (entry.detail.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) forced++;
      }).observe({ entryTypes: ["gc"] });
      startArrayBufferCollector(1024 * 1024);
      const live = Array.from({ length: 16 }, () => Buffer.alloc(1024 * 1024, 1));
      const pause = () => new Promise((resolve) => setTimeout(resolve, 250));
      for (let i = 0; i < 6; i++) await pause();
      await pause();
      console.log(JSON.stringify({ forced, live: live.length }));
    `;
    const run = spawnSync(node, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ forced: 1, live: 16 });
  });

  it("stops tally at start with exit code 2 when TALLY_BUFFER_GC_MIB is not a number of MiB", () => {
    const run = spawnSync(node, [tallyBin, "--help"], {
      encoding: "utf8",
      env: { ...process.env, TALLY_BUFFER_GC_MIB: "lots" },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      "TALLY_BUFFER_GC_MIB: expected a whole number of MiB from 0 (off) to 1024, got 'lots'\n",
    );
    expect(run.stdout).toBe("");
  });
});
