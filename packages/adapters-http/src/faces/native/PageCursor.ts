/**
 * Keyset pagination cursors: the `(createdAt, id)` position after which the next page starts,
 * handed to clients as an opaque base64url token so that they neither build nor depend on it.
 */
import { Effect } from "effect";
import { describeActual, fieldProblem, type HttpProblem } from "../../problems/HttpProblem.ts";

/** A listing position: everything after `(createdAt, id)`. */
export interface PagePosition {
  readonly createdAt: number;
  readonly id: string;
}

/** The opaque token of a position. */
export const encodeCursor = (position: PagePosition): string =>
  Buffer.from(JSON.stringify([position.createdAt, position.id]), "utf8").toString("base64url");

/** Reads a token made by `encodeCursor`; anything else is a 400 on `cursor`. */
export const decodeCursor = (token: string): Effect.Effect<PagePosition, HttpProblem> => {
  const invalid = fieldProblem(
    "cursor",
    "a cursor returned by a previous page (nextCursor)",
    describeActual(token),
  );
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return Effect.fail(invalid);
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === "string"
    ) {
      return Effect.succeed({ createdAt: value[0] as number, id: value[1] });
    }
  } catch {
    // fall through: not a cursor of ours
  }
  return Effect.fail(invalid);
};
