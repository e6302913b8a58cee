/**
 * A value the database refused (`StorageError` with reason `InvalidInput`: validation let it
 * through) is the caller's 400, never a 500: naming the parameter that holds text no backend
 * can store, or the request when none does; the other storage failures keep their answers.
 */
import { StorageError } from "@tally/core";
import { describe, expect, it } from "vitest";
import { problemFromFailure } from "../../src/problems/CoreErrorProblems.ts";

const refused = new StorageError({
  reason: "InvalidInput",
  operation: "TenantDirectory.getTenant",
  detail: '22021: invalid byte sequence for encoding "UTF8": 0x00',
});
const expected =
  "a value every storage backend can hold (text with no NUL (U+0000) and no lone surrogate (U+D800–U+DFFF), numbers and dates within range)";

describe("a storage refusal of the input", () => {
  it("is a 400 naming the path or query parameter that holds unstorable text, and is logged", () => {
    const inPath = problemFromFailure(refused, {
      params: { id: "a\u0000b" },
      query: {},
      headers: {},
    });
    expect(inPath.problem.httpStatus).toBe(400);
    expect(inPath.problem.errors).toEqual([{ field: "id", expected, actual: '"a\\u0000b"' }]);
    expect(inPath.logAs).toContain("22021");
    const inQuery = problemFromFailure(refused, {
      params: { id: "fine" },
      query: { state: ["Queued", "x\ud800"] },
      headers: {},
    });
    expect(inQuery.problem.errors).toEqual([{ field: "state", expected, actual: '"x\\ud800"' }]);
  });

  it("is a 400 on the request when no parameter holds unstorable text", () => {
    const mapped = problemFromFailure(refused, {
      params: { id: "fine" },
      query: undefined,
      headers: {},
    });
    expect(mapped.problem.httpStatus).toBe(400);
    expect(mapped.problem.errors).toEqual([
      { field: "request", expected, actual: "a value the database refused" },
    ]);
  });

  it("leaves the other storage failures as they were: 503 to retry, 500 otherwise", () => {
    const given = { params: { id: "a\u0000b" }, query: {}, headers: {} };
    const busy = new StorageError({ reason: "Busy", operation: "op", detail: "locked" });
    const unknown = new StorageError({ reason: "Unknown", operation: "op", detail: "disk" });
    expect(problemFromFailure(busy, given).problem.httpStatus).toBe(503);
    expect(problemFromFailure(unknown, given).problem.httpStatus).toBe(500);
  });
});
