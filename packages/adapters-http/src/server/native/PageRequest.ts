/**
 * The page a listing asks for: `limit` (default 100, at most the configured maximum page
 * size) and the position after `cursor`, read from the listing's query.
 */
import { Effect } from "effect";
import { fieldProblem, type HttpProblem } from "../../problems/HttpProblem.ts";
import { decodeCursor, decodeIdCursor, type PagePosition } from "./PageCursor.ts";

/** The default page size. */
const defaultLimit = 100;

interface PageQuery {
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

/** A page of a listing ordered by `(createdAt, id)` or by id alone. */
export function pageRequest(
  query: PageQuery,
  maxPageSize: number,
  order: "position",
): Effect.Effect<{ readonly limit: number; readonly after: PagePosition | undefined }, HttpProblem>;
export function pageRequest(
  query: PageQuery,
  maxPageSize: number,
  order: "id",
): Effect.Effect<{ readonly limit: number; readonly after: string | undefined }, HttpProblem>;
export function pageRequest(
  query: PageQuery,
  maxPageSize: number,
  order: "position" | "id",
): Effect.Effect<{ readonly limit: number; readonly after: unknown }, HttpProblem> {
  return Effect.gen(function* () {
    const limit = query.limit ?? Math.min(defaultLimit, maxPageSize);
    if (limit > maxPageSize) {
      return yield* fieldProblem("limit", `an integer from 1 to ${maxPageSize}`, String(limit));
    }
    if (query.cursor === undefined) return { limit, after: undefined };
    const after =
      order === "position"
        ? yield* decodeCursor(query.cursor)
        : yield* decodeIdCursor(query.cursor);
    return { limit, after };
  });
}
