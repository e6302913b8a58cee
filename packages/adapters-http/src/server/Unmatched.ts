/**
 * Requests no endpoint takes: the router matches method and path together, so what it leaves
 * is answered here from the same API definition — a path that exists with other methods is a
 * 405 with `Allow` (or, for `OPTIONS`, a 204 with `Allow`), any other path a 404, a path with a
 * malformed percent-encoding a 400; each as the face's problem details.
 */
import { Effect } from "effect";
import { HttpServerRequest, HttpServerResponse } from "effect/http";
import { TallyApi } from "../api/TallyApi.ts";
import { HttpProblem } from "../problems/HttpProblem.ts";
import { faceOfPath, problemResponse } from "../problems/ProblemResponse.ts";
import { requestPath } from "./ProblemsLive.ts";

interface KnownRoute {
  readonly method: string;
  /** Literal segments lowercased (paths match case-insensitively); null for a parameter. */
  readonly segments: ReadonlyArray<string | null>;
}

const segmentsOf = (path: string): Array<string> => {
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  return trimmed.split("/").slice(1);
};

/** Every endpoint of the API, in declaration order, and the two reference routes. */
const knownRoutes: ReadonlyArray<KnownRoute> = [
  ...Object.values(TallyApi.groups).flatMap((group) =>
    Object.values(group.endpoints).map((endpoint) => ({
      method: endpoint.method,
      segments: segmentsOf(endpoint.path).map((s) => (s.startsWith(":") ? null : s.toLowerCase())),
    })),
  ),
  { method: "GET", segments: ["openapi.json"] },
  { method: "GET", segments: ["docs"] },
];

const matches = (route: KnownRoute, segments: ReadonlyArray<string>): boolean =>
  route.segments.length === segments.length &&
  route.segments.every((s, i) =>
    s === null ? segments[i] !== "" : s === segments[i]?.toLowerCase(),
  );

const decodes = (segment: string): boolean => {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
};

/** The answer to a request no endpoint takes. */
export const unmatched: Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  HttpServerRequest.HttpServerRequest
> = Effect.map(Effect.service(HttpServerRequest.HttpServerRequest), (request) => {
  const path = requestPath(request);
  const face = faceOfPath(path);
  const segments = segmentsOf(path);
  if (!segments.every(decodes)) {
    return problemResponse(
      face,
      new HttpProblem({
        kind: "validation-failed",
        detail: "the path has a malformed percent-encoding",
      }),
      path,
    );
  }
  const candidates = knownRoutes.filter((route) => matches(route, segments));
  if (candidates.length === 0) {
    return problemResponse(
      face,
      new HttpProblem({ kind: "route-not-found", detail: `no endpoint at ${path}` }),
      path,
    );
  }
  const methods = [...new Set(candidates.map((route) => route.method))];
  if (methods.includes("GET")) methods.push("HEAD");
  const allow = [...methods, "OPTIONS"].join(", ");
  const method = request.method.toUpperCase();
  if (method === "OPTIONS") return HttpServerResponse.empty({ status: 204, headers: { allow } });
  return problemResponse(
    face,
    new HttpProblem({
      kind: "method-not-allowed",
      detail: `${method} is not allowed on ${path}; allowed: ${allow}`,
      headers: { allow },
    }),
    path,
  );
});
