/**
 * Keyset pagination cursors: the `(createdAt, id)` position after which the next page starts
 * (tasks, reports), or just the id (facts listed by id), handed to clients as an opaque
 * base64url token so that they neither build nor depend on it.
 */
import { describeGiven, isStorableText } from "@tally/core";
import { Effect } from "effect";
import { fieldProblem, type HttpProblem } from "../../problems/HttpProblem.ts";

/** A listing position: everything after `(createdAt, id)`. */
export interface PagePosition {
  readonly createdAt: number;
  readonly id: string;
}

const encode = (parts: ReadonlyArray<unknown>): string =>
  Buffer.from(JSON.stringify(parts), "utf8").toString("base64url");

/**
 * Reads a token made by `encode` whose parts `read` accepts; anything else is a 400 on `cursor`
 * (a forged token carrying an id no backend can store among them: it never reaches storage).
 */
const decode = <A>(
  token: string,
  read: (parts: ReadonlyArray<unknown>) => A | undefined,
): Effect.Effect<A, HttpProblem> => {
  if (/^[A-Za-z0-9_-]+$/.test(token)) {
    try {
      const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
      const read_ = Array.isArray(value) ? read(value) : undefined;
      if (read_ !== undefined) return Effect.succeed(read_);
    } catch {
      // not a cursor of ours
    }
  }
  return Effect.fail(
    fieldProblem(
      "cursor",
      "a cursor returned by a previous page (nextCursor)",
      describeGiven(token),
    ),
  );
};

/** The opaque token of a position. */
export const encodeCursor = (position: PagePosition): string =>
  encode([position.createdAt, position.id]);

/** Reads a token made by `encodeCursor`. */
export const decodeCursor = (token: string): Effect.Effect<PagePosition, HttpProblem> =>
  decode(token, ([createdAt, id, ...rest]) =>
    rest.length === 0 &&
    Number.isSafeInteger(createdAt) &&
    typeof id === "string" &&
    isStorableText(id)
      ? { createdAt: createdAt as number, id }
      : undefined,
  );

/** The opaque token of a position in a listing ordered by id alone. */
export const encodeIdCursor = (id: string): string => encode([id]);

/** Reads a token made by `encodeIdCursor`. */
export const decodeIdCursor = (token: string): Effect.Effect<string, HttpProblem> =>
  decode(token, ([id, ...rest]) =>
    rest.length === 0 && typeof id === "string" && isStorableText(id) ? id : undefined,
  );
