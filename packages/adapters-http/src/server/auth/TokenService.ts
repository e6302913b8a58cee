/**
 * Access and refresh tokens: opaque random secrets (32 bytes, base64url) handed to the client
 * once and stored only as SHA-256 hashes in the AccountStore. Access tokens authenticate
 * requests until they expire; a refresh token buys one new pair and is then gone.
 */
import { hash, randomBytes } from "node:crypto";
import { type Account, AccountStore, Clock, type Principal, type StorageError } from "@tally/core";
import { Effect, Option } from "effect";

/** The hash under which a token secret is stored (lowercase hex SHA-256). */
export const tokenHash = (secret: string): string => hash("sha256", secret, "hex");

const newSecret = (): string => randomBytes(32).toString("base64url");

/** A freshly issued token pair, as the token endpoint returns it. */
export interface IssuedTokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds until the access token expires. */
  readonly expiresIn: number;
  readonly refreshExpiresIn: number;
  readonly username: string;
}

/** How long tokens live, in ms. */
export interface TokenLifetimes {
  readonly accessTokenTtlMs: number;
  readonly refreshTokenTtlMs: number;
}

/** The principal an account acts as. */
export const principalOf = (account: Account): Principal => ({
  id: account.username,
  role: account.role,
  tenantId: account.role === "TenantOperator" ? account.tenantId : null,
});

/** Issues and stores a new access/refresh pair for an account. */
export const issueTokenPair = (
  username: string,
  lifetimes: TokenLifetimes,
): Effect.Effect<IssuedTokenPair, StorageError, AccountStore | Clock> =>
  Effect.gen(function* () {
    const accounts = yield* AccountStore;
    const now = yield* (yield* Clock).now;
    const accessToken = newSecret();
    const refreshToken = newSecret();
    yield* accounts.putToken({
      tokenHash: tokenHash(accessToken),
      kind: "access",
      username,
      expiresAt: now + lifetimes.accessTokenTtlMs,
    });
    yield* accounts.putToken({
      tokenHash: tokenHash(refreshToken),
      kind: "refresh",
      username,
      expiresAt: now + lifetimes.refreshTokenTtlMs,
    });
    return {
      accessToken,
      refreshToken,
      expiresIn: Math.floor(lifetimes.accessTokenTtlMs / 1000),
      refreshExpiresIn: Math.floor(lifetimes.refreshTokenTtlMs / 1000),
      username,
    };
  });

/**
 * Spends a refresh token: if it is a live refresh token of an existing account, it is deleted
 * and a new pair issued; otherwise None. Deleting first makes it single-use even under races.
 */
export const redeemRefreshToken = (
  refreshToken: string,
  lifetimes: TokenLifetimes,
): Effect.Effect<Option.Option<IssuedTokenPair>, StorageError, AccountStore | Clock> =>
  Effect.gen(function* () {
    const accounts = yield* AccountStore;
    const now = yield* (yield* Clock).now;
    const hash = tokenHash(refreshToken);
    const stored = yield* accounts.getToken(hash);
    if (Option.isNone(stored) || stored.value.kind !== "refresh") return Option.none();
    const removed = yield* accounts.deleteToken(hash);
    if (!removed || stored.value.expiresAt <= now) return Option.none();
    const account = yield* accounts.getAccount(stored.value.username);
    if (Option.isNone(account)) return Option.none();
    return Option.some(yield* issueTokenPair(account.value.username, lifetimes));
  });

/** The account a live access token belongs to, if any. */
export const accountOfAccessToken = (
  accessToken: string,
): Effect.Effect<Option.Option<Account>, StorageError, AccountStore | Clock> =>
  Effect.gen(function* () {
    const accounts = yield* AccountStore;
    const now = yield* (yield* Clock).now;
    const stored = yield* accounts.getToken(tokenHash(accessToken));
    if (Option.isNone(stored) || stored.value.kind !== "access" || stored.value.expiresAt <= now) {
      return Option.none();
    }
    return yield* accounts.getAccount(stored.value.username);
  });
