/**
 * A page of a keyset-paginated listing as the native API answers it: `{items, nextCursor}`
 * and, when there may be more, a `Link: <…>; rel="next"` header.
 */
import { jsonResponse } from "../../protocol/Responses.ts";
import { encodeCursor } from "./PageCursor.ts";

/** A page of items and the cursor of the next page (null on the last page). */
export const pageJson = <A extends { readonly createdAt: number; readonly id: string }>(
  items: ReadonlyArray<A>,
  limit: number,
  url: URL,
  render: (item: A) => unknown,
) => keysetPageJson(items, limit, url, render, encodeCursor);

/** A page of items whose next-page cursor `cursorOf` makes from the last item. */
export const keysetPageJson = <A>(
  items: ReadonlyArray<A>,
  limit: number,
  url: URL,
  render: (item: A) => unknown,
  cursorOf: (last: A) => string,
) => {
  const last = items[items.length - 1];
  const nextCursor = items.length === limit && last !== undefined ? cursorOf(last) : null;
  const headers: Record<string, string> = {};
  if (nextCursor !== null) {
    const next = new URL(url.pathname + url.search, "http://tally");
    next.searchParams.set("cursor", nextCursor);
    headers.link = `<${next.pathname}${next.search}>; rel="next"`;
  }
  return jsonResponse({ items: items.map(render), nextCursor }, { headers });
};
