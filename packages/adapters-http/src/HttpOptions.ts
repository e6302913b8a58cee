/**
 * Options of the HTTP adapter, with the defaults a production deployment starts from.
 */
import { defaultPasswordLoginOptions, type PasswordLoginOptions } from "@tally/core";

/** How the HTTP layer behaves; every field has a default (see `defaultHttpOptions`). */
export interface HttpOptions {
  /**
   * The path Tally is served under when a host mounts it (e.g. `/tally`); empty when it owns
   * the server. Links and `Location` headers carry it; the OpenAPI document names it as server.
   */
  readonly basePath: string;
  /** The zone spec (`UTC`, `Local`, `UTC±HH:MM`) in which face 1 reads `from`/`to`. */
  readonly face1Zone: string;
  /** Largest JSON or form body accepted, in bytes (413 beyond). */
  readonly maxBodyBytes: number;
  /** Largest CSV ingestion body accepted, in bytes (413 beyond). */
  readonly maxCsvBodyBytes: number;
  /** Lifetime of an access token, in ms (60 minutes). */
  readonly accessTokenTtlMs: number;
  /** Lifetime of a refresh token, in ms (14 days); each is single-use. */
  readonly refreshTokenTtlMs: number;
  /** How long `GenerateLicenseOverview` waits for its task before answering 503, in ms. */
  readonly syncReportTimeoutMs: number;
  /** How often a waiting request looks at its task, in ms. */
  readonly syncReportPollMs: number;
  /** How long a successful HTTP Basic check is remembered (scrypt is slow by design), in ms. */
  readonly basicAuthCacheMs: number;
  /**
   * How password logins (HTTP Basic, the token endpoint's password grant) are throttled: the
   * back-off per user name and per client address, and how many checks run at once.
   */
  readonly passwordLogins: PasswordLoginOptions;
  /**
   * How long a 429 for a throttled login is held before it is sent, in ms (never past its
   * `Retry-After`): a flood's connections wait instead of asking again at once.
   */
  readonly throttledAnswerDelayMs: number;
  /** Largest page a listing returns (`limit` is capped here). */
  readonly maxPageSize: number;
}

/**
 * Defaults: UTC for face 1, 16 MiB JSON and CSV bodies, 60 min / 14 day tokens. CSV bodies
 * are parsed on the event loop (~1 s per MiB under load, measured by the fuzz bench), so the
 * CSV limit stays at 16 MiB; larger imports go through `tally import` or several requests.
 */
export const defaultHttpOptions: HttpOptions = {
  basePath: "",
  face1Zone: "UTC",
  maxBodyBytes: 16 * 1024 * 1024,
  maxCsvBodyBytes: 16 * 1024 * 1024,
  accessTokenTtlMs: 60 * 60_000,
  refreshTokenTtlMs: 14 * 24 * 60 * 60_000,
  syncReportTimeoutMs: 10 * 60_000,
  syncReportPollMs: 200,
  basicAuthCacheMs: 5 * 60_000,
  passwordLogins: defaultPasswordLoginOptions,
  throttledAnswerDelayMs: 1_000,
  maxPageSize: 1000,
};

/** The defaults with some fields overridden. */
export const resolveHttpOptions = (options: Partial<HttpOptions> | undefined): HttpOptions => ({
  ...defaultHttpOptions,
  ...options,
});
