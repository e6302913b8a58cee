/**
 * Users who change organization within one upsert batch are grouped so that their events
 * move with one statement per (from, to) pair; the groups must say where each user ends up.
 */
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UserMoves } from "../src/records/UserMoves.ts";

describe("UserMoves", () => {
  it("groups each moved user once, from its first organization to its last", () => {
    const organizations = ["org-a", "org-b", "org-c"];
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom("u1", "u2", "u3", "u4"), fc.constantFrom(...organizations)),
        fc.array(
          fc.tuple(fc.constantFrom("u1", "u2", "u3", "u4"), fc.constantFrom(...organizations)),
        ),
        (before, batch) => {
          const current = new Map(Object.entries(before));
          const moves = new UserMoves();
          for (const [userId, to] of batch) {
            const from = current.get(userId);
            if (from !== undefined) moves.record(userId, from, to);
            current.set(userId, to);
          }
          const moved = new Map<string, readonly [string, string]>();
          for (const group of moves.groups()) {
            for (const userId of group.userIds) {
              expect(moved.get(userId), `${userId} in one group only`).toBeUndefined();
              moved.set(userId, [group.from, group.to]);
            }
          }
          // A user new in this batch starts in the organization it first arrives with.
          const first = new Map(Object.entries(before));
          for (const [userId, to] of batch) if (!first.has(userId)) first.set(userId, to);
          for (const [userId, from] of first) {
            const to = current.get(userId) as string;
            expect(moved.get(userId), userId).toEqual(from === to ? undefined : [from, to]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
