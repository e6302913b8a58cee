/**
 * Report metadata queries built with kysely for both dialects.
 */
import type { ReportQuery } from "@tally/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/Database.ts";
import { pageLimit } from "./PageLimit.ts";

/** The reports a query selects, ordered by createdAt then id. */
export const listReportsQuery = (db: Kysely<Database>, query: ReportQuery) => {
  let select = db.selectFrom("reports").selectAll();
  if (query.tenantScope !== undefined)
    select = select.where("tenant_scope", "=", query.tenantScope);
  if (query.taskId !== undefined) select = select.where("task_id", "=", query.taskId);
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
