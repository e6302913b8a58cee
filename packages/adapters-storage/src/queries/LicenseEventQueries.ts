/**
 * The license-event report queries, built with kysely for both dialects: events before an
 * instant of the organizations a filter selects, ordered by organization, instant, user and
 * event id — one ordered scan of `license_events_report`.
 */
import type { Instant, OrganizationFilter } from "@tally/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/Database.ts";

/** The events a filter selects with `at < until`, without columns or order. */
const selectedEvents = (db: Kysely<Database>, filter: OrganizationFilter, until: Instant) => {
  const base = db.selectFrom("license_events as e").where("e.at", "<", until);
  switch (filter._tag) {
    case "AllOrganizations":
      return base;
    case "OneOrganization":
      return base.where("e.organization_id", "=", filter.organizationId);
    case "OrganizationsOfTenant":
      return base.where("e.organization_id", "in", (eb) =>
        eb
          .selectFrom("organizations as o")
          .select("o.id")
          .where("o.tenant_id", "=", filter.tenantId),
      );
  }
};

/**
 * The rows as arrays in this order: organization id, user id, user name, event id, kind, at;
 * ordered for the report.
 */
export const licenseEventsQuery = (
  db: Kysely<Database>,
  filter: OrganizationFilter,
  until: Instant,
) =>
  selectedEvents(db, filter, until)
    .innerJoin("licensed_users as u", "u.id", "e.user_id")
    .select(["e.organization_id", "e.user_id", "u.name as user_name", "e.id", "e.kind", "e.at"])
    .orderBy("e.organization_id")
    .orderBy("e.at")
    .orderBy("e.user_id")
    .orderBy("e.id");

/** How many rows `licenseEventsQuery` has. */
export const countLicenseEventsQuery = (
  db: Kysely<Database>,
  filter: OrganizationFilter,
  until: Instant,
) => selectedEvents(db, filter, until).select((eb) => eb.fn.countAll<number>().as("n"));
