/**
 * Puts API accounts into the AccountStore: the users of the configuration file at start, one
 * user from `tally users add`, the demo's accounts. Passwords are hashed by the PasswordHasher
 * port (scrypt in the composition root) before they are stored; a clear password is never kept.
 */
import {
  type Account,
  AccountStore,
  PasswordHasher,
  type Role,
  type StorageError,
} from "@tally/core";
import { Effect } from "effect";
import type { ConfiguredUser } from "../config/TallyConfig.ts";

/** What an account is made from. */
export interface AccountInput {
  readonly username: string;
  readonly password: string;
  readonly role: Role;
  readonly tenantId: string | null;
}

/** Hashes the password and stores the account (replacing one of the same name). */
export const upsertAccountWithPassword = (
  input: AccountInput,
): Effect.Effect<Account, StorageError, AccountStore | PasswordHasher> =>
  Effect.gen(function* () {
    const account: Account = {
      username: input.username,
      passwordHash: yield* (yield* PasswordHasher).hash(input.password),
      role: input.role,
      tenantId: input.tenantId,
    };
    yield* (yield* AccountStore).upsertAccount(account);
    return account;
  });

/**
 * Stores the configured users, so that the file is the truth for them at every start; accounts
 * made with `tally users add` or the demo are left as they are.
 */
export const provisionConfiguredUsers = (
  users: ReadonlyArray<ConfiguredUser>,
): Effect.Effect<void, StorageError, AccountStore | PasswordHasher> =>
  Effect.forEach(
    users,
    (user) =>
      user.password._tag === "Plain"
        ? upsertAccountWithPassword({ ...user, password: user.password.password })
        : Effect.gen(function* () {
            yield* (yield* AccountStore).upsertAccount({
              username: user.username,
              passwordHash: user.password._tag === "Hashed" ? user.password.passwordHash : "",
              role: user.role,
              tenantId: user.tenantId,
            });
          }),
    { discard: true, concurrency: 4 },
  ).pipe(
    Effect.tap(() =>
      users.length > 0 ? Effect.logInfo(`configured ${users.length} API users`) : Effect.void,
    ),
  );
