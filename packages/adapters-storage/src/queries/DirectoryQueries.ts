/**
 * Lookups and keyset-paginated listings of tenants, VMs, organizations and users, built with
 * kysely for both dialects; columns are aliased to the domain's field names.
 */
import type { OrganizationFilter, PageRequest } from "@tally/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/Database.ts";
import { pageLimit } from "./PageLimit.ts";

/** Tenants, optionally one by id. */
export const tenantsQuery = (db: Kysely<Database>, id?: string) => {
  const base = db.selectFrom("tenants").select(["id", "name"]);
  return id === undefined ? base : base.where("id", "=", id);
};

/** A page of tenants by id. */
export const listTenantsQuery = (db: Kysely<Database>, page: PageRequest) => {
  let query = tenantsQuery(db);
  if (page.after !== undefined) query = query.where("id", ">", page.after);
  return query.orderBy("id").limit(pageLimit(page.limit));
};

/** VMs, optionally one by id. */
export const vmsQuery = (db: Kysely<Database>, id?: string) => {
  const base = db.selectFrom("vms").select(["id", "name", "tenant_id as tenantId"]);
  return id === undefined ? base : base.where("id", "=", id);
};

/** A page of VMs by id, optionally of one tenant. */
export const listVmsQuery = (
  db: Kysely<Database>,
  page: PageRequest & { readonly tenantId?: string | undefined },
) => {
  let query = vmsQuery(db);
  if (page.tenantId !== undefined) query = query.where("tenant_id", "=", page.tenantId);
  if (page.after !== undefined) query = query.where("id", ">", page.after);
  return query.orderBy("id").limit(pageLimit(page.limit));
};

/** Organizations a filter selects. */
export const organizationsQuery = (db: Kysely<Database>, filter: OrganizationFilter) => {
  const base = db
    .selectFrom("organizations")
    .select(["id", "name", "capacity", "tenant_id as tenantId"]);
  switch (filter._tag) {
    case "AllOrganizations":
      return base;
    case "OneOrganization":
      return base.where("id", "=", filter.organizationId);
    case "OrganizationsOfTenant":
      return base.where("tenant_id", "=", filter.tenantId);
  }
};

/** A page of the organizations a filter selects, by id. */
export const listOrganizationsQuery = (
  db: Kysely<Database>,
  filter: OrganizationFilter,
  page: PageRequest,
) => {
  let query = organizationsQuery(db, filter);
  if (page.after !== undefined) query = query.where("id", ">", page.after);
  return query.orderBy("id").limit(pageLimit(page.limit));
};

/** A page of users by id, optionally of one organization. */
export const listUsersQuery = (
  db: Kysely<Database>,
  page: PageRequest & { readonly organizationId?: string | undefined },
) => {
  let query = db
    .selectFrom("licensed_users")
    .select(["id", "name", "organization_id as organizationId"]);
  if (page.organizationId !== undefined) {
    query = query.where("organization_id", "=", page.organizationId);
  }
  if (page.after !== undefined) query = query.where("id", ">", page.after);
  return query.orderBy("id").limit(pageLimit(page.limit));
};
