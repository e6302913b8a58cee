import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoInstant, isoInstantOrNull } from "../../src/index.ts";

/** Every instant a JavaScript Date can hold (±8.64e15 ms). */
const maxDate = 8.64e15;

describe("isoInstant", () => {
  it("writes exactly what Date.prototype.toISOString writes, for any valid instant", () => {
    fc.assert(
      fc.property(fc.integer({ min: -maxDate, max: maxDate }), (instant) => {
        expect(isoInstant(instant)).toBe(new Date(instant).toISOString());
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (instant) => {
        expect(isoInstant(instant)).toBe(new Date(instant).toISOString());
      }),
      { numRuns: 5000 },
    );
  });

  it("matches toISOString at the edges: year 0000 and 9999, the epoch, leap days, fractions", () => {
    const edges = [
      -62_167_219_200_001,
      -62_167_219_200_000,
      -62_167_219_199_999,
      -1,
      0,
      1,
      951_782_400_000,
      951_868_799_999,
      4_107_542_399_999,
      253_402_300_799_999,
      253_402_300_800_000,
      0.5,
      -0.5,
      1_709_251_199_999.9,
      maxDate,
      -maxDate,
    ];
    for (const instant of edges) {
      expect(isoInstant(instant), String(instant)).toBe(new Date(instant).toISOString());
    }
    expect(isoInstant(951_782_400_000)).toBe("2000-02-29T00:00:00.000Z");
  });

  it("throws toISOString's RangeError for an instant no Date can hold", () => {
    for (const instant of [Number.NaN, maxDate + 1, Number.POSITIVE_INFINITY]) {
      expect(() => isoInstant(instant)).toThrow(RangeError);
    }
  });

  it("passes null through", () => {
    expect(isoInstantOrNull(null)).toBeNull();
    expect(isoInstantOrNull(0)).toBe("1970-01-01T00:00:00.000Z");
  });
});
