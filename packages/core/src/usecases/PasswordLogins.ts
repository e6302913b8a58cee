/**
 * Password logins, throttled: a password is checked only when neither its user name nor the
 * client's address is backing off after failures (`LoginBackoff`), and at most a few checks run
 * at once. A password hash is deliberately expensive (scrypt: ~32 MiB and tens of ms of a
 * thread-pool thread), so a flood of wrong passwords must cost a few checks, not one per
 * request: a throttled attempt costs no check at all, and the rest queue for a permit instead
 * of filling the platform's thread pool (which report writing shares).
 *
 * An attempt being checked counts as a failure for the attempts that come meanwhile, so a burst
 * of concurrent attempts cannot all slip in before the first of them fails. A right password
 * changes no record: failures are forgotten with time, not by a login (else every request of a
 * Basic client, each a login, would give a guesser fresh free failures). The records live in
 * this process, bounded
 * in number (the least recently failed go first), so no stream of made-up names grows memory.
 */
import { Effect, Option, Semaphore } from "effect";
import type { Account } from "../domain/Account.ts";
import type { StorageError } from "../domain/errors.ts";
import type { Instant } from "../domain/Instant.ts";
import {
  afterFailure,
  type LoginBackoffPolicy,
  type LoginFailures,
  nextAttemptAt,
} from "../domain/LoginBackoff.ts";
import { isStorableText } from "../domain/StorableText.ts";
import { AccountStore } from "../ports/AccountStore.ts";
import { Clock } from "../ports/Clock.ts";
import { PasswordHasher } from "../ports/PasswordHasher.ts";

/** How password logins are throttled. */
export interface PasswordLoginOptions {
  /** The back-off of one user name, whatever address tries it. */
  readonly perUser: LoginBackoffPolicy;
  /** The back-off of one client address, whatever user names it tries. */
  readonly perAddress: LoginBackoffPolicy;
  /** Password checks that run at once; further ones wait for a permit. */
  readonly concurrentChecks: number;
  /** Records kept of each kind (user names, addresses); the least recently failed go first. */
  readonly maxRecords: number;
}

/**
 * Defaults: 5 free failures per user name and 20 per address (several users may share one),
 * then 1 s doubling to 64 s, forgotten after 15 quiet minutes; one check at a time (the
 * thread pool has four threads by default: three stay free for files and compression).
 */
export const defaultPasswordLoginOptions: PasswordLoginOptions = {
  perUser: { freeFailures: 5, firstDelayMs: 1_000, maxDelayMs: 64_000, forgetAfterMs: 900_000 },
  perAddress: {
    freeFailures: 20,
    firstDelayMs: 1_000,
    maxDelayMs: 64_000,
    forgetAfterMs: 900_000,
  },
  concurrentChecks: 1,
  maxRecords: 10_000,
};

/** What came of a login attempt. */
export type PasswordLoginOutcome =
  | { readonly _tag: "Accepted"; readonly account: Account }
  | { readonly _tag: "Refused" }
  /** Not checked: the user name or the address backs off until `retryAt`. */
  | { readonly _tag: "Throttled"; readonly retryAt: Instant };

/** Throttled password logins (one per process: the records are its own). */
export interface PasswordLogins {
  /**
   * When `username` from `address` may next try, or undefined if now. Checks nothing, counts
   * nothing: for credentials a caller could accept without a check (e.g. remembered ones).
   */
  readonly throttledUntil: (
    username: string,
    address: string | undefined,
  ) => Effect.Effect<Instant | undefined, never, Clock>;
  /** Checks `password` unless throttled; a wrong one (or an unknown user) counts as failure. */
  readonly attempt: (
    username: string,
    password: string,
    address: string | undefined,
  ) => Effect.Effect<PasswordLoginOutcome, StorageError, AccountStore | Clock | PasswordHasher>;
}

/** The longest user name an account may have; longer ones are kept by that prefix. */
const maxKeyLength = 128;

/** A map that keeps at most `maxRecords` entries, dropping the least recently set. */
const boundedRecords = (maxRecords: number) => {
  const records = new Map<string, LoginFailures>();
  return {
    get: (key: string): LoginFailures | undefined => records.get(key),
    set: (key: string, record: LoginFailures | undefined): void => {
      records.delete(key);
      if (record === undefined) return;
      records.set(key, record);
      if (records.size > maxRecords) {
        const oldest = records.keys().next();
        if (oldest.done !== true) records.delete(oldest.value);
      }
    },
    size: (): number => records.size,
  };
};

/** Makes the throttled logins of one process. */
export const makePasswordLogins = (
  options: PasswordLoginOptions = defaultPasswordLoginOptions,
): PasswordLogins & {
  /** Entries held: failure records of names and addresses, and attempts being checked. */
  readonly recordCount: () => number;
} => {
  const users = boundedRecords(options.maxRecords);
  const addresses = boundedRecords(options.maxRecords);
  const checks = Semaphore.makeUnsafe(options.concurrentChecks);

  const pendingUsers = new Map<string, number>();
  const pendingAddresses = new Map<string, number>();
  const bump = (pending: Map<string, number>, key: string, by: number) => {
    const count = (pending.get(key) ?? 0) + by;
    if (count > 0) pending.set(key, count);
    else pending.delete(key);
  };

  const retryAtOf = (user: string, address: string | undefined, now: Instant) => {
    const userAt = nextAttemptAt(users.get(user), now, options.perUser, pendingUsers.get(user));
    const addressAt =
      address === undefined
        ? undefined
        : nextAttemptAt(
            addresses.get(address),
            now,
            options.perAddress,
            pendingAddresses.get(address),
          );
    return userAt === undefined ? addressAt : Math.max(userAt, addressAt ?? userAt);
  };

  /** Admits an attempt (pending until checked), or says until when not. */
  const admit = (user: string, address: string | undefined, now: Instant): Instant | undefined => {
    const retryAt = retryAtOf(user, address, now);
    if (retryAt !== undefined) return retryAt;
    bump(pendingUsers, user, 1);
    if (address !== undefined) bump(pendingAddresses, address, 1);
    return undefined;
  };

  /** Ends a pending attempt; a failed one is recorded at the time it failed. */
  const settle = (user: string, address: string | undefined, failed: boolean) =>
    Effect.gen(function* () {
      const now = yield* (yield* Clock).now;
      bump(pendingUsers, user, -1);
      if (failed) users.set(user, afterFailure(users.get(user), now, options.perUser));
      if (address === undefined) return;
      bump(pendingAddresses, address, -1);
      if (failed) {
        addresses.set(address, afterFailure(addresses.get(address), now, options.perAddress));
      }
    });

  const check = (username: string, password: string) =>
    Effect.gen(function* () {
      // A name no backend can store names no account: no lookup (PostgreSQL would refuse it).
      const account = isStorableText(username)
        ? yield* (yield* AccountStore).getAccount(username)
        : Option.none<Account>();
      const stored = Option.isSome(account) ? account.value.passwordHash : undefined;
      const right = yield* checks.withPermit((yield* PasswordHasher).verify(password, stored));
      return right ? Option.getOrUndefined(account) : undefined;
    });

  return {
    throttledUntil: (username, address) =>
      Effect.gen(function* () {
        const now = yield* (yield* Clock).now;
        return retryAtOf(username.slice(0, maxKeyLength), address, now);
      }),
    attempt: (username, password, address) =>
      Effect.gen(function* () {
        const user = username.slice(0, maxKeyLength);
        const retryAt = admit(user, address, yield* (yield* Clock).now);
        if (retryAt !== undefined) return { _tag: "Throttled", retryAt } as const;
        // A check that did not finish (interrupted, or storage failed) is no failure.
        const account = yield* check(username, password).pipe(
          Effect.onExit((exit) =>
            settle(user, address, exit._tag === "Success" && exit.value === undefined),
          ),
        );
        return account === undefined
          ? ({ _tag: "Refused" } as const)
          : ({ _tag: "Accepted", account } as const);
      }),
    recordCount: () => users.size() + addresses.size() + pendingUsers.size + pendingAddresses.size,
  };
};
