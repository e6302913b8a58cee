/**
 * The SQLite and PostgreSQL AccountStores agree with the core's in-memory one over the same
 * sequence of operations (the core ships no contract suite for this port yet).
 */
import { AccountStore, InMemory, type IssuedToken } from "@tally/core";
import { withFreshContext } from "@tally/core/testing";
import { Context, Effect } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { backends } from "./support/Backends.ts";
import { awaitSchemaDrops, requirePostgres } from "./support/TestPostgres.ts";

await requirePostgres();
afterAll(awaitSchemaDrops);

const T0 = 1_711_843_200_000;
const token = (hash: string, kind: IssuedToken["kind"], expiresAt: number): IssuedToken => ({
  tokenHash: hash,
  kind,
  username: "opérateur",
  expiresAt,
});

/** Everything the port can do, with what each step returned. */
const exercise = (store: AccountStore["Service"]) =>
  Effect.gen(function* () {
    yield* store.upsertAccount({
      username: "opérateur",
      passwordHash: "scrypt$16384$8$1$c2FsdA$aGFzaA",
      role: "TenantOperator",
      tenantId: "Zürich 🏔",
    });
    yield* store.upsertAccount({
      username: "admin",
      passwordHash: "scrypt$1",
      role: "Administrator",
      tenantId: null,
    });
    yield* store.upsertAccount({
      username: "admin",
      passwordHash: "scrypt$2",
      role: "Administrator",
      tenantId: null,
    });
    yield* store.putToken(token("h-access", "access", T0 + 3_600_000));
    yield* store.putToken(token("h-refresh", "refresh", T0 + 86_400_000));
    yield* store.putToken(token("h-old", "access", T0 - 1));
    return {
      admin: yield* store.getAccount("admin"),
      nobody: yield* store.getAccount("nobody"),
      accounts: yield* store.listAccounts(),
      access: yield* store.getToken("h-access"),
      expired: yield* store.deleteExpiredTokens(T0),
      old: yield* store.getToken("h-old"),
      deleted: yield* store.deleteToken("h-refresh"),
      deletedAgain: yield* store.deleteToken("h-refresh"),
      refresh: yield* store.getToken("h-refresh"),
    };
  });

describe.each(backends)("$name AccountStore", ({ makeLayer }) => {
  it("agrees with the in-memory AccountStore: upserts, listing, tokens and their expiry", () =>
    withFreshContext(makeLayer, async (context) => {
      const expected = await Effect.runPromise(
        Effect.provide(AccountStore.use(exercise), InMemory.stores),
      );
      const actual = await Effect.runPromise(exercise(Context.get(context, AccountStore)));
      expect(actual).toStrictEqual(expected);
      expect(actual.accounts.map((a) => a.username)).toEqual(["admin", "opérateur"]);
    }));
});
