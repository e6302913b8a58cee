/**
 * The PasswordHasher port: how an account's password is kept (only as a salted, deliberately
 * slow hash) and checked. Hashing needs a platform's cryptography, so the core only names it;
 * `ScryptPasswordHasher` in `@tally/adapters-storage` is the implementation Tally runs with.
 */
import { Context, type Effect } from "effect";

/** Hashes passwords for storage and checks passwords against stored hashes. */
export class PasswordHasher extends Context.Service<
  PasswordHasher,
  {
    /** A new salted hash of `password`, self-describing (its parameters travel with it). */
    readonly hash: (password: string) => Effect.Effect<string>;
    /**
     * True when `password` matches `stored`; false for a wrong password or a malformed hash.
     * `stored` undefined (no such account) still costs one check, so "no such user" and "wrong
     * password" take the same time.
     */
    readonly verify: (password: string, stored: string | undefined) => Effect.Effect<boolean>;
  }
>()("tally/core/PasswordHasher") {}
