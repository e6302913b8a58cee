import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeGiven } from "../../src/domain/GivenText.ts";
import { quoteGiven } from "../../src/index.ts";

const astral = "😀"; // one code point, two UTF-16 code units

describe("quoteGiven", () => {
  it("quotes the text like JSON, so spaces, control characters and emptiness show", () => {
    expect(quoteGiven("")).toBe('""');
    expect(quoteGiven(" a\tb\n")).toBe('" a\\tb\\n"');
    expect(quoteGiven('say "hi"')).toBe('"say \\"hi\\""');
  });

  it("shows up to 64 code points whole, counting an astral character as one", () => {
    const ascii = "a".repeat(64);
    expect(quoteGiven(ascii)).toBe(JSON.stringify(ascii));
    const astrals = astral.repeat(64); // 128 code units
    expect(quoteGiven(astrals)).toBe(JSON.stringify(astrals));
    const mixed = `${astral.repeat(10)}${"b".repeat(54)}`;
    expect(quoteGiven(mixed)).toBe(JSON.stringify(mixed));
  });

  it("cuts a longer text after 64 code points, never inside a surrogate pair, and says how long it was", () => {
    expect(quoteGiven("a".repeat(65))).toBe(`${JSON.stringify("a".repeat(64))}… (65 characters)`);
    expect(quoteGiven(astral.repeat(65))).toBe(
      `${JSON.stringify(astral.repeat(64))}… (65 characters)`,
    );
    expect(quoteGiven(`${"a".repeat(63)}${astral}${astral}`)).toBe(
      `${JSON.stringify(`${"a".repeat(63)}${astral}`)}… (65 characters)`,
    );
  });

  it("gives back any text of at most 64 code points when read as JSON, and cuts any longer one", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 100 }), (text) => {
        const codePoints = Array.from(text);
        const quoted = quoteGiven(text);
        if (codePoints.length <= 64) expect(JSON.parse(quoted)).toBe(text);
        else {
          expect(quoted).toBe(
            `${JSON.stringify(codePoints.slice(0, 64).join(""))}… (${codePoints.length} characters)`,
          );
        }
      }),
    );
  });
});

describe("describeGiven", () => {
  const nested = (depth: number, wrap: (inner: unknown) => unknown): unknown => {
    let value: unknown = 0;
    for (let i = 0; i < depth; i++) value = wrap(value);
    return value;
  };

  it("describes a value too deeply nested to print instead of overflowing the stack", () => {
    expect(describeGiven(nested(100_000, (inner) => [inner]))).toBe("a deeply nested array");
    expect(describeGiven(nested(100_000, (inner) => ({ a: inner })))).toBe(
      "a deeply nested object",
    );
  });

  it("says what JSON cannot hold instead of throwing", () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(describeGiven(cyclic)).toBe("object that JSON cannot hold");
    expect(describeGiven([1, cyclic])).toBe("object that JSON cannot hold");
  });

  it("names the kind of a value JSON writes as nothing", () => {
    expect(describeGiven(() => 1)).toBe("function");
  });

  it("shows strings as quoteGiven does, long ones cut", () => {
    const long = "y".repeat(100);
    expect(describeGiven(long)).toBe(quoteGiven(long));
    expect(describeGiven(long)).toBe(`${JSON.stringify("y".repeat(64))}… (100 characters)`);
  });
});
