/**
 * The LicenseStore port on SQLite. Upserts reuse prepared statements inside one IMMEDIATE
 * transaction; an event takes its user's organization (so the event stream is one ordered
 * index scan), and a user who changes organization carries its events along.
 */
import { LicenseStore } from "@tally/core";
import { Effect, Option } from "effect";
import {
  listOrganizationsQuery,
  listUsersQuery,
  organizationsQuery,
} from "../queries/DirectoryQueries.ts";
import { countLicenseEventsQuery, licenseEventsQuery } from "../queries/LicenseEventQueries.ts";
import { licenseEventRowFromArray } from "../records/StreamRows.ts";
import { distinct, unknownUserOf } from "../records/UnknownReferences.ts";
import { UserMoves } from "../records/UserMoves.ts";
import { sqliteRowStream } from "./SqliteCursor.ts";
import type { SqliteDatabase } from "./SqliteDatabase.ts";

const upsertOrganizationSql = `insert into organizations (id, name, capacity, tenant_id) values (?, ?, ?, ?)
  on conflict (id) do update set name = excluded.name, capacity = excluded.capacity,
    tenant_id = excluded.tenant_id`;
const upsertUserSql = `insert into licensed_users (id, name, organization_id) values (?, ?, ?)
  on conflict (id) do update set name = excluded.name, organization_id = excluded.organization_id`;
const userOrganizationSql = "select organization_id from licensed_users where id = ?";
/**
 * Gives the events of users who moved from one organization to another the new one; the
 * users are found within the old organization's part of the report index (no user index).
 */
const moveUserEventsSql = `update license_events set organization_id = ?
  where organization_id = ? and user_id in (select value from json_each(?))`;
/** Inserts or replaces an event; its organization is the user's (the users are checked before). */
const upsertEventSql = `insert into license_events (id, user_id, organization_id, kind, at)
  values (?, ?, (select organization_id from licensed_users where id = ?), ?, ?)
  on conflict (id) do update set user_id = excluded.user_id,
    organization_id = excluded.organization_id, kind = excluded.kind, at = excluded.at`;

/** Which of the user ids in a JSON array exist. */
const knownUsersSql = "select id from licensed_users where id in (select value from json_each(?))";

/** A LicenseStore over an open SQLite database. */
export const makeSqliteLicenseStore = (database: SqliteDatabase): LicenseStore["Service"] =>
  LicenseStore.of({
    upsertOrganizations: (organizations) =>
      database.use("LicenseStore.upsertOrganizations", (db) => {
        if (organizations.length === 0) return;
        const upsert = db.statement(upsertOrganizationSql);
        db.writeTransaction(() => {
          for (const o of organizations) upsert.run(o.id, o.name, o.capacity, o.tenantId);
        });
      }),
    upsertUsers: (users) =>
      database.use("LicenseStore.upsertUsers", (db) => {
        if (users.length === 0) return;
        const upsert = db.statement(upsertUserSql);
        const userOrganization = db.statement(userOrganizationSql);
        const moveEvents = db.statement(moveUserEventsSql);
        db.writeTransaction(() => {
          const moves = new UserMoves();
          for (const u of users) {
            const previous = userOrganization.get(u.id) as { organization_id: string } | undefined;
            upsert.run(u.id, u.name, u.organizationId);
            if (previous !== undefined)
              moves.record(u.id, previous.organization_id, u.organizationId);
          }
          for (const move of moves.groups()) {
            moveEvents.run(move.to, move.from, JSON.stringify(move.userIds));
          }
        });
      }),
    upsertEvents: (events) =>
      database.use("LicenseStore.upsertEvents", (db) => {
        if (events.length === 0) return;
        const upsert = db.statement(upsertEventSql);
        const knownUsers = db.statement(knownUsersSql).pluck();
        db.writeTransaction(() => {
          const userIds = distinct(events, (e) => e.userId);
          const known = new Set(knownUsers.all(JSON.stringify(userIds)) as Array<string>);
          const unknown = unknownUserOf("LicenseStore.upsertEvents", events, known);
          if (unknown !== undefined) throw unknown;
          for (const e of events) upsert.run(e.id, e.userId, e.userId, e.kind, e.at);
        });
      }),
    getOrganization: (id) =>
      database.use("LicenseStore.getOrganization", (db) =>
        Option.fromNullishOr(
          db.first(organizationsQuery(db.kysely, { _tag: "OneOrganization", organizationId: id })),
        ),
      ),
    listOrganizations: (filter, page) =>
      database.use("LicenseStore.listOrganizations", (db) =>
        db.all(listOrganizationsQuery(db.kysely, filter, page)),
      ),
    listUsers: (page) =>
      database.use("LicenseStore.listUsers", (db) => db.all(listUsersQuery(db.kysely, page))),
    streamEvents: (filter, until) =>
      sqliteRowStream(
        database,
        "LicenseStore.streamEvents",
        [licenseEventsQuery(database.kysely, filter, until).compile()],
        licenseEventRowFromArray,
      ),
    countEvents: (filter, until) =>
      Effect.map(
        database.scanFirst(
          "LicenseStore.countEvents",
          countLicenseEventsQuery(database.kysely, filter, until),
        ),
        (row) => Number(row?.n ?? 0),
      ),
  });
