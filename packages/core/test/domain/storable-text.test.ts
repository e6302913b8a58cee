/**
 * Storable text: the rule that ids, names and keys must satisfy so that every storage backend
 * keeps them as given. The oracle is UTF-8 itself: text is storable exactly when it survives a
 * UTF-8 round trip (what both drivers do to it) and holds no NUL (which PostgreSQL refuses).
 */
import { Result, Schema } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeWithIssues,
  FactId,
  FactName,
  isStorableText,
  maxIdLength,
  maxNameLength,
  TenantWire,
  unstorableCharacter,
} from "../../src/index.ts";

/** Any code point, lone surrogates and NUL included, with NUL and surrogates made frequent. */
const anyCodePoint = fc.oneof(
  fc.integer({ min: 0, max: 0x10ffff }),
  fc.constantFrom(0, 0xd800, 0xdbff, 0xdc00, 0xdfff),
);
const anyText = fc.array(anyCodePoint, { maxLength: 20 }).map((codePoints) =>
  // String.fromCharCode keeps a surrogate code point as one lone code unit.
  codePoints.map((c) => (c <= 0xffff ? String.fromCharCode(c) : String.fromCodePoint(c))).join(""),
);
/** Well-formed text without NUL: what every backend stores. */
const storableText = fc
  .string({ unit: "grapheme", maxLength: 30 })
  .map((text) => text.replaceAll("\u0000", ""));

const utf8RoundTrip = (text: string): string =>
  new TextDecoder().decode(new TextEncoder().encode(text));

const decode = (schema: Schema.Decoder<unknown>, value: unknown) =>
  decodeWithIssues(Schema.Struct({ id: schema }), { id: value });

describe("storable text", () => {
  it("is exactly the text that survives UTF-8 unchanged and holds no NUL", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const oracle = utf8RoundTrip(text) === text && !text.includes("\u0000");
        expect({ text, storable: isStorableText(text) }).toEqual({ text, storable: oracle });
        expect({ text, named: unstorableCharacter(text) !== undefined }).toEqual({
          text,
          named: !oracle,
        });
      }),
      { numRuns: 2000 },
    );
  });

  it("names the first offending character and where it is", () => {
    expect(unstorableCharacter("ab\u0000c\ud800")).toBe("NUL (U+0000) at index 2");
    expect(unstorableCharacter("a\udfff")).toBe("a lone surrogate U+DFFF at index 1");
    expect(unstorableCharacter("😀\ud83d")).toBe("a lone surrogate U+D83D at index 2");
    expect(unstorableCharacter("😀")).toBeUndefined();
  });

  it("is refused in an id wherever a NUL or a lone surrogate is put, the issue naming the field and quoting it", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.constantFrom("\u0000", "\ud800", "\udbff", "\udc00", "\udfff"),
        (text, at, bad) => {
          const position = at % (text.length + 1);
          const given = `${text.slice(0, position)}${bad}${text.slice(position)}`;
          const decoded = decode(FactId, given);
          const issues = Result.isFailure(decoded) ? decoded.failure.issues : [];
          expect(issues).toContainEqual({
            field: "id",
            expected: "text with no NUL (U+0000) and no lone surrogate (U+D800–U+DFFF)",
            actual: `${JSON.stringify(given)} (${unstorableCharacter(given)})`,
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it("accepts in an id any storable text of 1 to 128 characters, given back unchanged", () => {
    fc.assert(
      fc.property(storableText, (text) => {
        const decoded = decode(FactId, text);
        const fits = text.length >= 1 && text.length <= maxIdLength;
        expect(decoded).toEqual(
          fits ? Result.succeed({ id: text }) : expect.objectContaining({ _tag: "Failure" }),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps text that is not in NFC as given: it is storable and another id than its NFC form", () => {
    const decomposed = "Cafe\u0301-Ångström\u0307"; // e + combining acute; extra dot above
    expect(decomposed.normalize("NFC")).not.toBe(decomposed);
    expect(Schema.decodeUnknownSync(FactId)(decomposed)).toBe(decomposed);
    fc.assert(
      fc.property(storableText, (text) => {
        for (const form of ["NFC", "NFD", "NFKC", "NFKD"] as const) {
          const normalized = text.normalize(form);
          expect(unstorableCharacter(normalized)).toBeUndefined();
        }
      }),
    );
  });

  it("bounds ids at 128 and names at 1,024 UTF-16 code units", () => {
    expect(decode(FactId, "x".repeat(maxIdLength))).toEqual(
      Result.succeed({ id: "x".repeat(maxIdLength) }),
    );
    expect(decode(FactId, "x".repeat(maxIdLength + 1))).toMatchObject({
      failure: { issues: [{ field: "id", expected: "a value with a length of at most 128" }] },
    });
    expect(decode(FactId, "")).toMatchObject({
      failure: { issues: [{ field: "id", expected: "a value with a length of at least 1" }] },
    });
    expect(decode(FactName, "")).toEqual(Result.succeed({ id: "" }));
    expect(decode(FactName, "é".repeat(maxNameLength))).toEqual(
      Result.succeed({ id: "é".repeat(maxNameLength) }),
    );
    expect(decode(FactName, "é".repeat(maxNameLength + 1))).toMatchObject({
      failure: { issues: [{ field: "id", expected: "a value with a length of at most 1024" }] },
    });
  });

  it("documents its rule, for the API's schema documentation", () => {
    const rule = "no NUL (U+0000) and no lone surrogate (U+D800–U+DFFF)";
    expect(Schema.resolveAnnotations(FactId)).toMatchObject({
      description: `1 to 128 characters; ${rule}`,
      expected: `text with ${rule}`,
    });
    expect(Schema.resolveAnnotations(FactName)).toMatchObject({
      description: `At most 1024 characters; ${rule}`,
      expected: `text with ${rule}`,
    });
  });

  it("is the rule of a fact's wire form: a tenant's id and name", () => {
    const decoded = decodeWithIssues(TenantWire, { id: "t\u0000", name: "Acme\ud800" });
    expect(Result.isFailure(decoded) ? decoded.failure.issues.map((i) => i.field) : []).toEqual([
      "id",
      "name",
    ]);
  });
});
