/**
 * The `Authentication` middleware: reads `Authorization` once — `Bearer <token>` or HTTP Basic
 * (RFC 9110: the scheme in any case, then one or more spaces; RFC 7617: base64 of
 * `user:password`, split at the first colon) — and provides the `CurrentPrincipal`. A header
 * with neither (none, an unknown scheme, malformed or empty credentials) gets the 401 that says
 * what was wrong with the header actually sent. Basic logins are throttled per user name and
 * per client address: the request's `remoteAddress` (the TCP peer, or what a host's trusted
 * proxy middleware put there).
 *
 * Its failures are `HttpProblem`s and core errors, answered by the `Problems` middleware that
 * wraps every endpoint; the `Problem` declared on the middleware documents them. The accounts
 * and clock it reads are the request's (every route is given the core's services), so nothing
 * is provided here per request (each provision copies the context: it showed in profiles).
 */
import type { Principal } from "@tally/core";
import { Effect, Layer, Option, Result } from "effect";
import { Base64 } from "effect/encoding";
import { HttpServerRequest, type HttpServerResponse } from "effect/http";
import { Authentication, CurrentPrincipal } from "../api/Middleware.ts";
import type { AuthenticationServices, Authenticator } from "./auth/Authenticator.ts";

type Handled = Effect.Effect<HttpServerResponse.HttpServerResponse, unknown, CurrentPrincipal>;

/** The credentials after `scheme` and its spaces, when `authorization` uses that scheme. */
export const credentialsOf = (
  authorization: string | undefined,
  scheme: "Basic" | "Bearer",
): string | undefined => {
  if (
    authorization === undefined ||
    authorization.length <= scheme.length ||
    authorization.charCodeAt(scheme.length) !== 32 ||
    authorization.slice(0, scheme.length).toLowerCase() !== scheme.toLowerCase()
  ) {
    return undefined;
  }
  let start = scheme.length + 1;
  while (authorization.charCodeAt(start) === 32) start++;
  return start === authorization.length ? undefined : authorization.slice(start);
};

/** User name and password of Basic credentials; undefined when malformed or nameless. */
export const basicCredentials = (
  encoded: string,
): { readonly username: string; readonly password: string } | undefined => {
  const decoded = Result.getOrUndefined(Base64.decodeString(encoded));
  const separator = decoded?.indexOf(":") ?? -1;
  if (decoded === undefined || separator <= 0) return undefined;
  return { username: decoded.slice(0, separator), password: decoded.slice(separator + 1) };
};

/** The Authentication middleware over `authenticator`. */
export const authenticationLayer = (authenticator: Authenticator): Layer.Layer<Authentication> => {
  const middleware = (httpEffect: Handled) =>
    Effect.flatMap(Effect.service(HttpServerRequest.HttpServerRequest), (request) => {
      const authorization = request.headers.authorization;
      const as = <E>(principal: Effect.Effect<Principal, E, AuthenticationServices>) =>
        Effect.flatMap(principal, (p) => Effect.provideService(httpEffect, CurrentPrincipal, p));
      const token = credentialsOf(authorization, "Bearer");
      if (token !== undefined) return as(authenticator.bearer(token));
      const encoded = credentialsOf(authorization, "Basic");
      const basic = encoded === undefined ? undefined : basicCredentials(encoded);
      if (basic !== undefined) {
        const address = Option.getOrUndefined(request.remoteAddress);
        return as(authenticator.basic(basic.username, basic.password, address));
      }
      return Effect.fail(authenticator.refusal(authorization));
    });
  // Its failures are HttpProblems and core errors for the Problems middleware (see above), not
  // the documented Problem value itself; the services it reads are the request's.
  return Layer.succeed(Authentication, middleware as unknown as Authentication["Service"]);
};
