/**
 * The AccountStore port on PostgreSQL: API accounts and the hashes of issued tokens.
 */
import { type Account, AccountStore, type IssuedToken } from "@tally/core";
import { Option } from "effect";
import type { PostgresDatabase } from "./PostgresDatabase.ts";

/** An AccountStore over a PostgreSQL database. */
export const makePostgresAccountStore = (database: PostgresDatabase): AccountStore["Service"] => {
  const accounts = (db: PostgresDatabase["kysely"]) =>
    db
      .selectFrom("accounts")
      .select(["username", "password_hash as passwordHash", "role", "tenant_id as tenantId"]);
  const tokens = (db: PostgresDatabase["kysely"]) =>
    db
      .selectFrom("issued_tokens")
      .select(["token_hash as tokenHash", "kind", "username", "expires_at as expiresAt"]);
  return AccountStore.of({
    upsertAccount: (account) =>
      database.use("AccountStore.upsertAccount", async (db) => {
        const row = {
          username: account.username,
          password_hash: account.passwordHash,
          role: account.role,
          tenant_id: account.tenantId,
        };
        await db
          .insertInto("accounts")
          .values(row)
          .onConflict((conflict) =>
            conflict.column("username").doUpdateSet({
              password_hash: row.password_hash,
              role: row.role,
              tenant_id: row.tenant_id,
            }),
          )
          .execute();
      }),
    getAccount: (username) =>
      database.use("AccountStore.getAccount", async (db) =>
        Option.fromNullishOr(
          (await accounts(db).where("username", "=", username).executeTakeFirst()) as
            | Account
            | undefined,
        ),
      ),
    listAccounts: () =>
      database.use(
        "AccountStore.listAccounts",
        async (db) => (await accounts(db).orderBy("username").execute()) as Array<Account>,
      ),
    putToken: (token) =>
      database.use("AccountStore.putToken", async (db) => {
        const row = {
          token_hash: token.tokenHash,
          kind: token.kind,
          username: token.username,
          expires_at: token.expiresAt,
        };
        await db
          .insertInto("issued_tokens")
          .values(row)
          .onConflict((conflict) =>
            conflict
              .column("token_hash")
              .doUpdateSet({ kind: row.kind, username: row.username, expires_at: row.expires_at }),
          )
          .execute();
      }),
    getToken: (tokenHash) =>
      database.use("AccountStore.getToken", async (db) =>
        Option.fromNullishOr(
          (await tokens(db).where("token_hash", "=", tokenHash).executeTakeFirst()) as
            | IssuedToken
            | undefined,
        ),
      ),
    deleteToken: (tokenHash) =>
      database.use("AccountStore.deleteToken", async (db) => {
        const result = await db
          .deleteFrom("issued_tokens")
          .where("token_hash", "=", tokenHash)
          .executeTakeFirst();
        return result.numDeletedRows > 0n;
      }),
    deleteExpiredTokens: (now) =>
      database.use("AccountStore.deleteExpiredTokens", async (db) => {
        const result = await db
          .deleteFrom("issued_tokens")
          .where("expires_at", "<=", now)
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      }),
  });
};
