/**
 * Face 2's handlers (the second vendor's API v6): the token endpoint and the synchronous
 * license overview. Both read their bodies themselves (Tally's limits, strict UTF-8, the
 * vendor's error forms); the endpoints' payload Schemas document them and decode them.
 */
import { HttpApiBuilder } from "effect/http-api";
import { TallyApi } from "../../api/TallyApi.ts";
import type { Authenticator } from "../auth/Authenticator.ts";
import { answeredByProblems, type HandlerContext } from "../Handling.ts";
import { generateLicenseOverview } from "./LicenseOverviewHandler.ts";
import { issueToken } from "./TokenHandler.ts";

/** The handlers of face 2. */
export const licensingHandlers = (
  { options, paths }: HandlerContext,
  authenticator: Authenticator,
) =>
  HttpApiBuilder.group(TallyApi, "licensing", (handlers) =>
    handlers
      .handleRaw("issueToken", (input) =>
        answeredByProblems(
          issueToken(
            authenticator,
            {
              accessTokenTtlMs: options.accessTokenTtlMs,
              refreshTokenTtlMs: options.refreshTokenTtlMs,
            },
            options.maxBodyBytes,
          )(input),
        ),
      )
      .handleRaw("generateLicenseOverview", (input) =>
        answeredByProblems(
          generateLicenseOverview(
            {
              timeoutMs: options.syncReportTimeoutMs,
              pollMs: options.syncReportPollMs,
              maxBodyBytes: options.maxBodyBytes,
            },
            paths,
          )(input),
        ),
      ),
  );
