/**
 * Keyset pagination cursors: the `(createdAt, id)` position after which the next page starts
 * (tasks, reports), or just the id (facts listed by id), handed to clients as an opaque
 * base64url token so that they neither build nor depend on it.
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

/** The opaque token of a position in a listing ordered by id alone. */
export const encodeIdCursor = (id: string): string =>
  Buffer.from(JSON.stringify([id]), "utf8").toString("base64url");

/** Reads a token made by `encodeIdCursor`; anything else is a 400 on `cursor`. */
export const decodeIdCursor = (token: string): Effect.Effect<string, HttpProblem> => {
  const invalid = fieldProblem(
    "cursor",
    "a cursor returned by a previous page (nextCursor)",
    describeActual(token),
  );
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return Effect.fail(invalid);
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 1 && typeof value[0] === "string") {
      return Effect.succeed(value[0]);
    }
  } catch {
    // fall through: not a cursor of ours
  }
  return Effect.fail(invalid);
};
