/**
 * `POST /v6/Token`, the second vendor's OAuth 2 token endpoint (RFC 6749): the resource-owner
 * password grant and the refresh-token grant, form-encoded. Success gives
 * `{access_token, token_type: "bearer", expires_in, refresh_token}`; a refusal is a 400 with
 * the OAuth `error` / `error_description` — which clients of the vendor read — in a body that
 * is also RFC 9457 problem details, like every other error of Tally.
 */
import { quoteGiven } from "@tally/core";
import { Effect, Option } from "effect";
import type { Authenticator } from "../../auth/Authenticator.ts";
import {
  type IssuedTokenPair,
  issueTokenPair,
  redeemRefreshToken,
  type TokenLifetimes,
} from "../../auth/TokenService.ts";
import { problemKinds, problemTypeUri } from "../../problems/HttpProblem.ts";
import { licensingErrorCodes } from "../../problems/ProblemResponse.ts";
import { mediaTypeOf } from "../../protocol/ContentNegotiation.ts";
import { decodeUtf8, readBodyBytes } from "../../protocol/RequestBody.ts";
import { jsonResponse } from "../../protocol/Responses.ts";
import type { CoreServices, PublicRoute } from "../../routing/Route.ts";

/** The OAuth 2 error codes this endpoint answers with (RFC 6749 §5.2). */
export type OAuthErrorCode = "invalid_request" | "invalid_grant" | "unsupported_grant_type";

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

/** The token endpoint. */
export const tokenRoute = (
  authenticator: Authenticator,
  lifetimes: TokenLifetimes,
  maxBodyBytes: number,
): PublicRoute<CoreServices> => ({
  method: "POST",
  path: "/v6/Token",
  face: "licensing",
  caseInsensitive: true,
  access: "public",
  handle: ({ request, url }) =>
    Effect.gen(function* () {
      const instance = url.pathname;
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
          const account = yield* authenticator.checkPassword(username, password);
          if (Option.isNone(account)) {
            return oauthError("invalid_grant", "the user name or password is wrong", instance);
          }
          return tokenResponse(yield* issueTokenPair(account.value.username, lifetimes));
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
    }),
  doc: {
    operationId: "issueToken",
    summary: "Get an access token (OAuth 2 password or refresh-token grant)",
    description:
      "Form-encoded `grant_type=password&username=…&password=…` or `grant_type=refresh_token&refresh_token=…`. " +
      "Access tokens live 60 minutes; a refresh token is single-use and lives 14 days. Errors follow RFC 6749 §5.2 " +
      "(`invalid_request`, `invalid_grant`, `unsupported_grant_type`) inside a problem-details body.",
    tags: ["License overview (vendor API v6)"],
    requestBody: {
      content: {
        "application/x-www-form-urlencoded": {
          schema: {
            jsonSchema: {
              type: "object",
              properties: {
                grant_type: { type: "string", enum: ["password", "refresh_token"] },
                username: { type: "string" },
                password: { type: "string", format: "password" },
                refresh_token: { type: "string" },
              },
              required: ["grant_type"],
            },
          },
        },
      },
    },
    responses: {
      "200": {
        description: "Tokens issued",
        content: {
          "application/json": {
            schema: {
              jsonSchema: {
                type: "object",
                properties: {
                  access_token: { type: "string" },
                  token_type: { type: "string", const: "bearer" },
                  expires_in: { type: "integer" },
                  refresh_token: { type: "string" },
                  refresh_expires_in: { type: "integer" },
                  username: { type: "string" },
                },
                required: ["access_token", "token_type", "expires_in", "refresh_token"],
              },
            },
          },
        },
      },
      "400": {
        description:
          "`invalid_request`, `invalid_grant` (wrong credentials or refresh token) or `unsupported_grant_type`",
      },
      "413": { description: "Body too large" },
    },
  },
});
