import { Result, Schema } from "effect";
import { describe, expect, it } from "vitest";
import { describeGiven } from "../../src/domain/GivenText.ts";
import { FactId, type FieldIssue } from "../../src/index.ts";
import { decodeBatch } from "../../src/usecases/BatchValidation.ts";

const Item = Schema.Struct({
  id: Schema.String,
  "odd key": Schema.optionalKey(Schema.Number),
  "2nd": Schema.optionalKey(Schema.Number),
});

const issuesOf = (result: Result.Result<unknown, { issues: ReadonlyArray<FieldIssue> }>) => {
  if (Result.isSuccess(result)) throw new Error("accepted");
  return result.failure.issues;
};

describe("decodeBatch", () => {
  it("gives back a well-formed batch as decoded", () => {
    expect(decodeBatch(Item, [{ id: "a" }, { id: "b", "odd key": 1 }], "items")).toEqual(
      Result.succeed([{ id: "a" }, { id: "b", "odd key": 1 }]),
    );
  });

  it("writes a path as people write it: indexes in brackets, names after a dot, odd keys quoted", () => {
    expect(
      issuesOf(decodeBatch(Item, [{ id: "a" }, { id: 7, "odd key": "x", "2nd": null }], "vms")),
    ).toEqual([
      { field: "vms[1].id", expected: "string", actual: "7" },
      { field: 'vms[1]["odd key"]', expected: "number", actual: '"x"' },
      { field: 'vms[1]["2nd"]', expected: "number", actual: "null" },
    ]);
    expect(issuesOf(decodeBatch(Item, [{ id: "a" }, 7], "vms"))).toEqual([
      { field: "vms[1]", expected: "object", actual: "7" },
    ]);
  });

  it("reports at most 20 issues, the first ones", () => {
    const bad = Array.from({ length: 30 }, (_, i) => ({ id: i }));
    const issues = issuesOf(decodeBatch(Item, bad, "items"));
    expect(issues).toHaveLength(20);
    expect(issues[19]).toEqual({ field: "items[19].id", expected: "string", actual: "19" });
  });

  /** An item whose id is a fact's id: storable text. */
  const Fact = Schema.Struct({ id: FactId });

  it("reports at most 20 texts that cannot be stored as sent, the first ones", () => {
    const bad = Array.from({ length: 30 }, (_, i) => ({ id: `nul ${i}\u0000` }));
    const issues = issuesOf(decodeBatch(Fact, bad, "items"));
    expect(issues).toHaveLength(20);
    expect(issues[0]).toEqual({
      field: "items[0].id",
      expected: "text with no NUL (U+0000) and no lone surrogate (U+D800–U+DFFF)",
      actual: `${JSON.stringify("nul 0\u0000")} (NUL (U+0000) at index 5)`,
    });
    expect(issues[19]?.field).toBe("items[19].id");
  });

  it("accepts characters beyond U+FFFF, whose surrogates come in pairs", () => {
    expect(decodeBatch(Fact, [{ id: "\u{1F600} ok" }], "items")).toEqual(
      Result.succeed([{ id: "\u{1F600} ok" }]),
    );
    expect(issuesOf(decodeBatch(Fact, [{ id: "\uDE00 low half" }], "items"))[0]?.field).toBe(
      "items[0].id",
    );
  });

  it("says a field is missing rather than showing a value that was not sent", () => {
    expect(issuesOf(decodeBatch(Item, [{}], "items"))).toEqual([
      { field: "items[0].id", expected: "a value (the field is required)", actual: "nothing" },
    ]);
  });
});

describe("describeGiven", () => {
  it("quotes strings, writes other values as JSON and says so when nothing was given", () => {
    expect(describeGiven("csv ")).toBe('"csv "');
    expect(describeGiven(12.5)).toBe("12.5");
    expect(describeGiven(null)).toBe("null");
    expect(describeGiven({ a: [1] })).toBe('{"a":[1]}');
    expect(describeGiven(undefined)).toBe("nothing");
  });

  it("writes what JSON cannot hold as JavaScript would", () => {
    expect(describeGiven(10n)).toBe("10");
    expect(describeGiven(Symbol.for("s"))).toBe("Symbol(s)");
  });

  it("cuts a value longer than 80 characters, saying what kind it was", () => {
    const long = Array.from({ length: 40 }, (_, i) => i);
    const json = JSON.stringify(long);
    expect(describeGiven(long)).toBe(`${json.slice(0, 80)}… (object)`);
    const eighty = JSON.stringify(["x".repeat(76)]); // exactly 80 characters
    expect(describeGiven(["x".repeat(76)])).toBe(eighty);
    expect(describeGiven(["x".repeat(77)])).toBe(`["${"x".repeat(77)}"… (object)`);
  });
});
