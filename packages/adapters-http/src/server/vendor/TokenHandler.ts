/**
 * `POST /v6/Token`, the second vendor's OAuth 2 token endpoint (RFC 6749): the resource-owner
 * password grant and the refresh-token grant, form-encoded. Success gives
 * `{access_token, token_type: "bearer", expires_in, refresh_token}`; a refusal is a 400 with
 * the OAuth `error` / `error_description` — which clients of the vendor read — in a body that
 * is also RFC 9457 problem details, like every other error of Tally. A password grant while the
 * user name or the client address backs off after failed logins is the face's 429 problem
 * (`errorCode` `TooManyRequests`, `Retry-After`), answered without checking the password.
 */
import { quoteGiven } from "@tally/core";
import { Effect, Option } from "effect";
import type { HttpServerRequest } from "effect/http";
import { problemKinds, problemTypeUri } from "../../api/Problem.ts";
import type { OAuthError } from "../../api/VendorApis.ts";
import { licensingErrorCodes } from "../../problems/ProblemResponse.ts";
import { mediaTypeOf } from "../../protocol/ContentNegotiation.ts";
import { decodeUtf8, readBodyBytes } from "../../protocol/RequestBody.ts";
import { jsonResponse } from "../../protocol/Responses.ts";
import type { Authenticator } from "../auth/Authenticator.ts";
import {
  type IssuedTokenPair,
  issueTokenPair,
  redeemRefreshToken,
  type TokenLifetimes,
} from "../auth/TokenService.ts";
import { requestPath } from "../ProblemsLive.ts";

/** The OAuth 2 error codes this endpoint answers with (RFC 6749 §5.2). */
export type OAuthErrorCode = OAuthError["error"];

const noStore = { "cache-control": "no-store", pragma: "no-cache" };

/** A 400 in OAuth form that is also a problem-details document. */
export const oauthError = (error: OAuthErrorCode, description: string, instance: string) =>
  jsonResponse(
    {
      error,
      error_description: description,
      type: problemTypeUri("validation-failed"),
      title: problemKinds["validation-failed"].title,
      status: 400,
      detail: description,
      instance,
      message: description,
      errorCode: licensingErrorCodes["validation-failed"],
    },
    { status: 400, headers: noStore },
  );

const tokenResponse = (pair: IssuedTokenPair) =>
  jsonResponse(
    {
      access_token: pair.accessToken,
      token_type: "bearer",
      expires_in: pair.expiresIn,
      refresh_token: pair.refreshToken,
      refresh_expires_in: pair.refreshExpiresIn,
      username: pair.username,
    },
    { headers: noStore },
  );

const single = (form: URLSearchParams, name: string): string | undefined | "repeated" => {
  const values = form.getAll(name);
  return values.length > 1 ? "repeated" : values[0];
};

/**
 * The token endpoint. Its answers, refusals included, are OAuth 2 JSON (which the vendor's
 * clients read), so it answers them itself; `OAuthError` documents the refusal.
 */
export const issueToken =
  (authenticator: Authenticator, lifetimes: TokenLifetimes, maxBodyBytes: number) =>
  ({ request }: { readonly request: HttpServerRequest.HttpServerRequest }) =>
    Effect.gen(function* () {
      const instance = requestPath(request);
      const contentType = request.headers["content-type"];
      if (mediaTypeOf(contentType) !== "application/x-www-form-urlencoded") {
        return oauthError(
          "invalid_request",
          `the body must be application/x-www-form-urlencoded, got ${contentType ?? "no Content-Type"}`,
          instance,
        );
      }
      const form = new URLSearchParams(
        yield* Effect.flatMap(readBodyBytes(request, maxBodyBytes), decodeUtf8),
      );
      for (const name of ["grant_type", "username", "password", "refresh_token"]) {
        if (single(form, name) === "repeated") {
          return oauthError(
            "invalid_request",
            `the parameter ${name} was given more than once`,
            instance,
          );
        }
      }
      const grantType = form.get("grant_type");
      switch (grantType) {
        case null:
        case "":
          return oauthError(
            "invalid_request",
            "grant_type is required (password or refresh_token)",
            instance,
          );
        case "password": {
          const username = form.get("username");
          const password = form.get("password");
          if (username === null || username === "" || password === null) {
            return oauthError(
              "invalid_request",
              "the password grant needs username and password",
              instance,
            );
          }
          const address = Option.getOrUndefined(request.remoteAddress);
          const login = yield* authenticator.checkPassword(username, password, address);
          if (login._tag === "Throttled") return yield* authenticator.throttled(login.retryAt);
          if (login._tag === "Refused") {
            return oauthError("invalid_grant", "the user name or password is wrong", instance);
          }
          return tokenResponse(yield* issueTokenPair(login.account.username, lifetimes));
        }
        case "refresh_token": {
          const refreshToken = form.get("refresh_token");
          if (refreshToken === null || refreshToken === "") {
            return oauthError(
              "invalid_request",
              "the refresh_token grant needs refresh_token",
              instance,
            );
          }
          const pair = yield* redeemRefreshToken(refreshToken, lifetimes);
          if (Option.isNone(pair)) {
            return oauthError(
              "invalid_grant",
              "the refresh token is invalid, expired or already used",
              instance,
            );
          }
          return tokenResponse(pair.value);
        }
        default:
          return oauthError(
            "unsupported_grant_type",
            `grant_type must be password or refresh_token, got ${quoteGiven(grantType)}`,
            instance,
          );
      }
    });
