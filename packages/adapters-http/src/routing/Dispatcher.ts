/**
 * Turns the route table into one HTTP application: finds the route for a request (404 for an
 * unknown path, 405 with `Allow` for a known path and another method, `OPTIONS` answered from
 * the table), authenticates when the route needs it, runs the handler, and renders every
 * failure as the face's problem details. Unexpected defects are logged and answered with a
 * generic 500 that reveals nothing; no request can make the application fail.
 *
 * Clients poll tasks, so this runs for every poll: the routes are grouped by their number of
 * segments once, and a plain origin-form target (`/v1/tasks/{id}?…` made of unreserved path
 * characters) is routed from its text, its `URL` being parsed only if the handler asks for it.
 * Any other target is parsed with `URL` first, as before.
 */
import type { Principal } from "@tally/core";
import { Effect } from "effect";
import { HttpServerRequest, HttpServerResponse } from "effect/http";
import type { Authenticator } from "../auth/Authenticator.ts";
import { internalProblem, problemFromFailure } from "../problems/CoreErrorProblems.ts";
import { HttpProblem } from "../problems/HttpProblem.ts";
import { problemResponse } from "../problems/ProblemResponse.ts";
import type { AuthenticatedInput, CoreServices, Face, Route } from "./Route.ts";

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

/**
 * Targets whose path `new URL(target, base).pathname` gives back unchanged: origin-form, no
 * second leading slash (that would be an authority), only characters URL neither escapes nor
 * treats specially (no `%`, so no encoded dot segments), and no `.` or `..` segment.
 */
const plainPath = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;
const dotSegment = /(?:^|\/)\.{1,2}(?:\/|$)/;

/** The path of a request target when it can be read without parsing a URL; else undefined. */
export const plainPathOf = (target: string): string | undefined => {
  const query = target.indexOf("?");
  const path = query < 0 ? target : target.slice(0, query);
  if (path.includes("#") || !plainPath.test(path) || dotSegment.test(path)) return undefined;
  return path;
};

const requestUrl = (target: string): URL => new URL(target, "http://localhost");

/** What a handler receives; `url` is parsed on first use (most handlers never read it). */
class HandlerInput {
  readonly request: HttpServerRequest.HttpServerRequest;
  readonly params: Record<string, string>;
  readonly principal: Principal | undefined;
  private parsed: URL | undefined;

  constructor(
    request: HttpServerRequest.HttpServerRequest,
    parsed: URL | undefined,
    params: Record<string, string>,
    principal: Principal | undefined,
  ) {
    this.request = request;
    this.parsed = parsed;
    this.params = params;
    this.principal = principal;
  }

  get url(): URL {
    this.parsed ??= requestUrl(this.request.url);
    return this.parsed;
  }
}

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
  /** The routes by their number of segments, each list in table order. */
  const bySegmentCount = new Map<number, Array<CompiledRoute>>();
  for (const entry of routes.map(compile)) {
    const same = bySegmentCount.get(entry.segments.length);
    if (same === undefined) bySegmentCount.set(entry.segments.length, [entry]);
    else same.push(entry);
  }

  const respond = Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest;
    let pathname = plainPathOf(request.url);
    let parsed: URL | undefined;
    if (pathname === undefined) {
      try {
        parsed = requestUrl(request.url);
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
      pathname = parsed.pathname;
    }
    const url = { pathname };
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
    for (const entry of bySegmentCount.get(rawSegments.length) ?? []) {
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
        ? route.handle(new HandlerInput(request, parsed, params, undefined))
        : Effect.flatMap(authenticator.authenticate(request.headers.authorization), (principal) =>
            route.handle(
              new HandlerInput(request, parsed, params, principal) as AuthenticatedInput,
            ),
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
