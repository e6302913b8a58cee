/**
 * The PostgreSQL period stream merges two COPYs on two connections (see
 * `PostgresPeriodStream`). The contract suites check its rows; these tests hold it to what the
 * second connection adds: both read one snapshot; a part's VMs after its last period are read
 * to the end, so both clients go back to the pool idle; a stream cut short — by its consumer,
 * or by the server ending either connection — destroys both clients and leaves no backend; and
 * a period whose tenant copy disagrees with its VM fails the stream instead of being dropped.
 */
import { Effect, Exit, Stream } from "effect";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresDatabase } from "../src/index.ts";
import { CopySession } from "../src/postgres/PostgresCopyStream.ts";
import { postgresPeriodStream } from "../src/postgres/PostgresPeriodStream.ts";
import {
  backendsOf as backendsOfPool,
  eventually,
  namedPool,
  storageErrorOf,
} from "./support/PoolProbes.ts";
import {
  dropSchema,
  freshSchemaName,
  requirePostgres,
  testPostgresUrl,
} from "./support/TestPostgres.ts";

await requirePostgres();

const schema = freshSchemaName();
let database: PostgresDatabase;
let admin: pg.Client;
const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 1);
/** Periods per VM, and VMs per tenant (tenant-1 and tenant-2; the last VMs have no tenant). */
const perVm = 100;
const vmsPerTenant = 1_000;
const all = { _tag: "AllTenants" } as const;
const year = { start: T0, end: T0 + 365 * 24 * HOUR };

beforeAll(async () => {
  database = await PostgresDatabase.open({ connectionString: testPostgresUrl, schema });
  admin = new pg.Client({ connectionString: testPostgresUrl, options: `-c search_path=${schema}` });
  await admin.connect();
  // 2,100 VMs (100 of no tenant) of 100 periods each: 210,000 periods, ~7 MB of COPY data,
  // far more than the read-ahead and the sockets hold. VM `vm-0-1099` and up have no periods
  // in the year: the VMs after a part's last period.
  await admin.query(`
    insert into tenants values ('tenant-1', 'Tenant One'), ('tenant-2', 'Ténant Two');
    insert into vms select 'vm-' || t || '-' || lpad(i::text, 4, '0'), 'VM ' || t || '/' || i,
        case when t = 0 then null else 'tenant-' || t end
      from generate_series(0, 2) t, generate_series(0, ${vmsPerTenant - 1}) i
      where t > 0 or i < 100;
    insert into vms select 'vm-0-' || i, 'VM idle ' || i, null from generate_series(1100, 1199) i;
    insert into protection_periods
      select 'p-' || v.id || '-' || k, v.id, v.tenant_id, ${T0} + k * ${HOUR}::bigint,
        ${T0} + (k + 1) * ${HOUR}::bigint
      from vms v, generate_series(0, ${perVm - 1}) k where v.id not like 'vm-0-1%';
    analyze;`);
});
afterAll(async () => {
  await admin.end();
  await database.close();
  await dropSchema(schema);
});

const testPool = () => namedPool(schema, "tally-period-test");
const backendsOf = (name: string) => backendsOfPool(admin, name);

const stream = (pool: pg.Pool, interval = year) =>
  postgresPeriodStream(pool, database.kysely, "Test.periods", interval, all);

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromiseExit(effect);

/** Both clients went and no backend is left, and the pool streams again. */
const expectBothLetGo = async (pool: pg.Pool, name: string) => {
  await eventually(() => pool.totalCount === 0, "the pool has let go of both clients");
  await eventually(async () => (await backendsOf(name)).length === 0, "no backend is left");
  const exit = await run(Stream.runCount(stream(pool, { start: T0, end: T0 + HOUR })));
  expect(Exit.isSuccess(exit) ? exit.value : exit).toBe(2_100);
};

describe("the PostgreSQL period stream", () => {
  it("reads every period with its VM's and tenant's names, in report order, and gives both clients back idle", async () => {
    const { pool, name } = testPool();
    try {
      let count = 0;
      let last = "";
      const exit = await run(
        Stream.runForEach(stream(pool), (row) =>
          Effect.sync(() => {
            const key = `${row.tenantId === null ? "~" : row.tenantId}|${row.vmId}|${String(row.start).padStart(15, "0")}`;
            expect(key > last, `${key} after ${last}`).toBe(true);
            last = key;
            expect(row.vmName).toBe(
              `VM ${row.vmId.split("-")[1]}/${Number(row.vmId.split("-")[2])}`,
            );
            expect(row.tenantName).toBe(
              row.tenantId === null
                ? null
                : row.tenantId === "tenant-1"
                  ? "Tenant One"
                  : "Ténant Two",
            );
            count++;
          }),
        ),
      );
      expect(exit).toMatchObject({ _tag: "Success" });
      expect(count).toBe(2_100 * perVm);
      // The VMs of no tenant after the last period (vm-0-1100 …) were read to the end.
      expect([pool.totalCount, pool.idleCount]).toStrictEqual([2, 2]);
      expect((await backendsOf(name)).map((b) => b.state)).toStrictEqual(["idle", "idle"]);
    } finally {
      await pool.end();
    }
  });

  it("reads both scans in one snapshot: a session opened with another's snapshot does not see a later commit", async () => {
    const { pool } = testPool();
    const first = await CopySession.open(pool);
    const snapshot = await first.exportSnapshot();
    await admin.query("update vms set name = 'renamed' where id = 'vm-1-0000'");
    const second = await CopySession.open(pool, snapshot);
    try {
      const names: Array<string> = [];
      const copy = second.copy("copy (select name from vms where id = 'vm-1-0000') to stdout", {
        columns: ["text"],
        toRow: (raw) => raw[0] as string,
      });
      while (await copy.read(names));
      expect(names).toStrictEqual(["VM 1/0"]);
    } finally {
      await second.close();
      await first.close();
      await admin.query("update vms set name = 'VM 1/0' where id = 'vm-1-0000'");
      await pool.end();
    }
  });

  it("refuses a snapshot id that is not one, before taking a client", async () => {
    const { pool } = testPool();
    try {
      await expect(CopySession.open(pool, "x'; drop table vms; --")).rejects.toThrow(
        /not a snapshot id/,
      );
      expect(pool.totalCount).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it("destroys both clients when the consumer stops early, and the server ends both backends", async () => {
    const { pool, name } = testPool();
    try {
      for (let i = 0; i < 3; i++) {
        const exit = await run(Stream.runCollect(Stream.take(stream(pool), 5)));
        expect(Exit.isSuccess(exit) ? exit.value.length : exit).toBe(5);
        expect(pool.idleCount).toBe(0);
      }
      await expectBothLetGo(pool, name);
    } finally {
      await pool.end();
    }
  });

  it.each(["periods", "VMs"] as const)(
    "fails as a retryable ConnectionError when the server ends the %s connection mid-COPY",
    async (which) => {
      const { pool, name } = testPool();
      try {
        let terminated = false;
        let rows = 0;
        const exit = await run(
          Stream.runDrain(
            Stream.mapEffect(stream(pool), (row) =>
              terminated || ++rows < 1_000
                ? Effect.succeed(row)
                : Effect.promise(async () => {
                    // The periods' COPY is the one whose query reads protection_periods.
                    await admin.query(
                      `select pg_terminate_backend(pid) from pg_stat_activity
                        where application_name = $1 and query ${which === "periods" ? "" : "not"} like '%protection_periods%'`,
                      [name],
                    );
                    terminated = true;
                    return row;
                  }),
            ),
          ),
        );
        const error = storageErrorOf(exit);
        expect(error.reason).toBe("ConnectionError");
        expect(error.isRetryable).toBe(true);
        await expectBothLetGo(pool, name);
      } finally {
        await pool.end();
      }
    },
  );

  it("fails, naming the VM, when a period's tenant copy disagrees with its VM", async () => {
    const { pool, name } = testPool();
    const setTenant = (tenant: string) =>
      admin.query("update protection_periods set tenant_id = $1 where vm_id = 'vm-1-0500'", [
        tenant,
      ]);
    await setTenant("tenant-2");
    try {
      const exit = await run(Stream.runDrain(stream(pool)));
      const error = storageErrorOf(exit);
      expect(error.operation).toBe("Test.periods");
      expect(error.detail).toMatch(/vm-1-0500/);
      await setTenant("tenant-1");
      await expectBothLetGo(pool, name);
    } finally {
      await setTenant("tenant-1");
      await pool.end();
    }
  });
});
