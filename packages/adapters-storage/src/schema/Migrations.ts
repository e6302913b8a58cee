/**
 * The schema's migrations, in code, shared by SQLite and PostgreSQL. The only dialect
 * differences are column types: ids are `text COLLATE "C"` in PostgreSQL (code point order,
 * like SQLite's default BINARY collation) and bytes are `bytea` or `blob`.
 *
 * Every statement is `IF NOT EXISTS`, so two processes that start on a fresh database at once
 * cannot break it: the loser of the race finds the objects there and its bookkeeping insert
 * fails, and `migrateToLatest` simply runs again (see `MigrationRunner.ts`).
 *
 * Indexes follow the report queries (plans in `test/QueryPlans.test.ts`):
 * - `protection_periods_report (tenant_id, vm_id, start_at, end_at)`: the period stream of one
 *   tenant or all tenants is one ordered scan of this index, no sort; the overlap test reads
 *   only index columns (`end_at` stores ongoing periods as the largest integer). Its prefix
 *   (tenant_id, vm_id) also finds a VM's periods when the VM moves, so periods have no index
 *   on vm_id alone: one B-tree less to update per ingested row (on this machine, 200 000 rows:
 *   145k instead of 55k rows/s).
 * - `license_events_report (organization_id, at, user_id, id)`: the event stream in order.
 *   Events have no index on user_id either (103k instead of 83k rows/s): users who move are
 *   found by scanning their old organization's part of this index, once per batch.
 * - partial indexes on tasks: the queue (`state = 'Queued'`, by created_at, id) and the
 *   running leases (`state = 'Running'`, by lease expiry) stay as small as the work in flight.
 */
import { type Kysely, sql } from "kysely";
import type { Migration, MigrationProvider } from "kysely/migration";

/** Which SQL dialect a migration writes for. */
export type SqlDialectName = "sqlite" | "postgres";

/** Column types that differ between the dialects. */
const columnTypes = (dialect: SqlDialectName) =>
  dialect === "postgres"
    ? { id: sql`text collate "C"`, bytes: sql`bytea` }
    : { id: sql`text`, bytes: sql`blob` };

/**
 * Runs a migration's statements in one transaction. Kysely's migrator already opens one on
 * PostgreSQL (transactional DDL); on SQLite it does not, so the migration opens its own: the
 * schema changes all or nothing, and far faster than one commit per statement.
 */
const transactional =
  (up: (db: Kysely<unknown>) => Promise<void>) =>
  async (db: Kysely<unknown>): Promise<void> =>
    db.isTransaction ? up(db) : db.transaction().execute(up);

/** 0001: every table and index of the first release. */
const initialSchema = (dialect: SqlDialectName): Migration => ({
  up: transactional(async (db) => {
    const t = columnTypes(dialect);
    await db.schema
      .createTable("tenants")
      .ifNotExists()
      .addColumn("id", t.id, (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("vms")
      .ifNotExists()
      .addColumn("id", t.id, (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("tenant_id", t.id)
      .execute();
    await db.schema
      .createIndex("vms_tenant")
      .ifNotExists()
      .on("vms")
      .columns(["tenant_id", "id"])
      .execute();
    await db.schema
      .createTable("protection_periods")
      .ifNotExists()
      .addColumn("id", t.id, (c) => c.primaryKey())
      // No foreign key: the adapters check a batch's VMs at once (see UnknownReferences.ts).
      .addColumn("vm_id", t.id, (c) => c.notNull())
      .addColumn("tenant_id", t.id)
      .addColumn("start_at", "bigint", (c) => c.notNull())
      .addColumn("end_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("protection_periods_report")
      .ifNotExists()
      .on("protection_periods")
      .columns(["tenant_id", "vm_id", "start_at", "end_at"])
      .execute();
    await db.schema
      .createTable("organizations")
      .ifNotExists()
      .addColumn("id", t.id, (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("capacity", "bigint", (c) => c.notNull())
      .addColumn("tenant_id", t.id)
      .execute();
    await db.schema
      .createIndex("organizations_tenant")
      .ifNotExists()
      .on("organizations")
      .columns(["tenant_id", "id"])
      .execute();
    await db.schema
      .createTable("licensed_users")
      .ifNotExists()
      .addColumn("id", t.id, (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("organization_id", t.id, (c) => c.notNull().references("organizations.id"))
      .execute();
    await db.schema
      .createIndex("licensed_users_organization")
      .ifNotExists()
      .on("licensed_users")
      .columns(["organization_id", "id"])
      .execute();
    await db.schema
      .createTable("license_events")
      .ifNotExists()
      .addColumn("id", t.id, (c) => c.primaryKey())
      // No foreign key: the adapters check a batch's users at once (see UnknownReferences.ts).
      .addColumn("user_id", t.id, (c) => c.notNull())
      .addColumn("organization_id", t.id, (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('assigned', 'revoked')`))
      .addColumn("at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("license_events_report")
      .ifNotExists()
      .on("license_events")
      .columns(["organization_id", "at", "user_id", "id"])
      .execute();
    await db.schema
      .createTable("tasks")
      .ifNotExists()
      .addColumn("id", t.id, (c) => c.primaryKey())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("tenant_scope", t.id)
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("lease_expires_at", "bigint")
      .addColumn("version", "bigint", (c) => c.notNull())
      .addColumn("idempotency_key", "text")
      .addColumn("body", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("tasks_created")
      .ifNotExists()
      .on("tasks")
      .columns(["created_at", "id"])
      .execute();
    await db.schema
      .createIndex("tasks_scope")
      .ifNotExists()
      .on("tasks")
      .columns(["tenant_scope", "created_at", "id"])
      .execute();
    await db.schema
      .createIndex("tasks_queue")
      .ifNotExists()
      .on("tasks")
      .columns(["created_at", "id"])
      .where(sql.ref("state"), "=", "Queued")
      .execute();
    await db.schema
      .createIndex("tasks_leases")
      .ifNotExists()
      .on("tasks")
      .columns(["lease_expires_at", "id"])
      .where(sql.ref("state"), "=", "Running")
      .execute();
    await db.schema
      .createTable("idempotency_keys")
      .ifNotExists()
      .addColumn("scope", t.id, (c) => c.notNull())
      .addColumn("idempotency_key", t.id, (c) => c.notNull())
      .addColumn("fingerprint", "text", (c) => c.notNull())
      .addColumn("task_id", t.id, (c) => c.notNull().references("tasks.id"))
      .addPrimaryKeyConstraint("idempotency_keys_pk", ["scope", "idempotency_key"])
      .execute();
    await db.schema
      .createTable("reports")
      .ifNotExists()
      .addColumn("id", t.id, (c) => c.primaryKey())
      .addColumn("task_id", t.id, (c) => c.notNull())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("format", "text", (c) => c.notNull())
      .addColumn("content_type", "text", (c) => c.notNull())
      .addColumn("file_name", "text", (c) => c.notNull())
      .addColumn("request", "text", (c) => c.notNull())
      .addColumn("tenant_scope", t.id)
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .addColumn("row_count", "bigint", (c) => c.notNull())
      .addColumn("byte_size", "bigint", (c) => c.notNull())
      .addColumn("sha256", "text", (c) => c.notNull())
      .addColumn("content_file", "text")
      .addColumn("chunk_size", "bigint")
      .execute();
    await db.schema
      .createIndex("reports_created")
      .ifNotExists()
      .on("reports")
      .columns(["created_at", "id"])
      .execute();
    await db.schema
      .createIndex("reports_scope")
      .ifNotExists()
      .on("reports")
      .columns(["tenant_scope", "created_at", "id"])
      .execute();
    await db.schema
      .createIndex("reports_expiry")
      .ifNotExists()
      .on("reports")
      .column("expires_at")
      .execute();
    await db.schema
      .createTable("report_chunks")
      .ifNotExists()
      .addColumn("report_id", t.id, (c) => c.notNull().references("reports.id").onDelete("cascade"))
      .addColumn("seq", "bigint", (c) => c.notNull())
      .addColumn("bytes", t.bytes, (c) => c.notNull())
      .addPrimaryKeyConstraint("report_chunks_pk", ["report_id", "seq"])
      .execute();
    await db.schema
      .createTable("accounts")
      .ifNotExists()
      .addColumn("username", t.id, (c) => c.primaryKey())
      .addColumn("password_hash", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("tenant_id", t.id)
      .execute();
    await db.schema
      .createTable("issued_tokens")
      .ifNotExists()
      .addColumn("token_hash", t.id, (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("username", t.id, (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("issued_tokens_expiry")
      .ifNotExists()
      .on("issued_tokens")
      .column("expires_at")
      .execute();
  }),
});

/**
 * 0002: on PostgreSQL, report chunks are compressed with lz4 instead of pglz (where the server
 * was built with lz4; elsewhere nothing changes). Storing a report is the server compressing
 * its chunks: for CSV pglz took ~15 ms per MB, lz4 ~3 ms, for 20% more disk (30 MB of a
 * tenant report: 460 ms and 6.2 MB against 102 ms and 7.5 MB). Chunks stored before keep
 * theirs. SQLite keeps report bytes in files: nothing to do.
 */
const lz4ReportChunks = (dialect: SqlDialectName): Migration => ({
  up: async (db) => {
    if (dialect !== "postgres") return;
    await sql`do $$ begin
      if exists (select 1 from pg_settings
                 where name = 'default_toast_compression' and 'lz4' = any(enumvals)) then
        alter table report_chunks alter column bytes set compression lz4;
      end if;
    end $$`.execute(db);
  },
});

/** Every migration, by name; names sort in the order they must run. */
export const tallyMigrations = (dialect: SqlDialectName): Record<string, Migration> => ({
  "0001_initial_schema": initialSchema(dialect),
  "0002_lz4_report_chunks": lz4ReportChunks(dialect),
});

/** Kysely's migration provider for Tally's in-code migrations. */
export const tallyMigrationProvider = (dialect: SqlDialectName): MigrationProvider => ({
  getMigrations: async () => tallyMigrations(dialect),
});
