/**
 * An in-memory AccountStore, for tests and for embedding Tally in a single process.
 */
import { Effect, Layer, Option } from "effect";
import type { Account, IssuedToken } from "../domain/Account.ts";
import { compareCodePoints } from "../domain/CodePointOrder.ts";
import { AccountStore } from "../ports/AccountStore.ts";

/** Makes a fresh, empty in-memory account store. */
export const makeInMemoryAccountStore = (): AccountStore["Service"] => {
  const accounts = new Map<string, Account>();
  const tokens = new Map<string, IssuedToken>();
  return AccountStore.of({
    upsertAccount: (account) =>
      Effect.sync(() => void accounts.set(account.username, { ...account })),
    getAccount: (username) =>
      Effect.sync(() =>
        Option.map(Option.fromNullishOr(accounts.get(username)), (a) => ({ ...a })),
      ),
    listAccounts: () =>
      Effect.sync(() =>
        [...accounts.values()]
          .sort((a, b) => compareCodePoints(a.username, b.username))
          .map((a) => ({ ...a })),
      ),
    putToken: (token) => Effect.sync(() => void tokens.set(token.tokenHash, { ...token })),
    getToken: (hash) =>
      Effect.sync(() => Option.map(Option.fromNullishOr(tokens.get(hash)), (t) => ({ ...t }))),
    deleteToken: (hash) => Effect.sync(() => tokens.delete(hash)),
    deleteExpiredTokens: (now) =>
      Effect.sync(() => {
        let removed = 0;
        for (const [hash, token] of tokens) {
          if (token.expiresAt <= now) {
            tokens.delete(hash);
            removed++;
          }
        }
        return removed;
      }),
  });
};

/** A layer with a fresh in-memory account store. */
export const InMemoryAccountStoreLayer = Layer.sync(AccountStore, makeInMemoryAccountStore);
