/**
 * Text in the embedded font never overflows: a fitted cell is at most as wide as its room, and
 * wrapped lines keep every character, in order, within the line limit. Numbers in content
 * streams are written exactly to two decimals.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ContentBuffer } from "../src/pdf/ContentBuffer.ts";
import { PdfCanvas } from "../src/pdf/PdfCanvas.ts";
import { anyCell } from "./fixtures/Arbitraries.ts";

const face = new PdfCanvas({
  title: "test",
  taskId: "t",
  generatedAt: 0,
  footer: "footer",
}).regular;

const fitted = (text: string, maxWidth: number) => {
  const out = new ContentBuffer();
  const width = face.fit(out, text, maxWidth);
  return { width, hex: Buffer.from(out.take()).toString("latin1") };
};

const text = fc.oneof(
  anyCell,
  fc
    .array(fc.constantFrom("Ромашка", "Αθηνά", "word", " ", "x"), { maxLength: 40 })
    .map((words) => words.join("")),
);
// Every column is several em wide: a single glyph (even the missing-glyph box) fits.
const room = fc.integer({ min: 3000, max: 40_000 });

describe("an embedded face", () => {
  it("fits any text into its room, whole when it fits, cut with an ellipsis when not", () => {
    const ellipsis = face.hex("…").slice(1, -1);
    fc.assert(
      fc.property(text, room, (value, maxWidth) => {
        const { width, hex } = fitted(value, maxWidth);
        expect(width).toBeLessThanOrEqual(maxWidth);
        expect(face.fittedWidth(value, maxWidth)).toBe(width);
        if (face.measure(value) <= maxWidth) expect(hex).toBe(face.hex(value));
        else expect(hex.slice(-ellipsis.length - 1)).toBe(`${ellipsis}>`);
      }),
      { numRuns: 300 },
    );
  });

  it("wraps text into at most the lines allowed, each but the last within the room, losing nothing", () => {
    fc.assert(
      fc.property(text, room, fc.integer({ min: 1, max: 4 }), (value, maxWidth, maxLines) => {
        const lines = face.wrap(value, maxWidth, maxLines);
        expect(lines.length).toBeLessThanOrEqual(maxLines);
        for (const line of lines.slice(0, -1)) {
          expect(face.measure(line)).toBeLessThanOrEqual(maxWidth);
        }
        expect(lines.join("").replace(/\s/g, "")).toBe(value.replace(/\s/g, ""));
      }),
      { numRuns: 300 },
    );
  });

  it("draws Cyrillic and Greek with real glyphs, not the missing-glyph box", () => {
    const missing = face.hex("\u{10FFFD}");
    for (const letter of "РомашкаΑθηνά") expect(face.hex(letter)).not.toBe(missing);
  });
});

describe("a content buffer", () => {
  it("writes any coordinate rounded to two decimals, without trailing zeros", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (value) => {
        const out = new ContentBuffer();
        out.number(value);
        const written = Buffer.from(out.take()).toString("latin1");
        expect(written).toMatch(/^-?\d+(\.\d?[1-9])?$/);
        expect(Number(written)).toBeCloseTo(Math.round(value * 100) / 100, 9);
      }),
      { numRuns: 300 },
    );
  });
});
