/**
 * The middleware every endpoint of the faces runs under, as declarations (the implementations
 * live with the server): `Authentication` reads `Authorization: Bearer` or HTTP Basic and
 * provides the `CurrentPrincipal`; `Problems` answers every failure — a bad parameter, a
 * refusal, a core error, a defect — as the face's problem details.
 */
import type { Principal } from "@tally/core";
import { Context } from "effect";
import { HttpApiMiddleware } from "effect/http-api";
import { authenticationProblem, problemAt, throttledLoginProblem } from "./Problem.ts";

/** Who is calling: the principal the credentials belong to. */
export class CurrentPrincipal extends Context.Service<CurrentPrincipal, Principal>()(
  "tally/http/CurrentPrincipal",
) {}

/**
 * How a caller authenticates, as the OpenAPI document declares it: an access token from
 * `POST /v6/Token`, or HTTP Basic with a configured user (the first vendor's clients).
 */
export const authenticationSchemes = {
  bearer: {
    description:
      "An access token from POST /v6/Token (60 minutes; refresh with the refresh token).",
    type: "http",
    scheme: "Bearer",
  },
  basic: {
    description: "A configured user name and password (the first vendor's clients use Basic).",
    type: "http",
    scheme: "basic",
  },
} as const;

/**
 * Bearer tokens or HTTP Basic (`authenticationSchemes`), read from `Authorization` by the
 * middleware itself. A small escape hatch: HttpApi's security middleware decodes each scheme in
 * turn and tries them one after the other, which cost ~15% of the CPU of a task read (the
 * most frequent request); the document still declares both schemes on every endpoint that
 * takes credentials (see `TallyApi`).
 */
export class Authentication extends HttpApiMiddleware.Service<
  Authentication,
  { provides: CurrentPrincipal }
>()("tally/http/Authentication", {
  error: [authenticationProblem, throttledLoginProblem],
}) {}

/** Every failure as the face's problem details; nothing unexpected ever leaks. */
export class Problems extends HttpApiMiddleware.Service<Problems>()("tally/http/Problems", {
  error: [
    problemAt(500, "An unexpected error (logged; nothing about it is revealed)"),
    problemAt(503, "Storage is busy or unreachable; retry later (`Retry-After`)"),
  ],
}) {}
