/**
 * The AccountStore port on SQLite: API accounts and the hashes of issued tokens.
 */
import { type Account, AccountStore, type IssuedToken, type Role } from "@tally/core";
import { Option } from "effect";
import type { SqliteDatabase } from "./SqliteDatabase.ts";

const upsertAccountSql = `insert into accounts (username, password_hash, role, tenant_id)
  values (?, ?, ?, ?) on conflict (username) do update set
  password_hash = excluded.password_hash, role = excluded.role, tenant_id = excluded.tenant_id`;
const accountColumns = "username, password_hash as passwordHash, role, tenant_id as tenantId";
const tokenColumns = "token_hash as tokenHash, kind, username, expires_at as expiresAt";
// Whole SQL texts, built once: the account is read on every authenticated request, and a text
// built per call would be hashed again to find its prepared statement.
const getAccountSql = `select ${accountColumns} from accounts where username = ?`;
const listAccountsSql = `select ${accountColumns} from accounts order by username`;
const getTokenSql = `select ${tokenColumns} from issued_tokens where token_hash = ?`;
const upsertTokenSql = `insert into issued_tokens (token_hash, kind, username, expires_at)
  values (?, ?, ?, ?) on conflict (token_hash) do update set kind = excluded.kind,
  username = excluded.username, expires_at = excluded.expires_at`;

type AccountRow = { username: string; passwordHash: string; role: Role; tenantId: string | null };

/** An AccountStore over an open SQLite database. */
export const makeSqliteAccountStore = (database: SqliteDatabase): AccountStore["Service"] =>
  AccountStore.of({
    upsertAccount: (account) =>
      database.use("AccountStore.upsertAccount", (db) => {
        db.statement(upsertAccountSql).run(
          account.username,
          account.passwordHash,
          account.role,
          account.tenantId,
        );
      }),
    getAccount: (username) =>
      database.use("AccountStore.getAccount", (db) =>
        Option.fromNullishOr(db.statement(getAccountSql).get(username) as Account | undefined),
      ),
    listAccounts: () =>
      database.use(
        "AccountStore.listAccounts",
        (db): ReadonlyArray<Account> => db.statement(listAccountsSql).all() as Array<AccountRow>,
      ),
    putToken: (token) =>
      database.use("AccountStore.putToken", (db) => {
        db.statement(upsertTokenSql).run(
          token.tokenHash,
          token.kind,
          token.username,
          token.expiresAt,
        );
      }),
    getToken: (tokenHash) =>
      database.use("AccountStore.getToken", (db) =>
        Option.fromNullishOr(db.statement(getTokenSql).get(tokenHash) as IssuedToken | undefined),
      ),
    deleteToken: (tokenHash) =>
      database.use(
        "AccountStore.deleteToken",
        (db) =>
          db.statement("delete from issued_tokens where token_hash = ?").run(tokenHash).changes > 0,
      ),
    deleteExpiredTokens: (now) =>
      database.use(
        "AccountStore.deleteExpiredTokens",
        (db) => db.statement("delete from issued_tokens where expires_at <= ?").run(now).changes,
      ),
  });
