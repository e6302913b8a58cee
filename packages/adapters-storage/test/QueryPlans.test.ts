/**
 * The report queries read indexes in the order the reports need, without sorting: the plans
 * are asserted here so that a schema or query change that loses an index fails a test.
 *
 * SQLite (EXPLAIN QUERY PLAN), for one tenant — the stream merges two scans (see
 * `SqlitePeriodStream`), the periods and their VMs, in one order:
 *   SEARCH p USING COVERING INDEX protection_periods_report (tenant_id=?)
 *   SEARCH v USING INDEX vms_tenant (tenant_id=?)
 *   SEARCH t USING INDEX sqlite_autoindex_tenants_1 (id=?) LEFT-JOIN
 * PostgreSQL (EXPLAIN of the queries a report stream COPYs, their parameters inlined, in the
 * stream's transaction — `beginStream` — over 50 000 periods, after ANALYZE) merges the same
 * two scans (see `PostgresPeriodStream`), the VMs with a tenant:
 *   Index Only Scan using protection_periods_report on protection_periods p
 *     Index Cond: tenant_id IS NOT NULL AND start_at < … AND end_at > …
 * and
 *   Merge Left Join  (Merge Cond: v.tenant_id = t.id)
 *     ->  Index Scan using vms_tenant on vms v  (Index Cond: tenant_id IS NOT NULL)
 *     ->  Index Scan using tenants_pkey on tenants t
 * (one tenant: the same scans with `tenant_id = …`, a nested loop instead of the merge).
 * The streams used to read cursors, which the planner plans for their first rows; a COPY is
 * planned for its total cost, which without the stream's settings is a parallel scan and a
 * sort — so the plan checked is the COPY's, under those settings.
 */
import { join } from "node:path";
import type { CompiledQuery } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { PostgresDatabase, SqliteDatabase } from "../src/index.ts";
import { beginStream } from "../src/postgres/PostgresCopyStream.ts";
import { withInlinedParameters } from "../src/postgres/SqlLiterals.ts";
import { licenseEventsQuery } from "../src/queries/LicenseEventQueries.ts";
import {
  overlappingPeriodKeysQuery,
  type PeriodPart,
  vmsOfPartQuery,
} from "../src/queries/PeriodQueries.ts";
import { expiredLeasesQuery, oldestQueuedQuery } from "../src/queries/TaskQueries.ts";
import { T0 } from "./support/SampleTasks.ts";
import { temporaryDirectory } from "./support/TemporaryDatabase.ts";
import {
  dropSchema,
  freshSchemaName,
  requirePostgres,
  testPostgresUrl,
} from "./support/TestPostgres.ts";

await requirePostgres();

const interval = { start: T0, end: T0 + 86_400_000 };
const organizationFilters = [
  { _tag: "AllOrganizations" },
  { _tag: "OneOrganization", organizationId: "org-1" },
  { _tag: "OrganizationsOfTenant", tenantId: "tenant-1" },
] as const;
const parts: ReadonlyArray<PeriodPart> = [
  { _tag: "OneTenant", tenantId: "tenant-1" },
  { _tag: "WithTenant" },
  { _tag: "WithoutTenant" },
];

describe("SQLite query plans", () => {
  const withDatabase = async (use: (db: SqliteDatabase) => void) => {
    const db = await SqliteDatabase.open({ filename: join(temporaryDirectory(), "plans.db") });
    try {
      use(db);
    } finally {
      await db.close();
    }
  };
  const plan = (db: SqliteDatabase, query: CompiledQuery): Array<string> =>
    db.driver
      .prepare(`explain query plan ${query.sql}`)
      .all(...query.parameters)
      .map((row) => (row as { detail: string }).detail);

  it.each(parts)(
    "streams periods ($_tag) by one ordered covering-index scan and their VMs by another, no sort",
    (part) =>
      withDatabase((db) => {
        const periods = plan(db, overlappingPeriodKeysQuery(db.kysely, interval, part).compile());
        expect(periods).toHaveLength(1);
        expect(periods[0]).toMatch(/^SEARCH p USING COVERING INDEX protection_periods_report/);
        const vms = plan(db, vmsOfPartQuery(db.kysely, part).compile());
        expect(vms[0]).toMatch(/^SEARCH v USING INDEX vms_tenant/);
        expect(vms.slice(1).filter((step) => !/USING (INDEX|PRIMARY KEY)/.test(step))).toEqual([]);
        expect([...periods, ...vms].join("\n")).not.toMatch(/TEMP B-TREE/);
      }),
  );

  it.each(organizationFilters)("streams license events ($_tag) in index order, no sort", (filter) =>
    withDatabase((db) => {
      const steps = plan(db, licenseEventsQuery(db.kysely, filter, T0).compile());
      expect(steps[0]).toMatch(/e USING INDEX license_events_report/);
      expect(steps.join("\n")).not.toMatch(/TEMP B-TREE/);
    }),
  );

  it("finds the oldest queued task and the expired leases through the partial indexes", () =>
    withDatabase((db) => {
      expect(plan(db, oldestQueuedQuery(db.kysely).compile())).toEqual([
        "SCAN tasks USING INDEX tasks_queue",
      ]);
      expect(plan(db, expiredLeasesQuery(db.kysely, T0, 10).compile())).toEqual([
        "SEARCH tasks USING INDEX tasks_leases (lease_expires_at<?)",
      ]);
    }));
});

describe("PostgreSQL query plans", () => {
  it("streams periods and license events through the report indexes with COPY, no sort", async () => {
    const schema = freshSchemaName();
    const db = await PostgresDatabase.open({ connectionString: testPostgresUrl, schema });
    const client = new pg.Client({
      connectionString: testPostgresUrl,
      options: `-c search_path=${schema}`,
    });
    await client.connect();
    try {
      // Enough rows that the planner prefers indexes, as it will in production.
      await client.query(`
        insert into tenants select 'tenant-' || i, 'Tenant ' || i from generate_series(1, 20) i;
        insert into vms select 'vm-' || i, 'VM ' || i, case when i % 10 = 0 then null else 'tenant-' || (i % 20 + 1) end
          from generate_series(1, 2000) i;
        insert into protection_periods
          select 'p-' || i, 'vm-' || (i % 2000 + 1), case when (i % 2000 + 1) % 10 = 0 then null else 'tenant-' || ((i % 2000 + 1) % 20 + 1) end,
            ${T0} + (i % 1000) * 3600000::bigint, ${T0} + (i % 1000 + 2) * 3600000::bigint
          from generate_series(1, 50000) i;
        insert into organizations select 'org-' || i, 'Org ' || i, 100, 'tenant-' || (i % 20 + 1)
          from generate_series(1, 40) i;
        insert into licensed_users select 'user-' || i, 'User ' || i, 'org-' || (i % 40 + 1)
          from generate_series(1, 2000) i;
        insert into license_events select 'e-' || i, 'user-' || (i % 2000 + 1), 'org-' || ((i % 2000 + 1) % 40 + 1),
            case when i % 3 = 0 then 'revoked' else 'assigned' end, ${T0} + i * 1000::bigint
          from generate_series(1, 50000) i;
        analyze;`);
      /** The plan of `query` as a report stream runs it: inlined, in the stream's transaction. */
      const copyPlan = async (query: CompiledQuery): Promise<string> => {
        await client.query(beginStream);
        try {
          const result = await client.query<{ "QUERY PLAN": string }>(
            `explain ${withInlinedParameters(query)}`,
          );
          return result.rows.map((row) => row["QUERY PLAN"]).join("\n");
        } finally {
          await client.query("rollback");
        }
      };
      for (const part of parts) {
        const periods = await copyPlan(
          overlappingPeriodKeysQuery(db.kysely, interval, part).compile(),
        );
        expect(periods, part._tag).toMatch(/^Index Only Scan using protection_periods_report/);
        expect(periods, part._tag).not.toMatch(/\bSort\b|Gather|Join|Nested Loop/);
        const vms = await copyPlan(vmsOfPartQuery(db.kysely, part).compile());
        expect(vms, part._tag).toMatch(/Index Scan using vms_tenant on vms/);
        expect(vms, part._tag).not.toMatch(/\bSort\b|Gather|Seq Scan on vms/);
      }
      for (const filter of organizationFilters) {
        const text = await copyPlan(
          licenseEventsQuery(db.kysely, filter, T0 + 40_000_000).compile(),
        );
        expect(text, filter._tag).toMatch(
          /(Index (Only )?Scan using|Bitmap Index Scan on) license_events_report/,
        );
        // A tenant's organizations are read one after the other, each in index order and its
        // events sorted by an incremental sort: one organization's events at a time, as the
        // cursor had it. A full sort of all the rows is what must not happen.
        expect(text, filter._tag).not.toMatch(/(^|->)\s*Sort\s+\(cost|Gather/m);
      }
    } finally {
      await client.end();
      await db.close();
      await dropSchema(schema);
    }
  });
});
