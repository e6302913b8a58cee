/**
 * The LicenseStore port on PostgreSQL. Upserts send column arrays through `unnest` in one
 * transaction; an event takes its user's organization (share-locking the users it names, so a
 * user changing organization at the same time cannot leave an event behind), and users who
 * change organization carry their events along (see `UserMoves`).
 */
import { type LicenseEventRow, LicenseStore } from "@tally/core";
import { Option } from "effect";
import { sql } from "kysely";
import {
  listOrganizationsQuery,
  listUsersQuery,
  organizationsQuery,
} from "../queries/DirectoryQueries.ts";
import { countLicenseEventsQuery, licenseEventsQuery } from "../queries/LicenseEventQueries.ts";
import { licenseEventRowFromArray } from "../records/StreamRows.ts";
import { distinct, unknownUserOf } from "../records/UnknownReferences.ts";
import { UserMoves } from "../records/UserMoves.ts";
import { lastOfEachId, slices } from "./IngestionBatches.ts";
import { type CopyRowShape, postgresCopyStream } from "./PostgresCopyStream.ts";
import type { PostgresDatabase } from "./PostgresDatabase.ts";

/** The columns of `licenseEventsQuery` as COPY sends them, and the row they make. */
const licenseEventRows: CopyRowShape<LicenseEventRow> = {
  columns: ["text", "text", "text", "text", "text", "int8"],
  toRow: licenseEventRowFromArray,
};

/** A LicenseStore over a PostgreSQL database. */
export const makePostgresLicenseStore = (database: PostgresDatabase): LicenseStore["Service"] =>
  LicenseStore.of({
    upsertOrganizations: (organizations) =>
      database.use("LicenseStore.upsertOrganizations", async (db) => {
        if (organizations.length === 0) return;
        await db.transaction().execute(async (trx) => {
          for (const slice of slices(lastOfEachId(organizations))) {
            await sql`insert into organizations (id, name, capacity, tenant_id)
              select * from unnest(${slice.map((o) => o.id)}::text[], ${slice.map((o) => o.name)}::text[],
                ${slice.map((o) => o.capacity)}::int8[], ${slice.map((o) => o.tenantId)}::text[])
              on conflict (id) do update set name = excluded.name, capacity = excluded.capacity,
                tenant_id = excluded.tenant_id`.execute(trx);
          }
        });
      }),
    upsertUsers: (users) =>
      database.use("LicenseStore.upsertUsers", async (db) => {
        if (users.length === 0) return;
        await db.transaction().execute(async (trx) => {
          for (const slice of slices(lastOfEachId(users))) {
            const ids = slice.map((u) => u.id);
            // Lock the users that exist (a concurrent event upsert waits) and learn their organizations.
            const previous = await sql<{ id: string; organization_id: string }>`
              select id, organization_id from licensed_users where id = any(${ids}::text[])
              order by id for update`.execute(trx);
            await sql`insert into licensed_users (id, name, organization_id)
              select * from unnest(${ids}::text[], ${slice.map((u) => u.name)}::text[],
                ${slice.map((u) => u.organizationId)}::text[])
              on conflict (id) do update set name = excluded.name,
                organization_id = excluded.organization_id`.execute(trx);
            const organizationBefore = new Map(
              previous.rows.map((row) => [row.id, row.organization_id]),
            );
            const moves = new UserMoves();
            for (const u of slice) {
              const before = organizationBefore.get(u.id);
              if (before !== undefined) moves.record(u.id, before, u.organizationId);
            }
            for (const move of moves.groups()) {
              await sql`update license_events set organization_id = ${move.to}
                where organization_id = ${move.from} and user_id = any(${move.userIds}::text[])`.execute(
                trx,
              );
            }
          }
        });
      }),
    upsertEvents: (events) =>
      database.use("LicenseStore.upsertEvents", async (db) => {
        if (events.length === 0) return;
        await db.transaction().execute(async (trx) => {
          for (const slice of slices(lastOfEachId(events))) {
            const userIds = slice.map((e) => e.userId);
            const known = await sql<{ id: string }>`select id from licensed_users
              where id = any(${distinct(slice, (e) => e.userId)}::text[]) order by id for share`.execute(
              trx,
            );
            const unknown = unknownUserOf(
              "LicenseStore.upsertEvents",
              slice,
              new Set(known.rows.map((row) => row.id)),
            );
            if (unknown !== undefined) throw unknown;
            await sql`insert into license_events (id, user_id, organization_id, kind, at)
              select e.id, e.user_id, u.organization_id, e.kind, e.at
              from unnest(${slice.map((e) => e.id)}::text[], ${userIds}::text[],
                ${slice.map((e) => e.kind)}::text[], ${slice.map((e) => e.at)}::int8[])
                as e (id, user_id, kind, at)
              left join licensed_users u on u.id = e.user_id
              on conflict (id) do update set user_id = excluded.user_id,
                organization_id = excluded.organization_id, kind = excluded.kind,
                at = excluded.at`.execute(trx);
          }
        });
      }),
    getOrganization: (id) =>
      database.use("LicenseStore.getOrganization", async (db) =>
        Option.fromNullishOr(
          await organizationsQuery(db, {
            _tag: "OneOrganization",
            organizationId: id,
          }).executeTakeFirst(),
        ),
      ),
    listOrganizations: (filter, page) =>
      database.use("LicenseStore.listOrganizations", (db) =>
        listOrganizationsQuery(db, filter, page).execute(),
      ),
    listUsers: (page) =>
      database.use("LicenseStore.listUsers", (db) => listUsersQuery(db, page).execute()),
    streamEvents: (filter, until) =>
      postgresCopyStream(
        database.pool,
        "LicenseStore.streamEvents",
        [licenseEventsQuery(database.kysely, filter, until).compile()],
        licenseEventRows,
      ),
    countEvents: (filter, until) =>
      database.use("LicenseStore.countEvents", async (db) =>
        Number((await countLicenseEventsQuery(db, filter, until).executeTakeFirst())?.n ?? 0),
      ),
  });
