/**
 * A page of a keyset-paginated listing as the native API answers it: `{items, nextCursor}`
 * and, when there may be more, a `Link: <…>; rel="next"` header.
 */

import { Effect } from "effect";
import { HttpServerRequest } from "effect/http";
import { HttpApiSchema } from "effect/http-api";
import type { Paths } from "../Paths.ts";

/** A page of items whose next-page cursor `cursorOf` makes from the last item. */
export const keysetPage = <A, B>(
  items: ReadonlyArray<A>,
  limit: number,
  paths: Paths,
  render: (item: A) => B,
  cursorOf: (last: A) => string,
) =>
  Effect.map(Effect.service(HttpServerRequest.HttpServerRequest), (request) => {
    const last = items[items.length - 1];
    const nextCursor = items.length === limit && last !== undefined ? cursorOf(last) : null;
    return HttpApiSchema.withHeaders({
      body: { items: items.map(render), nextCursor },
      headers:
        nextCursor === null
          ? {}
          : { link: `<${paths.nextPage(request.url, nextCursor)}>; rel="next"` },
    });
  });
