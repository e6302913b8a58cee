/**
 * The AccountStore port: API accounts and the hashes of the tokens issued to them.
 */
import { Context, type Effect, type Option } from "effect";
import type { Account, IssuedToken } from "../domain/Account.ts";
import type { StorageError } from "../domain/errors.ts";
import type { Instant } from "../domain/Instant.ts";

/** API accounts and issued tokens. */
export class AccountStore extends Context.Service<
  AccountStore,
  {
    /** Inserts or replaces an account by username. */
    readonly upsertAccount: (account: Account) => Effect.Effect<void, StorageError>;
    /** The account with this username, if any. */
    readonly getAccount: (username: string) => Effect.Effect<Option.Option<Account>, StorageError>;
    /** Accounts ordered by username. */
    readonly listAccounts: () => Effect.Effect<ReadonlyArray<Account>, StorageError>;
    /** Stores an issued token (by hash). */
    readonly putToken: (token: IssuedToken) => Effect.Effect<void, StorageError>;
    /** The token with this hash, if stored (expiry is the caller's to check). */
    readonly getToken: (
      tokenHash: string,
    ) => Effect.Effect<Option.Option<IssuedToken>, StorageError>;
    /** Removes a token (refresh tokens are single-use); false if there was none. */
    readonly deleteToken: (tokenHash: string) => Effect.Effect<boolean, StorageError>;
    /** Removes every token with `expiresAt <= now`; returns how many. */
    readonly deleteExpiredTokens: (now: Instant) => Effect.Effect<number, StorageError>;
  }
>()("tally/core/AccountStore") {}
