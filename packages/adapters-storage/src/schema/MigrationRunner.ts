/**
 * Brings a database to the latest schema with kysely's Migrator, on every start.
 */
import type { Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import { type SqlDialectName, tallyMigrationProvider } from "./Migrations.ts";

/** Attempts before a start gives up on migrating (a race with another process costs one). */
const maxAttempts = 5;

/**
 * Applies the pending migrations and returns their names (empty on an up-to-date database).
 * Another process migrating the same database at the same moment can make one attempt fail
 * on kysely's bookkeeping; the statements themselves are idempotent, so it runs again.
 * Rejects with the driver's error after the last attempt.
 *
 * `migrationTableSchema` names the schema of kysely's own bookkeeping tables. Without it,
 * kysely looks for them in every schema of the database, so a second Tally (or anything else
 * migrated by kysely) in another schema of the same PostgreSQL database made it skip creating
 * them and then fail: `relation "kysely_migration_lock" does not exist`.
 */
export const migrateToLatest = async (
  // biome-ignore lint/suspicious/noExplicitAny: the migrator takes a database of any schema
  db: Kysely<any>,
  dialect: SqlDialectName,
  migrationTableSchema?: string,
): Promise<ReadonlyArray<string>> => {
  const migrator = new Migrator({
    db,
    provider: tallyMigrationProvider(dialect),
    ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results = [] } = await migrator.migrateToLatest();
    const applied = results.filter((r) => r.status === "Success").map((r) => r.migrationName);
    if (error === undefined) return applied;
    if (attempt >= maxAttempts) throw error;
    await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
  }
};
