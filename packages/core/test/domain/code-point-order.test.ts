import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareCodePoints, compareNullableLast } from "../../src/domain/CodePointOrder.ts";

const encoder = new TextEncoder();

/** The order of the strings' UTF-8 bytes, as SQLite BINARY and PostgreSQL COLLATE "C" sort. */
const compareUtf8 = (a: string, b: string): number => {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const length = Math.min(x.length, y.length);
  for (let i = 0; i < length; i++) {
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  }
  return x.length - y.length;
};

/** Strings over the characters where UTF-16 and code point order disagree. */
const tricky = fc.string({
  unit: fc.constantFrom(
    "a",
    "z",
    "\u00e9",
    "\ud7ff",
    "\ue000",
    "\uffff",
    "\u{10000}",
    "\u{1f600}",
    "\u{10ffff}",
  ),
  maxLength: 6,
});

const anyString = fc.oneof(fc.string({ unit: "binary" }), tricky);

describe("compareCodePoints", () => {
  it("orders a character above U+FFFF after U+E000–U+FFFF, unlike JavaScript's <", () => {
    expect(["\ufffd", "\u{1f600}"].sort()).toEqual(["\u{1f600}", "\ufffd"]);
    expect(compareCodePoints("\u{1f600}", "\ufffd")).toBeGreaterThan(0);
    expect(compareCodePoints("\ue000", "\u{10000}")).toBeLessThan(0);
    expect(compareCodePoints("\ud7ff", "\u{10000}")).toBeLessThan(0);
  });

  it("orders a prefix first and equal strings as equal", () => {
    expect(compareCodePoints("tenant", "tenant-1")).toBeLessThan(0);
    expect(compareCodePoints("tenant-1", "tenant")).toBeGreaterThan(0);
    expect(compareCodePoints("", "")).toBe(0);
    expect(compareCodePoints("Zürich", "Zürich")).toBe(0);
    expect(compareCodePoints("B", "a")).toBeLessThan(0);
  });

  it("agrees with comparing UTF-8 bytes for any strings", () => {
    fc.assert(
      fc.property(anyString, anyString, (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(compareUtf8(a, b)));
      }),
      { numRuns: 300 },
    );
  });

  it("agrees with comparing UTF-8 bytes for strings sharing a prefix", () => {
    fc.assert(
      fc.property(anyString, anyString, anyString, (prefix, a, b) => {
        const x = prefix + a;
        const y = prefix + b;
        expect(Math.sign(compareCodePoints(x, y))).toBe(Math.sign(compareUtf8(x, y)));
      }),
      { numRuns: 300 },
    );
  });

  it("is antisymmetric and zero only for equal strings", () => {
    fc.assert(
      fc.property(anyString, anyString, (a, b) => {
        expect(Math.sign(compareCodePoints(a, b)) + Math.sign(compareCodePoints(b, a))).toBe(0);
        expect(compareCodePoints(a, b) === 0).toBe(a === b);
      }),
      { numRuns: 300 },
    );
  });
});

describe("compareNullableLast", () => {
  it("sorts null after every string", () => {
    const sorted = ["b", null, "\u{1f600}", "", "\uffff", null, "a"].sort(compareNullableLast);
    expect(sorted).toEqual(["", "a", "b", "\uffff", "\u{1f600}", null, null]);
  });

  it("puts null last whatever the string", () => {
    fc.assert(
      fc.property(anyString, (a) => {
        expect(compareNullableLast(a, null)).toBeLessThan(0);
        expect(compareNullableLast(null, a)).toBeGreaterThan(0);
        expect(compareNullableLast(null, null)).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});
