/**
 * Turns the route table into one HTTP application: finds the route for a request (404 for an
 * unknown path, 405 with `Allow` for a known path and another method, `OPTIONS` answered from
 * the table), authenticates when the route needs it, runs the handler, and renders every
 * failure as the face's problem details. Unexpected defects are logged and answered with a
 * generic 500 that reveals nothing; no request can make the application fail.
 */
import { Effect } from "effect";
import { HttpServerRequest, HttpServerResponse } from "effect/http";
import type { Authenticator } from "../auth/Authenticator.ts";
import { internalProblem, problemFromFailure } from "../problems/CoreErrorProblems.ts";
import { HttpProblem } from "../problems/HttpProblem.ts";
import { problemResponse } from "../problems/ProblemResponse.ts";
import type { CoreServices, Face, Route } from "./Route.ts";

interface CompiledRoute {
  readonly route: Route<CoreServices>;
  readonly segments: ReadonlyArray<{ readonly literal: string } | { readonly param: string }>;
}

const splitPath = (path: string): Array<string> => {
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  return trimmed.split("/").slice(1);
};

const compile = (route: Route<CoreServices>): CompiledRoute => ({
  route,
  segments: splitPath(route.path).map((segment) => {
    const param = /^\{(\w+)\}$/.exec(segment);
    return param?.[1] !== undefined
      ? { param: param[1] }
      : { literal: route.caseInsensitive === true ? segment.toLowerCase() : segment };
  }),
});

const matchPath = (
  compiled: CompiledRoute,
  rawSegments: ReadonlyArray<string>,
  decoded: ReadonlyArray<string>,
): Record<string, string> | undefined => {
  if (compiled.segments.length !== rawSegments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < rawSegments.length; i++) {
    const pattern = compiled.segments[i];
    const raw = rawSegments[i] as string;
    if (pattern === undefined) return undefined;
    if ("param" in pattern) {
      const value = decoded[i] as string;
      if (value === "") return undefined;
      params[pattern.param] = value;
    } else {
      const candidate = compiled.route.caseInsensitive === true ? raw.toLowerCase() : raw;
      if (candidate !== pattern.literal) return undefined;
    }
  }
  return params;
};

/** The face whose error format applies to a path no route matched. */
export const faceOfPath = (path: string): Face => {
  const lower = path.toLowerCase();
  if (lower.startsWith("/api/2.0/")) return "virtualization";
  if (lower.startsWith("/v6/")) return "licensing";
  return "native";
};

const safeDecode = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/** The HTTP application of a route table. */
export const makeDispatcher = (
  routes: ReadonlyArray<Route<CoreServices>>,
  authenticator: Authenticator,
): Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  HttpServerRequest.HttpServerRequest | CoreServices
> => {
  const compiled = routes.map(compile);

  const respond = Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest;
    let url: URL;
    try {
      url = new URL(request.url, "http://localhost");
    } catch {
      return problemResponse(
        "native",
        new HttpProblem({
          kind: "validation-failed",
          detail: "the request target is not a valid URL",
        }),
        "/",
      );
    }
    const face = faceOfPath(url.pathname);
    const rawSegments = splitPath(url.pathname);
    const decoded = rawSegments.map(safeDecode);
    if (decoded.some((s) => s === undefined)) {
      return problemResponse(
        face,
        new HttpProblem({
          kind: "validation-failed",
          detail: "the path has a malformed percent-encoding",
        }),
        url.pathname,
      );
    }
    const method = request.method.toUpperCase();
    const lookup: string = method === "HEAD" ? "GET" : method;
    const candidates: Array<{ route: Route<CoreServices>; params: Record<string, string> }> = [];
    for (const entry of compiled) {
      const params = matchPath(entry, rawSegments, decoded as ReadonlyArray<string>);
      if (params !== undefined) candidates.push({ route: entry.route, params });
    }
    if (candidates.length === 0) {
      return problemResponse(
        face,
        new HttpProblem({ kind: "route-not-found", detail: `no endpoint at ${url.pathname}` }),
        url.pathname,
      );
    }
    const found = candidates.find((c) => c.route.method === lookup);
    if (found === undefined) {
      const allowed: Array<string> = [...new Set(candidates.map((c) => c.route.method))];
      if (allowed.includes("GET")) allowed.push("HEAD");
      const allow = [...allowed, "OPTIONS"].join(", ");
      if (method === "OPTIONS") {
        return HttpServerResponse.empty({ status: 204, headers: { allow } });
      }
      return problemResponse(
        candidates[0]?.route.face ?? face,
        new HttpProblem({
          kind: "method-not-allowed",
          detail: `${method} is not allowed on ${url.pathname}; allowed: ${allow}`,
          headers: { allow },
        }),
        url.pathname,
      );
    }
    const { route, params } = found;
    const handled =
      route.access === "public"
        ? route.handle({ request, url, params })
        : Effect.flatMap(authenticator.authenticate(request.headers.authorization), (principal) =>
            route.handle({ request, url, params, principal }),
          );
    return yield* handled.pipe(
      Effect.catch((error: unknown) => {
        const mapped = problemFromFailure(error);
        const response = problemResponse(route.face, mapped.problem, url.pathname);
        return mapped.logAs === undefined
          ? Effect.succeed(response)
          : Effect.as(
              Effect.logError(`${method} ${url.pathname} failed: ${mapped.logAs}`),
              response,
            );
      }),
      Effect.catchDefect((defect) =>
        Effect.as(
          Effect.logError(`${method} ${url.pathname} failed with a defect`, defect),
          problemResponse(route.face, internalProblem(), url.pathname),
        ),
      ),
    );
  });

  return respond.pipe(
    Effect.catchDefect((defect) =>
      Effect.as(
        Effect.logError("request handling failed with a defect", defect),
        problemResponse("native", internalProblem(), "/"),
      ),
    ),
  );
};
