/**
 * Task queries built with kysely for both dialects. State names are SQL literals, not
 * parameters, so that the planners can use the partial indexes `tasks_queue` and `tasks_leases`.
 */
import type { Instant, TaskQuery } from "@tally/core";
import { type Kysely, sql } from "kysely";
import type { Database } from "../schema/Database.ts";
import { pageLimit } from "./PageLimit.ts";

/** The oldest queued task (by createdAt, then id), as the `body` column. */
export const oldestQueuedQuery = (db: Kysely<Database>) =>
  db
    .selectFrom("tasks")
    .select(["id", "body"])
    .where("state", "=", sql.lit("Queued"))
    .orderBy("created_at")
    .orderBy("id")
    .limit(1);

/** Running tasks whose lease expired at or before `now`, oldest lease first. */
export const expiredLeasesQuery = (db: Kysely<Database>, now: Instant, limit: number) =>
  db
    .selectFrom("tasks")
    .select("body")
    .where("state", "=", sql.lit("Running"))
    .where("lease_expires_at", "<=", now)
    .orderBy("lease_expires_at")
    .orderBy("id")
    .limit(pageLimit(limit));

/** The tasks a query selects, ordered by createdAt then id; undefined when none can match. */
export const listTasksQuery = (db: Kysely<Database>, query: TaskQuery) => {
  if (query.states !== undefined && query.states.length === 0) return undefined;
  let select = db.selectFrom("tasks").select("body");
  if (query.tenantScope !== undefined)
    select = select.where("tenant_scope", "=", query.tenantScope);
  if (query.states !== undefined) select = select.where("state", "in", query.states);
  if (query.type !== undefined) select = select.where("type", "=", query.type);
  if (query.createdFrom !== undefined) select = select.where("created_at", ">=", query.createdFrom);
  const after = query.after;
  if (after !== undefined) {
    select = select.where((eb) =>
      eb.or([
        eb("created_at", ">", after.createdAt),
        eb.and([eb("created_at", "=", after.createdAt), eb("id", ">", after.id)]),
      ]),
    );
  }
  return select.orderBy("created_at").orderBy("id").limit(pageLimit(query.limit));
};
