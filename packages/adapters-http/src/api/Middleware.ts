/**
 * The middleware every endpoint of the faces runs under, as declarations (the implementations
 * live with the server): `Authentication` reads `Authorization: Bearer` or HTTP Basic and
 * provides the `CurrentPrincipal`; `Problems` answers every failure — a bad parameter, a
 * refusal, a core error, a defect — as the face's problem details.
 */
import type { Principal } from "@tally/core";
import { Context } from "effect";
import { HttpApiMiddleware, HttpApiSecurity, OpenApi } from "effect/http-api";
import { authenticationProblem, problemAt } from "./Problem.ts";

/** Who is calling: the principal the credentials belong to. */
export class CurrentPrincipal extends Context.Service<CurrentPrincipal, Principal>()(
  "tally/http/CurrentPrincipal",
) {}

/** Bearer tokens from `POST /v6/Token`, or HTTP Basic with a configured user. */
export class Authentication extends HttpApiMiddleware.Service<
  Authentication,
  { provides: CurrentPrincipal }
>()("tally/http/Authentication", {
  security: {
    bearer: HttpApiSecurity.bearer.pipe(
      HttpApiSecurity.annotate(
        OpenApi.Description,
        "An access token from POST /v6/Token (60 minutes; refresh with the refresh token).",
      ),
    ),
    basic: HttpApiSecurity.basic.pipe(
      HttpApiSecurity.annotate(
        OpenApi.Description,
        "A configured user name and password (the first vendor's clients use Basic).",
      ),
    ),
  },
  error: authenticationProblem,
}) {}

/** Every failure as the face's problem details; nothing unexpected ever leaks. */
export class Problems extends HttpApiMiddleware.Service<Problems>()("tally/http/Problems", {
  error: [
    problemAt(500, "An unexpected error (logged; nothing about it is revealed)"),
    problemAt(503, "Storage is busy or unreachable; retry later (`Retry-After`)"),
  ],
}) {}
