/**
 * The `Authentication` middleware: HttpApi decodes `Authorization` for each declared scheme
 * and tries Bearer, then Basic; the first that authenticates provides the `CurrentPrincipal`.
 * Basic, tried last, answers for a header neither scheme took (none, an unknown scheme, a
 * malformed or refused credential), so the 401 always says what was wrong with the header
 * actually sent.
 *
 * Its failures are `HttpProblem`s and core errors, answered by the `Problems` middleware that
 * wraps every endpoint; the `Problem` declared on the middleware documents them.
 */
import type { Principal } from "@tally/core";
import { Effect, Layer, Redacted } from "effect";
import { HttpServerRequest, type HttpServerResponse } from "effect/http";
import type { HttpApiSecurity } from "effect/http-api";
import { Authentication, CurrentPrincipal } from "../api/Middleware.ts";
import type { AuthenticationServices, Authenticator } from "./auth/Authenticator.ts";

/** The endpoint, run once the principal is known. */
type Handled = Effect.Effect<HttpServerResponse.HttpServerResponse, unknown, CurrentPrincipal>;

/** The Authentication middleware over `authenticator`, with the services it reads. */
export const authenticationLayer = (
  authenticator: Authenticator,
): Layer.Layer<Authentication, never, AuthenticationServices> =>
  Layer.effect(
    Authentication,
    Effect.gen(function* () {
      const services = yield* Effect.context<AuthenticationServices>();
      const as = <E>(
        principal: Effect.Effect<Principal, E, AuthenticationServices>,
        httpEffect: Handled,
      ) =>
        Effect.flatMap(Effect.provideContext(principal, services), (p) =>
          Effect.provideService(httpEffect, CurrentPrincipal, p),
        );
      const middleware = {
        bearer: (
          httpEffect: Handled,
          { credential }: { credential: Redacted.Redacted<string> },
        ) => {
          const token = Redacted.value(credential);
          // Not a Bearer header: Basic, tried next, answers for it.
          if (token === "") return Effect.fail(authenticator.refusal(undefined));
          return as(authenticator.bearer(token), httpEffect);
        },
        basic: (httpEffect: Handled, { credential }: { credential: HttpApiSecurity.Credentials }) =>
          Effect.gen(function* () {
            if (credential.username !== "") {
              return yield* as(
                authenticator.basic(credential.username, Redacted.value(credential.password)),
                httpEffect,
              );
            }
            const header = (yield* HttpServerRequest.HttpServerRequest).headers.authorization;
            const bearerToken = /^bearer +(\S.*)$/i.exec(header?.trim() ?? "")?.[1];
            // A Bearer header the first scheme refused: its refusal (or storage error) stands.
            if (bearerToken !== undefined)
              return yield* as(authenticator.bearer(bearerToken), httpEffect);
            return yield* Effect.fail(authenticator.refusal(header));
          }),
      };
      // The failures are HttpProblems and core errors for the Problems middleware (see above),
      // not the documented Problem value itself.
      return middleware as unknown as Authentication["Service"];
    }),
  );
