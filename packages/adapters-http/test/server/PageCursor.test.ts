import { Effect } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeCursor,
  decodeIdCursor,
  encodeCursor,
  encodeIdCursor,
} from "../../src/server/native/PageCursor.ts";

describe("page cursors", () => {
  it("give back the position they were made from", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 45 }), fc.string(), (createdAt, id) => {
        expect(Effect.runSync(decodeCursor(encodeCursor({ createdAt, id })))).toEqual({
          createdAt,
          id,
        });
      }),
      { numRuns: 200 },
    );
  });

  it("reject anything that is not a cursor of ours with a 400 on cursor", () => {
    for (const token of [
      "",
      "abc",
      "!!",
      Buffer.from('{"a":1}').toString("base64url"),
      Buffer.from('[1.5,"x"]').toString("base64url"),
    ]) {
      const exit = Effect.runSyncExit(decodeCursor(token));
      expect(exit).toMatchObject({ _tag: "Failure" });
    }
  });

  it("give back the id an id cursor was made from, and refuse a position cursor", () => {
    fc.assert(
      fc.property(fc.string(), (id) => {
        expect(Effect.runSync(decodeIdCursor(encodeIdCursor(id)))).toBe(id);
        const exit = Effect.runSyncExit(decodeIdCursor(encodeCursor({ createdAt: 1, id })));
        expect(exit).toMatchObject({ _tag: "Failure" });
      }),
      { numRuns: 200 },
    );
  });
});
