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
 */
import { hash } from "node:crypto";
import {
  type Account,
  AccountStore,
  Clock,
  isStorableText,
  PasswordHasher,
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

/** The services authentication reads. */
export type AuthenticationServices = AccountStore | Clock | PasswordHasher;

/** Authenticates requests and passwords. */
export interface Authenticator {
  /** The principal of a Bearer access token, or a 401. */
  readonly bearer: (
    token: string,
  ) => Effect.Effect<Principal, HttpProblem | StorageError, AuthenticationServices>;
  /** The principal of HTTP Basic credentials, or a 401. */
  readonly basic: (
    username: string,
    password: string,
  ) => Effect.Effect<Principal, HttpProblem | StorageError, AuthenticationServices>;
  /** The 401 for an `Authorization` header that carries no usable credentials. */
  readonly refusal: (authorization: string | undefined) => HttpProblem;
  /** The account when the password is right; None otherwise (same time either way). */
  readonly checkPassword: (
    username: string,
    password: string,
  ) => Effect.Effect<Option.Option<Account>, StorageError, AccountStore | PasswordHasher>;
}

interface RememberedBasic {
  readonly passwordHash: string;
  readonly until: number;
}

const maxRemembered = 10_000;

/** Makes an authenticator; `basicAuthCacheMs` is how long a good Basic check is reused. */
export const makeAuthenticator = (options: {
  readonly basicAuthCacheMs: number;
}): Authenticator => {
  const remembered = new Map<string, RememberedBasic>();
  const checking = new Map<string, Deferred.Deferred<Option.Option<Account>, StorageError>>();

  const checkPassword: Authenticator["checkPassword"] = (username, password) =>
    Effect.gen(function* () {
      // A name no backend can store names no account: no lookup (PostgreSQL would refuse it).
      const account = isStorableText(username)
        ? yield* (yield* AccountStore).getAccount(username)
        : Option.none<Account>();
      const stored = Option.isSome(account) ? account.value.passwordHash : undefined;
      const ok = yield* (yield* PasswordHasher).verify(password, stored);
      return ok ? account : Option.none();
    });

  /**
   * `checkPassword`, shared by concurrent requests with the same credentials (`key`). The check
   * runs detached, so a client that goes away does not cancel it for the others.
   */
  const sharedCheck = (key: string, username: string, password: string) =>
    Effect.gen(function* () {
      let pending = checking.get(key);
      if (pending === undefined) {
        const deferred = Deferred.makeUnsafe<Option.Option<Account>, StorageError>();
        checking.set(key, deferred);
        pending = deferred;
        yield* Effect.forkDetach(
          Effect.exit(checkPassword(username, password)).pipe(
            Effect.flatMap((exit) => {
              checking.delete(key);
              return Deferred.done(deferred, exit);
            }),
          ),
        );
      }
      return yield* Deferred.await(pending);
    });

  const basic: Authenticator["basic"] = (username, password) =>
    Effect.gen(function* () {
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
      const account = yield* sharedCheck(key, username, password);
      if (Option.isNone(account)) {
        return yield* unauthorized("the user name or password is wrong");
      }
      if (remembered.size >= maxRemembered) remembered.clear();
      remembered.set(key, {
        passwordHash: account.value.passwordHash,
        until: now + options.basicAuthCacheMs,
      });
      return principalOf(account.value);
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

  return { bearer, basic, refusal, checkPassword };
};
