import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentRange, decideRange } from "../../src/protocol/ByteRanges.ts";

describe("decideRange", () => {
  it("serves a range start-end inside the content as exactly that part", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.nat(), fc.nat(), (size, a, b) => {
        const start = a % size;
        const end = start + (b % (size - start));
        expect(decideRange(`bytes=${start}-${end}`, size)).toEqual({
          _tag: "Partial",
          range: { start, end },
        });
      }),
      { numRuns: 200 },
    );
  });

  it("answers unsatisfiable for any range starting at or past the end", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 1_000_000 }),
        fc.nat({ max: 1000 }),
        fc.option(fc.nat({ max: 1000 })),
        (size, extra, length) => {
          const start = size + extra;
          const header = length === null ? `bytes=${start}-` : `bytes=${start}-${start + length}`;
          expect(decideRange(header, size)).toEqual({ _tag: "Unsatisfiable" });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("never yields a partial range outside the content, whatever the header", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.string(), (size, spec) => {
        const decision = decideRange(`bytes=${spec}`, size);
        if (decision._tag === "Partial") {
          expect(decision.range.start).toBeGreaterThanOrEqual(0);
          expect(decision.range.start).toBeLessThanOrEqual(decision.range.end);
          expect(decision.range.end).toBeLessThan(size);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("serves suffix ranges and clamps an end past the content", () => {
    expect(decideRange("bytes=-10", 100)).toEqual({
      _tag: "Partial",
      range: { start: 90, end: 99 },
    });
    expect(decideRange("bytes=-500", 100)).toEqual({
      _tag: "Partial",
      range: { start: 0, end: 99 },
    });
    expect(decideRange("bytes=95-500", 100)).toEqual({
      _tag: "Partial",
      range: { start: 95, end: 99 },
    });
    expect(decideRange("bytes=-0", 100)).toEqual({ _tag: "Unsatisfiable" });
    expect(decideRange("bytes=0-", 0)).toEqual({ _tag: "Unsatisfiable" });
  });

  it("ignores what it does not honour: no header, other units, bad syntax, several ranges", () => {
    for (const header of [
      undefined,
      "items=0-1",
      "bytes=a-b",
      "bytes=5-1",
      "bytes=0-1,3-4",
      "bytes=",
      "bytes=-",
    ]) {
      expect(decideRange(header, 100)).toEqual({ _tag: "Whole" });
    }
  });

  it("writes Content-Range as bytes start-end/size", () => {
    expect(contentRange({ start: 0, end: 7 }, 229)).toBe("bytes 0-7/229");
  });
});
