/**
 * Figures written for people: thousands separators, fixed decimals, and never a non-zero value
 * shown as zero.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { count, duration, figure, percent, stepLabel } from "../src/pdf/ReportLabels.ts";

describe("figures for people", () => {
  it("separate thousands with commas and keep the decimals asked for", () => {
    expect(figure(24_819.5, 2)).toBe("24,819.50");
    expect(figure(1_234_567.891, 2)).toBe("1,234,567.89");
    expect(figure(999.995, 2)).toBe("1,000.00");
    expect(figure(-12_345.6, 1)).toBe("-12,345.6");
    expect(figure(0, 2)).toBe("0.00");
    expect(count(1_204)).toBe("1,204");
    expect(count(100)).toBe("100");
    expect(figure(Number.NaN, 2)).toBe("–");
  });

  it("keep two significant digits of a figure too small for its decimals", () => {
    expect(figure(0.000284, 2)).toBe("0.00028");
    expect(figure(0.004, 2)).toBe("0.004");
    expect(figure(-0.0031, 2)).toBe("-0.0031");
    expect(figure(0.004, 1)).toBe("0.004");
  });

  it("never write a non-zero figure as zero, nor a zero as anything else", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.integer({ min: 0, max: 3 }),
        (value, digits) => {
          const text = figure(value, digits);
          const read = Number(text.replaceAll(",", ""));
          if (value === 0 || Object.is(value, -0)) expect(read).toBe(0);
          else if (Math.abs(value) >= 1e-18) expect(read).not.toBe(0);
          // The text reads back as the value, to within its last shown digit.
          const decimals = text.includes(".") ? text.length - text.indexOf(".") - 1 : 0;
          expect(Math.abs(read - value)).toBeLessThanOrEqual(
            10 ** -decimals / 2 + 1e-9 * Math.abs(value),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("write percentages, durations and bucket lengths in words", () => {
    expect(percent(133.33)).toBe("133.3 %");
    expect(percent(null)).toBe("–");
    expect(duration(0)).toBe("none");
    expect(duration(40_000)).toBe("40 s");
    expect(duration(500)).toBe("0.5 s");
    expect(duration(45 * 60_000)).toBe("45 min");
    expect(duration(5.5 * 3_600_000)).toBe("5 h 30 min");
    expect(duration(152 * 86_400_000 + 9 * 3_600_000 + 59_000)).toBe("152 days 9 h");
    expect(duration(86_400_000)).toBe("1 day");
    expect(stepLabel(86_400_000)).toBe("day");
    expect(stepLabel(2 * 3_600_000)).toBe("2 hours");
    expect(stepLabel(15 * 60_000)).toBe("15 minutes");
    expect(stepLabel(14 * 86_400_000)).toBe("14 days");
  });
});
