/**
 * Who is calling: `Authorization: Bearer <token>` (tokens from the token endpoint) or HTTP
 * Basic with a configured account (the first vendor's clients use Basic). Anything else —
 * no header, an unknown scheme, a bad or expired token, a wrong password — is a 401 that
 * tells the client which schemes to use. The `Authentication` middleware's two security
 * schemes call `bearer` and `basic`; `refusal` explains a header neither of them took.
 *
 * scrypt is deliberately slow, and Basic clients send the password with every request (e.g.
 * each poll of a task), so a successful Basic check is remembered for a short while, keyed by
 * a SHA-256 of the credentials (the password itself is not kept) and tied to the stored
 * password hash (the account is read on every request: a changed password or a removed account
 * invalidates it at once). Requests that arrive with the same credentials while they are being
 * checked wait for that one check instead of each running scrypt (~32 MiB and tens of ms of CPU
 * apiece): a client opening many connections at once would otherwise queue dozens of checks.
 *
 * Password checks go through the core's `PasswordLogins`: after a few failures a user name, or
 * a client address, backs off, and its requests — right password or not, remembered or not —
 * are answered 429 with `Retry-After` without a check (a remembered password that bypassed the
 * back-off would tell a guesser which guess was right). Bearer tokens are not throttled: they
 * cannot be guessed, and checking one costs a SHA-256.
 */
import { hash } from "node:crypto";
import {
  AccountStore,
  Clock,
  type Instant,
  makePasswordLogins,
  type PasswordHasher,
  type PasswordLoginOptions,
  type PasswordLoginOutcome,
  type Principal,
  type StorageError,
} from "@tally/core";
import { Deferred, Effect, Option } from "effect";
import { HttpProblem } from "../../problems/HttpProblem.ts";
import { accountOfAccessToken, principalOf } from "./TokenService.ts";

/** The challenge sent with every 401. */
export const wwwAuthenticate = 'Bearer realm="tally", Basic realm="tally"';

/** A 401 with the challenge. */
export const unauthorized = (detail: string): HttpProblem =>
  new HttpProblem({
    kind: "unauthorized",
    detail,
    headers: { "www-authenticate": wwwAuthenticate },
  });

/** The 429 for a login while its user name or address backs off until `retryAt`. */
const throttledProblem = (retryAt: Instant, now: Instant): HttpProblem =>
  new HttpProblem({
    kind: "too-many-requests",
    detail:
      "too many failed logins of this user name or from this address: retry after the time in Retry-After",
    headers: { "retry-after": String(Math.max(1, Math.ceil((retryAt - now) / 1000))) },
  });

/** The services authentication reads. */
export type AuthenticationServices = AccountStore | Clock | PasswordHasher;

/** Authenticates requests and passwords. */
export interface Authenticator {
  /** The principal of a Bearer access token, or a 401. */
  readonly bearer: (
    token: string,
  ) => Effect.Effect<Principal, HttpProblem | StorageError, AuthenticationServices>;
  /** The principal of HTTP Basic credentials from `address`, or a 401 (429 when throttled). */
  readonly basic: (
    username: string,
    password: string,
    address: string | undefined,
  ) => Effect.Effect<Principal, HttpProblem | StorageError, AuthenticationServices>;
  /**
   * Fails with the 429 of a login that backs off until `retryAt`, held back for a while first
   * (see `makeAuthenticator`).
   */
  readonly throttled: (retryAt: Instant) => Effect.Effect<never, HttpProblem, Clock>;
  /** The 401 for an `Authorization` header that carries no usable credentials. */
  readonly refusal: (authorization: string | undefined) => HttpProblem;
  /**
   * A password login from `address` (same time for a wrong password and an unknown user),
   * throttled after failures.
   */
  readonly checkPassword: (
    username: string,
    password: string,
    address: string | undefined,
  ) => Effect.Effect<PasswordLoginOutcome, StorageError, AuthenticationServices>;
}

interface RememberedBasic {
  readonly passwordHash: string;
  readonly until: number;
}

const maxRemembered = 10_000;

/**
 * Makes an authenticator; `basicAuthCacheMs` is how long a good Basic check is reused,
 * `passwordLogins` how password logins are throttled, and `throttledAnswerDelayMs` how long a
 * 429 is held before it is sent (no longer than its `Retry-After`). Holding it costs a timer;
 * answering at once would let each connection of a flood ask again at once, and answering
 * thousands of requests a second takes the event loop from the reports being written.
 */
export const makeAuthenticator = (options: {
  readonly basicAuthCacheMs: number;
  readonly passwordLogins: PasswordLoginOptions;
  readonly throttledAnswerDelayMs: number;
}): Authenticator => {
  const remembered = new Map<string, RememberedBasic>();
  const checking = new Map<string, Deferred.Deferred<PasswordLoginOutcome, StorageError>>();
  const logins = makePasswordLogins(options.passwordLogins);

  const checkPassword: Authenticator["checkPassword"] = logins.attempt;

  const throttled: Authenticator["throttled"] = (retryAt) =>
    Effect.gen(function* () {
      const now = yield* (yield* Clock).now;
      yield* Effect.sleep(Math.min(options.throttledAnswerDelayMs, retryAt - now));
      return yield* throttledProblem(retryAt, yield* (yield* Clock).now);
    });

  /**
   * `checkPassword`, shared by concurrent requests with the same credentials (`key`). The check
   * runs detached, so a client that goes away does not cancel it for the others.
   */
  const sharedCheck = (
    key: string,
    username: string,
    password: string,
    address: string | undefined,
  ) =>
    Effect.gen(function* () {
      let pending = checking.get(key);
      if (pending === undefined) {
        const deferred = Deferred.makeUnsafe<PasswordLoginOutcome, StorageError>();
        checking.set(key, deferred);
        pending = deferred;
        yield* Effect.forkDetach(
          Effect.exit(checkPassword(username, password, address)).pipe(
            Effect.flatMap((exit) => {
              checking.delete(key);
              return Deferred.done(deferred, exit);
            }),
          ),
        );
      }
      return yield* Deferred.await(pending);
    });

  const basic: Authenticator["basic"] = (username, password, address) =>
    Effect.gen(function* () {
      const retryAt = yield* logins.throttledUntil(username, address);
      if (retryAt !== undefined) return yield* throttled(retryAt);
      const now = yield* (yield* Clock).now;
      const key = hash("sha256", `${username}\u0000${password}`);
      const hit = remembered.get(key);
      if (hit !== undefined && hit.until > now) {
        const account = yield* (yield* AccountStore).getAccount(username);
        if (Option.isSome(account) && account.value.passwordHash === hit.passwordHash) {
          return principalOf(account.value);
        }
        remembered.delete(key);
      }
      const outcome = yield* sharedCheck(key, username, password, address);
      if (outcome._tag === "Throttled") return yield* throttled(outcome.retryAt);
      if (outcome._tag === "Refused") {
        return yield* unauthorized("the user name or password is wrong");
      }
      if (remembered.size >= maxRemembered) remembered.clear();
      remembered.set(key, {
        passwordHash: outcome.account.passwordHash,
        until: now + options.basicAuthCacheMs,
      });
      return principalOf(outcome.account);
    });

  const bearer: Authenticator["bearer"] = (token) =>
    Effect.gen(function* () {
      const account = yield* accountOfAccessToken(token);
      if (Option.isNone(account)) {
        return yield* unauthorized("the access token is invalid or has expired");
      }
      return principalOf(account.value);
    });

  const refusal: Authenticator["refusal"] = (authorization) => {
    if (authorization === undefined || authorization.trim() === "") {
      return unauthorized("credentials are required: use a Bearer token or HTTP Basic");
    }
    const header = authorization.trim();
    const space = header.indexOf(" ");
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const credentials = space < 0 ? "" : header.slice(space + 1).trim();
    if (scheme === "bearer" && credentials !== "") {
      return unauthorized("the access token is invalid or has expired");
    }
    if (scheme === "basic" && credentials !== "") {
      return unauthorized("malformed Basic credentials: expected base64 of user:password");
    }
    return unauthorized("unsupported Authorization header: use a Bearer token or HTTP Basic");
  };

  return { bearer, basic, throttled, refusal, checkPassword };
};
