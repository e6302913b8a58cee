import { describe, expect, it } from "vitest";
import { civilFromDays, daysFromCivil, daysInMonth } from "../../src/index.ts";

const dayMs = 86_400_000;

/** The calendar date of a day number by JavaScript's Date (proleptic Gregorian, UTC). */
const dateOf = (days: number) => {
  const date = new Date(days * dayMs);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
};

/** The day number of a date by JavaScript's Date (years 0–99 too, which Date.UTC would shift). */
const dayNumberOf = (year: number, month: number, day: number): number => {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.floor(date.getTime() / dayMs);
};

/** Day numbers of 1600-03-01 and 2000-03-01: one whole 400-year cycle of the calendar. */
const cycleStart = dayNumberOf(1600, 3, 1);
const cycleEnd = dayNumberOf(2000, 3, 1);

describe("the civil calendar", () => {
  it("dates every day of a whole 400-year cycle as JavaScript's Date does", () => {
    // The arithmetic repeats every 400 years, so one cycle holds every case it has.
    for (let days = cycleStart; days <= cycleEnd; days++) {
      const civil = civilFromDays(days);
      const expected = dateOf(days);
      if (
        civil.year !== expected.year ||
        civil.month !== expected.month ||
        civil.day !== expected.day
      ) {
        expect({ days, ...civil }).toEqual({ days, ...expected });
      }
    }
  });

  it("numbers every day of a whole 400-year cycle as JavaScript's Date does", () => {
    for (let days = cycleStart; days <= cycleEnd; days++) {
      const { year, month, day } = dateOf(days);
      const counted = daysFromCivil(year, month, day);
      if (counted !== days)
        expect({ year, month, day, counted }).toEqual({ year, month, day, days });
    }
  });

  it.each([
    ["-0001-12-31", -1, 12, 31],
    ["0000-01-01", 0, 1, 1],
    ["0000-02-29", 0, 2, 29],
    ["1900-03-01", 1900, 3, 1],
    ["1970-01-01", 1970, 1, 1],
    ["2000-02-29", 2000, 2, 29],
    ["2000-03-01", 2000, 3, 1],
    ["2100-02-28", 2100, 2, 28],
    ["2400-02-29", 2400, 2, 29],
    ["9999-12-31", 9999, 12, 31],
  ])(
    "finds %s (eras before and after 1970, leap days of years divisible by 400)",
    (_, year, month, day) => {
      const days = dayNumberOf(year, month, day);
      expect(civilFromDays(days)).toEqual({ year, month, day });
      expect(daysFromCivil(year, month, day)).toBe(days);
    },
  );

  it("gives February 29 days in years divisible by 4, except centuries not divisible by 400", () => {
    expect([1900, 2000, 2023, 2024, 2100, 2400, 0, 4, 100].map((y) => daysInMonth(y, 2))).toEqual([
      28, 29, 28, 29, 28, 29, 29, 29, 28,
    ]);
  });

  it("gives every month of the years 0000–9999 as many days as JavaScript's Date", () => {
    for (let year = 0; year <= 9999; year++) {
      for (let month = 1; month <= 12; month++) {
        const days = dayNumberOf(year, month + 1, 1) - dayNumberOf(year, month, 1);
        if (daysInMonth(year, month) !== days) {
          expect({ year, month, days: daysInMonth(year, month) }).toEqual({ year, month, days });
        }
      }
    }
  });
});
