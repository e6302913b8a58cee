/**
 * Accounts that may call Tally's APIs, and the tokens issued to them. Passwords and tokens are
 * stored only as hashes; the hashing itself is an adapter's job (the core does no crypto).
 */
import { Schema } from "effect";
import { Instant } from "./Instant.ts";
import { Role } from "./Principal.ts";

/**
 * A login. `passwordHash` is an encoded salted hash (e.g. `scrypt$N$r$p$salt$hash`);
 * `tenantId` is set exactly for tenant operators.
 */
export const Account = Schema.Struct({
  username: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(128)),
  passwordHash: Schema.String,
  role: Role,
  tenantId: Schema.NullOr(Schema.String),
});
/** A login. */
export type Account = typeof Account.Type;

/** What a token is for. */
export const TokenKind = Schema.Literals(["access", "refresh"]);
/** What a token is for. */
export type TokenKind = typeof TokenKind.Type;

/** An issued token, stored by the hash of its secret only. */
export const IssuedToken = Schema.Struct({
  tokenHash: Schema.String,
  kind: TokenKind,
  username: Schema.String,
  expiresAt: Instant,
});
/** An issued token, stored by the hash of its secret only. */
export type IssuedToken = typeof IssuedToken.Type;
