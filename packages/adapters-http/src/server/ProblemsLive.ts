/**
 * The `Problems` middleware: every failure of an endpoint — a parameter HttpApi refused, a
 * refusal of Tally's own, a core error, a defect — answered as the face's problem details.
 * Server-side faults are logged and answered with a generic 500 or a 503 that reveals nothing.
 * Successful documents get `Cache-Control: no-store` (they are per-caller) unless they chose
 * their own.
 */
import { Cause, Effect, Layer, Option } from "effect";
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http";
import { Problems } from "../api/Middleware.ts";
import {
  internalProblem,
  type MappedFailure,
  problemFromFailure,
  type RouteFailure,
} from "../problems/CoreErrorProblems.ts";
import { type Face, faceOfGroup, problemResponse } from "../problems/ProblemResponse.ts";

const failureTags: ReadonlySet<string> = new Set([
  "HttpProblem",
  "ValidationError",
  "NotFoundError",
  "ForbiddenError",
  "ConflictError",
  "IllegalTransitionError",
  "StorageError",
  "HttpApiSchemaError",
]);

const isRouteFailure = (error: unknown): error is RouteFailure =>
  typeof error === "object" &&
  error !== null &&
  "_tag" in error &&
  typeof error._tag === "string" &&
  failureTags.has(error._tag);

const describeUnknown = (error: unknown): string => {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
};

/** The path of the request (no query), as problems name their `instance`. */
export const requestPath = (request: HttpServerRequest.HttpServerRequest): string => {
  const url = request.url;
  const query = url.indexOf("?");
  return query < 0 ? url : url.slice(0, query);
};

/** The answer for a failed request of a face; logs what the operator must see. */
export const answerFailure = (
  cause: Cause.Cause<unknown>,
  face: Face,
): Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  HttpServerRequest.HttpServerRequest
> =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest;
    const path = requestPath(request);
    const error = Cause.findErrorOption(cause);
    let mapped: MappedFailure;
    if (Option.isSome(error) && isRouteFailure(error.value)) {
      const route = Option.getOrUndefined(yield* Effect.serviceOption(HttpRouter.RouteContext));
      const query = Option.getOrUndefined(
        yield* Effect.serviceOption(HttpServerRequest.ParsedSearchParams),
      );
      mapped = problemFromFailure(error.value, {
        params: route?.params,
        query,
        headers: request.headers,
      });
    } else if (Option.isSome(error)) {
      mapped = { problem: internalProblem(), logAs: describeUnknown(error.value) };
    } else {
      mapped = { problem: internalProblem(), logAs: "a defect" };
      yield* Effect.logError(`${request.method} ${path} failed with a defect`, cause);
      return problemResponse(face, mapped.problem, path);
    }
    if (mapped.logAs !== undefined) {
      yield* Effect.logError(`${request.method} ${path} failed: ${mapped.logAs}`);
    }
    return problemResponse(face, mapped.problem, path);
  });

/** Documents are per-caller: never cached by intermediaries unless the endpoint says so. */
const noStore = (response: HttpServerResponse.HttpServerResponse) =>
  response.headers["cache-control"] === undefined
    ? HttpServerResponse.setHeader(response, "cache-control", "no-store")
    : response;

/** The Problems middleware. */
export const ProblemsLive: Layer.Layer<Problems> = Layer.succeed(
  Problems,
  (httpEffect, { group }) => {
    const face = faceOfGroup(group.identifier);
    return httpEffect.pipe(
      Effect.map(noStore),
      Effect.catchCause((cause) =>
        Cause.hasInterruptsOnly(cause) ? Effect.failCause(cause) : answerFailure(cause, face),
      ),
    );
  },
);
