/**
 * FactImport on PostgreSQL: the whole import in one transaction on one pooled client. The
 * facts stream into a temporary table through `COPY … FROM STDIN` (text format, written as
 * they arrive, so memory holds one batch); then one statement per step checks the references
 * (the first fact at fault, by place, fails the import) and one `INSERT … SELECT … ON
 * CONFLICT` writes them all — PostgreSQL does the per-row work, as it does for `\copy`.
 *
 * Rules as the ports have them (see `FactImport`): the last of several facts with one id wins
 * (the insert is tried as is under a savepoint; only a file that repeats an id pays for
 * keeping the last of each), a period takes its VM's tenant and an event its user's
 * organization, and VMs and users that move carry their periods and events along. Rows whose
 * values do not change are not rewritten, so sending a file again changes nothing, not even
 * the tables' dead rows.
 *
 * Locks for the transaction's last steps: importing periods or events takes a SHARE lock on
 * `vms` or `licensed_users` (a VM or user cannot move while its facts take its tenant or
 * organization); importing VMs or users an EXCLUSIVE one (plain reads go on, writes wait).
 */
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { StorageError } from "@tally/core";
import { Effect, Exit, Stream } from "effect";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { classifyPostgresError } from "../errors/PostgresErrorClassifier.ts";
import {
  type FactBatch,
  FactImport,
  type FactKind,
  type FactOf,
  UnknownReferenceError,
} from "../importing/FactImport.ts";
import { ONGOING_END_SQL } from "../schema/Database.ts";
import { CopyRowWriter } from "./CopyTextFields.ts";
import type { PostgresDatabase } from "./PostgresDatabase.ts";

/** Resolves when a stream that refused more data wants it again; rejects if it fails first. */
const drained = (stream: Writable): Promise<void> =>
  new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      stream.off("drain", settle);
      stream.off("error", settle);
      if (error === undefined) resolve();
      else reject(error);
    };
    stream.on("drain", settle);
    stream.on("error", settle);
  });

/** The temporary table the facts are copied into; its first column is each fact's place. */
const staging = "fact_import";
const id = `text collate "C"`;

/** How one kind of fact is staged and written. */
interface StagedKind<A> {
  /** The staging table's columns after `place`, with their types. */
  readonly columns: ReadonlyArray<readonly [name: string, type: string]>;
  /** Writes a fact's fields in column order. */
  readonly fields: (row: CopyRowWriter, fact: A) => void;
  /** Checks and writes the staged facts (inside the import's transaction). */
  readonly write: (client: pg.PoolClient) => Promise<void>;
}

/** The first staged fact whose `column` names no row of `table`: an UnknownReferenceError. */
const checkReferences = async (
  client: pg.PoolClient,
  column: string,
  table: string,
  field: string,
  missing: string,
): Promise<void> => {
  const result = await client.query<{ place: number; id: string }>(
    `select s.place, s.${column} as id from ${staging} s
      where s.${column} is not null and not exists (select 1 from ${table} r where r.id = s.${column})
      order by s.place limit 1`,
  );
  const first = result.rows[0];
  if (first !== undefined) {
    throw new UnknownReferenceError({ place: Number(first.place), field, id: first.id, missing });
  }
};

/** The staged facts with only the last of each id. */
const lastOfEachId = `(select distinct on (id) * from ${staging} order by id, place desc)`;

/** How the staged facts of a kind are written into its table. */
interface Upsert {
  readonly table: string;
  /** The table's columns written, in the order `select` gives them. */
  readonly columns: string;
  /** The rows to write, selected from `source` as `s` (no WHERE clause). */
  readonly select: (source: string) => string;
  /** What a row whose id is stored already does: replace it where it differs. */
  readonly onConflict: string;
}

/** SQLSTATEs of one id written twice: by `ON CONFLICT DO UPDATE`, and by a plain insert. */
const repeatedId: ReadonlySet<unknown> = new Set(["21000", "23505"]);

/**
 * Writes the staged facts in two statements: those whose id is stored already with other
 * values through `ON CONFLICT DO UPDATE`, the others that are new by a plain insert — which
 * PostgreSQL does about a third faster than the speculative insertion `ON CONFLICT` needs (1M
 * new periods: 3.4 s instead of 5.2 s). Facts stored already with the same values are not
 * written at all: `ON CONFLICT DO UPDATE` locks every row it meets, even one its `WHERE` then
 * leaves alone, and that lock dirtied and logged every page of the table when the same file was
 * sent again (2M periods: 8.8 s, against 1.9 s without them; 10M: 4× the first import).
 *
 * If the facts repeat an id, the second row of the id fails either statement — every staged
 * row of an id with a change goes to the first one, so an id whose last row is the stored one
 * but an earlier row is not still counts as repeated — and then both run again, under a
 * savepoint, for the last of each id.
 */
const upsertStaged = async (client: pg.PoolClient, upsert: Upsert): Promise<void> => {
  const columns = upsert.columns.split(",").map((column) => column.trim());
  const values = (alias: string) =>
    `(${columns
      .filter((column) => column !== "id")
      .map((column) => `${alias}.${column}`)
      .join(", ")})`;
  const write = async (source: string) => {
    const rows = (alias: string) => `(${upsert.select(source)}) ${alias} (${upsert.columns})`;
    const insert = `insert into ${upsert.table} (${upsert.columns}) select * from ${rows("n")}`;
    const changed = `select c.id from ${rows("c")} join ${upsert.table} t on t.id = c.id
      where ${values("t")} is distinct from ${values("c")}`;
    const stored = `exists (select 1 from ${upsert.table} t where t.id = n.id)`;
    await client.query(`${insert} where n.id in (${changed}) ${upsert.onConflict}`);
    await client.query(`${insert} where not ${stored}`);
  };
  await client.query("savepoint fact_upsert");
  try {
    await write(staging);
    await client.query("release savepoint fact_upsert");
  } catch (error) {
    if (!repeatedId.has((error as { code?: unknown }).code)) throw error;
    await client.query("rollback to savepoint fact_upsert");
    await write(lastOfEachId);
  }
};

/** Who moves: the staged facts (last of each id) whose `column` differs from the stored row's. */
const recordMoves = (table: string, column: string) =>
  `create temporary table fact_moves on commit drop as
    select r.id, r.${column} as before, s.${column} as after from ${table} r
    join (select distinct on (id) id, ${column} from ${staging} order by id, place desc) s
      on s.id = r.id
    where r.${column} is distinct from s.${column}`;

/**
 * The writes of a kind whose facts may move (a VM to another tenant, a user to another
 * organization): check what they name, lock the table, note who moves, upsert, then carry
 * the moving facts' dependants along with `carry`.
 */
const movingWrite =
  (options: {
    readonly table: string;
    readonly column: string;
    readonly references: readonly [table: string, field: string, missing: string];
    readonly upsert: Upsert;
    readonly carry: ReadonlyArray<string>;
  }) =>
  async (client: pg.PoolClient): Promise<void> => {
    const [referenced, field, missing] = options.references;
    await checkReferences(client, options.column, referenced, field, missing);
    await client.query(`lock table ${options.table} in exclusive mode`);
    await client.query(recordMoves(options.table, options.column));
    await upsertStaged(client, options.upsert);
    for (const statement of options.carry) await client.query(statement);
  };

const kinds: { readonly [K in FactKind]: StagedKind<FactOf[K]> } = {
  tenants: {
    columns: [
      ["id", id],
      ["name", "text"],
    ],
    fields: (row, t) => row.text(t.id).text(t.name),
    write: (client) =>
      upsertStaged(client, {
        table: "tenants",
        columns: "id, name",
        select: (source) => `select s.id, s.name from ${source} s`,
        onConflict: `on conflict (id) do update set name = excluded.name
          where tenants.name is distinct from excluded.name`,
      }),
  },
  vms: {
    columns: [
      ["id", id],
      ["name", "text"],
      ["tenant_id", id],
    ],
    fields: (row, vm) => row.text(vm.id).text(vm.name).text(vm.tenantId),
    write: movingWrite({
      table: "vms",
      column: "tenant_id",
      references: ["tenants", "tenantId", "tenant"],
      upsert: {
        table: "vms",
        columns: "id, name, tenant_id",
        select: (source) => `select s.id, s.name, s.tenant_id from ${source} s`,
        onConflict: `on conflict (id) do update set name = excluded.name, tenant_id = excluded.tenant_id
          where (vms.name, vms.tenant_id) is distinct from (excluded.name, excluded.tenant_id)`,
      },
      // Through the report index's (tenant_id, vm_id) prefix: once for VMs that had a tenant,
      // once for those that had none (`is not distinct from` could not use the index).
      carry: [
        `update protection_periods p set tenant_id = m.after from fact_moves m
          where m.before is not null and p.tenant_id = m.before and p.vm_id = m.id`,
        `update protection_periods p set tenant_id = m.after from fact_moves m
          where m.before is null and p.tenant_id is null and p.vm_id = m.id`,
      ],
    }),
  },
  "protection-periods": {
    columns: [
      ["id", id],
      ["vm_id", id],
      ["start_at", "int8"],
      ["end_at", "int8"],
    ],
    fields: (row, p) => row.text(p.id).text(p.vmId).integer(p.start).integer(p.end),
    write: async (client) => {
      await client.query("lock table vms in share mode");
      await checkReferences(client, "vm_id", "vms", "vmId", "VM");
      await upsertStaged(client, {
        table: "protection_periods",
        columns: "id, vm_id, tenant_id, start_at, end_at",
        select: (source) => `select s.id, s.vm_id, v.tenant_id, s.start_at,
            coalesce(s.end_at, ${ONGOING_END_SQL})
          from ${source} s join vms v on v.id = s.vm_id`,
        onConflict: `on conflict (id) do update set vm_id = excluded.vm_id,
            tenant_id = excluded.tenant_id, start_at = excluded.start_at, end_at = excluded.end_at
          where (protection_periods.vm_id, protection_periods.tenant_id,
              protection_periods.start_at, protection_periods.end_at)
            is distinct from (excluded.vm_id, excluded.tenant_id, excluded.start_at, excluded.end_at)`,
      });
    },
  },
  organizations: {
    columns: [
      ["id", id],
      ["name", "text"],
      ["capacity", "int8"],
      ["tenant_id", id],
    ],
    fields: (row, o) => row.text(o.id).text(o.name).integer(o.capacity).text(o.tenantId),
    write: (client) =>
      upsertStaged(client, {
        table: "organizations",
        columns: "id, name, capacity, tenant_id",
        select: (source) => `select s.id, s.name, s.capacity, s.tenant_id from ${source} s`,
        onConflict: `on conflict (id) do update set name = excluded.name,
            capacity = excluded.capacity, tenant_id = excluded.tenant_id
          where (organizations.name, organizations.capacity, organizations.tenant_id)
            is distinct from (excluded.name, excluded.capacity, excluded.tenant_id)`,
      }),
  },
  users: {
    columns: [
      ["id", id],
      ["name", "text"],
      ["organization_id", id],
    ],
    fields: (row, u) => row.text(u.id).text(u.name).text(u.organizationId),
    write: movingWrite({
      table: "licensed_users",
      column: "organization_id",
      references: ["organizations", "organizationId", "organization"],
      upsert: {
        table: "licensed_users",
        columns: "id, name, organization_id",
        select: (source) => `select s.id, s.name, s.organization_id from ${source} s`,
        onConflict: `on conflict (id) do update set name = excluded.name,
            organization_id = excluded.organization_id
          where (licensed_users.name, licensed_users.organization_id)
            is distinct from (excluded.name, excluded.organization_id)`,
      },
      carry: [
        `update license_events e set organization_id = m.after
          from fact_moves m where e.organization_id = m.before and e.user_id = m.id`,
      ],
    }),
  },
  "license-events": {
    columns: [
      ["id", id],
      ["user_id", id],
      ["kind", "text"],
      ["at", "int8"],
    ],
    fields: (row, e) => row.text(e.id).text(e.userId).text(e.kind).integer(e.at),
    write: async (client) => {
      await client.query("lock table licensed_users in share mode");
      await checkReferences(client, "user_id", "licensed_users", "userId", "user");
      await upsertStaged(client, {
        table: "license_events",
        columns: "id, user_id, organization_id, kind, at",
        select: (source) => `select s.id, s.user_id, u.organization_id, s.kind, s.at
          from ${source} s join licensed_users u on u.id = s.user_id`,
        onConflict: `on conflict (id) do update set user_id = excluded.user_id,
            organization_id = excluded.organization_id, kind = excluded.kind, at = excluded.at
          where (license_events.user_id, license_events.organization_id, license_events.kind,
              license_events.at)
            is distinct from (excluded.user_id, excluded.organization_id, excluded.kind, excluded.at)`,
      });
    },
  },
};

/** What a failed step throws: an unknown reference as is, anything else classified. */
const classify = (error: unknown): StorageError | UnknownReferenceError =>
  error instanceof UnknownReferenceError
    ? error
    : classifyPostgresError("FactImport.import")(error);

/** A client in a transaction with the staging table of `kind`. */
const openImport = async (
  database: PostgresDatabase,
  kind: StagedKind<never>,
): Promise<pg.PoolClient> => {
  const client = await database.pool.connect();
  try {
    await client.query("begin");
    const columns = kind.columns.map(([name, type]) => `${name} ${type}`).join(", ");
    await client.query(
      `create temporary table ${staging} (place int8 not null, ${columns}) on commit drop`,
    );
    return client;
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
};

/** A FactImport writing to `database`. */
export const makePostgresFactImport = (database: PostgresDatabase): FactImport["Service"] =>
  FactImport.of({
    importFacts: <K extends FactKind, E>(
      kind: K,
      batches: Stream.Stream<FactBatch<FactOf[K]>, E>,
    ): Effect.Effect<number, StorageError | UnknownReferenceError | E> => {
      const staged = kinds[kind] as StagedKind<FactOf[K]>;
      const columns = ["place", ...staged.columns.map(([name]) => name)].join(", ");
      return Effect.acquireUseRelease(
        Effect.tryPromise({ try: () => openImport(database, staged), catch: classify }),
        (client) => {
          const copy = client.query(copyFrom(`copy ${staging} (${columns}) from stdin`));
          // Whatever fails the COPY also fails the write or `finished` below.
          let failure: Error | undefined;
          copy.on("error", (error: Error) => {
            failure ??= error;
          });
          let count = 0;
          const rows = new CopyRowWriter();
          const send = (batch: FactBatch<FactOf[K]>) =>
            Effect.tryPromise({
              try: async () => {
                if (failure !== undefined) throw failure;
                const { facts, places } = batch;
                for (let i = 0; i < facts.length; i++) {
                  staged.fields(rows.integer(places[i] as number), facts[i] as FactOf[K]);
                  rows.endRow();
                }
                count += facts.length;
                if (!copy.write(rows.take())) await drained(copy);
              },
              catch: classify,
            });
          return Stream.runForEach(batches, send).pipe(
            Effect.onError(() => Effect.sync(() => copy.destroy(new Error("import abandoned")))),
            Effect.andThen(
              Effect.tryPromise({
                try: async () => {
                  copy.end();
                  await finished(copy);
                  await staged.write(client);
                  await client.query("commit");
                  return count;
                },
                catch: classify,
              }),
            ),
          );
        },
        // A failed import's connection may be mid-COPY: it is closed, not reused, and the
        // server rolls its transaction back.
        (client, exit) =>
          Effect.sync(() =>
            Exit.isSuccess(exit) ? client.release() : client.release(new Error("import failed")),
          ),
      );
    },
  });
