/**
 * The ProtectionPeriodStore port on PostgreSQL. Ingestion sends column arrays through
 * `unnest` in one transaction, after taking a share lock on the VMs it names (so a VM
 * changing tenant at the same time cannot leave a period with the old tenant) and checking
 * that they all exist. The report stream merges two ordered index scans (see
 * `PostgresPeriodStream.ts`), each read through COPY.
 */
import { ProtectionPeriodStore } from "@tally/core";
import { Option } from "effect";
import { sql } from "kysely";
import {
  countOverlappingQuery,
  earliestStartQuery,
  periodParts,
} from "../queries/PeriodQueries.ts";
import { distinct, unknownVmOf } from "../records/UnknownReferences.ts";
import { ONGOING_END_SQL } from "../schema/Database.ts";
import { lastOfEachId, slices } from "./IngestionBatches.ts";
import type { PostgresDatabase } from "./PostgresDatabase.ts";
import { postgresPeriodStream } from "./PostgresPeriodStream.ts";

/** A ProtectionPeriodStore over a PostgreSQL database. */
export const makePostgresProtectionPeriodStore = (
  database: PostgresDatabase,
): ProtectionPeriodStore["Service"] =>
  ProtectionPeriodStore.of({
    upsertPeriods: (periods) =>
      database.use("ProtectionPeriodStore.upsertPeriods", async (db) => {
        if (periods.length === 0) return;
        await db.transaction().execute(async (trx) => {
          for (const slice of slices(lastOfEachId(periods))) {
            const vmIds = slice.map((p) => p.vmId);
            const known = await sql<{ id: string }>`select id from vms
              where id = any(${distinct(slice, (p) => p.vmId)}::text[]) order by id for share`.execute(
              trx,
            );
            const unknown = unknownVmOf(
              "ProtectionPeriodStore.upsertPeriods",
              slice,
              new Set(known.rows.map((row) => row.id)),
            );
            if (unknown !== undefined) throw unknown;
            await sql`insert into protection_periods (id, vm_id, tenant_id, start_at, end_at)
              select p.id, p.vm_id, v.tenant_id, p.start_at, coalesce(p.end_at, ${sql.raw(ONGOING_END_SQL)})
              from unnest(${slice.map((p) => p.id)}::text[], ${vmIds}::text[],
                ${slice.map((p) => p.start)}::int8[], ${slice.map((p) => p.end)}::int8[])
                as p (id, vm_id, start_at, end_at)
              left join vms v on v.id = p.vm_id
              on conflict (id) do update set vm_id = excluded.vm_id, tenant_id = excluded.tenant_id,
                start_at = excluded.start_at, end_at = excluded.end_at`.execute(trx);
          }
        });
      }),
    streamOverlapping: (interval, filter) =>
      postgresPeriodStream(
        database.pool,
        database.kysely,
        "ProtectionPeriodStore.streamOverlapping",
        interval,
        filter,
      ),
    countOverlapping: (interval, filter) =>
      database.use("ProtectionPeriodStore.countOverlapping", async (db) => {
        let total = 0;
        for (const part of periodParts(filter)) {
          const row = await countOverlappingQuery(db, interval, part).executeTakeFirst();
          total += Number(row?.n ?? 0);
        }
        return total;
      }),
    earliestStart: (filter) =>
      database.use("ProtectionPeriodStore.earliestStart", async (db) => {
        const earliest = (await earliestStartQuery(db, filter).executeTakeFirst())?.earliest;
        return earliest === null || earliest === undefined
          ? Option.none()
          : Option.some(Number(earliest));
      }),
  });
