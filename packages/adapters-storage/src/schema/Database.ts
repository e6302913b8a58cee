/**
 * The tables of Tally's relational schema, as kysely sees them. One schema serves SQLite and
 * PostgreSQL; `Migrations.ts` creates it. Instants are 64-bit integers of epoch milliseconds,
 * read back as JavaScript numbers (PostgreSQL's int8 parser is replaced, see `PostgresPool`).
 */

/**
 * `end_at` of a period that is still going on (the largest 64-bit integer, as SQL text).
 * Stored instead of NULL so that an ongoing period sorts after every closed one with the same
 * start (as the port orders them) and the overlap test is one comparison (`end_at > start`)
 * that an index can check. Instants are safe integers (< 2^53), so no real end collides.
 */
export const ONGOING_END_SQL = "9223372036854775807";

/** A tenant (`id` compared by code point: BINARY in SQLite, `COLLATE "C"` in PostgreSQL). */
export interface TenantsTable {
  id: string;
  name: string;
}

/** A VM; `tenant_id` null for a VM of no tenant (no foreign key: VMs may arrive first). */
export interface VmsTable {
  id: string;
  name: string;
  tenant_id: string | null;
}

/**
 * A protection period. `tenant_id` repeats the VM's tenant so that the report stream is one
 * ordered index scan; `upsertVms` keeps it in step when a VM changes tenant.
 */
export interface ProtectionPeriodsTable {
  id: string;
  vm_id: string;
  tenant_id: string | null;
  start_at: number;
  /** `ONGOING_END_SQL` while the VM is still protected. */
  end_at: number;
}

/** An organization with a license capacity. */
export interface OrganizationsTable {
  id: string;
  name: string;
  capacity: number;
  tenant_id: string | null;
}

/** A user of an organization. */
export interface LicensedUsersTable {
  id: string;
  name: string;
  organization_id: string;
}

/**
 * A license event. `organization_id` repeats the user's organization so the event stream is
 * one ordered index scan; `upsertUsers` keeps it in step when a user changes organization.
 */
export interface LicenseEventsTable {
  id: string;
  user_id: string;
  organization_id: string;
  kind: string;
  at: number;
}

/** A report task: the columns that queries filter and order by, and the whole task as JSON. */
export interface TasksTable {
  id: string;
  type: string;
  state: string;
  tenant_scope: string | null;
  created_at: number;
  lease_expires_at: number | null;
  version: number;
  idempotency_key: string | null;
  /** `Schema.encode(ReportTask)` as JSON text. */
  body: string;
}

/** An idempotency key used by a principal (`scope`), and the task it was first used for. */
export interface IdempotencyKeysTable {
  scope: string;
  idempotency_key: string;
  fingerprint: string;
  task_id: string;
}

/**
 * Report metadata. SQLite keeps the bytes in `content_file` next to the database; PostgreSQL
 * keeps them in `report_chunks` rows of `chunk_size` bytes.
 */
export interface ReportsTable {
  id: string;
  task_id: string;
  type: string;
  format: string;
  content_type: string;
  file_name: string;
  /** `Schema.encode(ReportRequest)` as JSON text. */
  request: string;
  tenant_scope: string | null;
  created_at: number;
  expires_at: number;
  row_count: number;
  byte_size: number;
  sha256: string;
  content_file: string | null;
  chunk_size: number | null;
}

/** One chunk of a report's bytes (PostgreSQL); `seq` counts from 0. */
export interface ReportChunksTable {
  report_id: string;
  seq: number;
  bytes: Uint8Array;
}

/** An API account. */
export interface AccountsTable {
  username: string;
  password_hash: string;
  role: string;
  tenant_id: string | null;
}

/** An issued token, by the hash of its secret. */
export interface IssuedTokensTable {
  token_hash: string;
  kind: string;
  username: string;
  expires_at: number;
}

/** Every table, by name. */
export interface Database {
  tenants: TenantsTable;
  vms: VmsTable;
  protection_periods: ProtectionPeriodsTable;
  organizations: OrganizationsTable;
  licensed_users: LicensedUsersTable;
  license_events: LicenseEventsTable;
  tasks: TasksTable;
  idempotency_keys: IdempotencyKeysTable;
  reports: ReportsTable;
  report_chunks: ReportChunksTable;
  accounts: AccountsTable;
  issued_tokens: IssuedTokensTable;
}
