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
import { sqliteRowStream } from "./SqliteCursor.ts";
import type { SqliteDatabase } from "./SqliteDatabase.ts";
import { makeSqliteFactWriter } from "./SqliteFactWrites.ts";

/** Which of the user ids in a JSON array exist. */
const knownUsersSql = "select id from licensed_users where id in (select value from json_each(?))";

/** A LicenseStore over an open SQLite database. */
export const makeSqliteLicenseStore = (database: SqliteDatabase): LicenseStore["Service"] =>
  LicenseStore.of({
    upsertOrganizations: (organizations) =>
      database.use("LicenseStore.upsertOrganizations", (db) => {
        if (organizations.length === 0) return;
        const write = makeSqliteFactWriter((sql) => db.statement(sql));
        db.writeTransaction(() => {
          for (const organization of organizations) write.organization(organization);
        });
      }),
    upsertUsers: (users) =>
      database.use("LicenseStore.upsertUsers", (db) => {
        if (users.length === 0) return;
        const write = makeSqliteFactWriter((sql) => db.statement(sql));
        db.writeTransaction(() => {
          for (const user of users) write.user(user);
          write.finish();
        });
      }),
    upsertEvents: (events) =>
      database.use("LicenseStore.upsertEvents", (db) => {
        if (events.length === 0) return;
        const write = makeSqliteFactWriter((sql) => db.statement(sql));
        const knownUsers = db.statement(knownUsersSql).pluck();
        db.writeTransaction(() => {
          const userIds = distinct(events, (e) => e.userId);
          const known = new Set(knownUsers.all(JSON.stringify(userIds)) as Array<string>);
          const unknown = unknownUserOf("LicenseStore.upsertEvents", events, known);
          if (unknown !== undefined) throw unknown;
          for (const event of events) write.event(event);
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
