/**
 * Who may see and do what: the authorization policy as pure functions. Administrators see
 * every tenant and organization; a tenant operator sees one tenant — its VMs, its
 * organizations, and the tasks and reports scoped to it — and never anything of another tenant.
 *
 * A task or report carries a `tenantScope`: the one tenant whose data it covers, or null when
 * it covers several tenants (or organizations of no tenant). Only administrators see the
 * null-scoped ones. Callers answer "not found" for a task or report the principal may not see,
 * so its existence is never revealed across tenants.
 */
import { Result } from "effect";
import { ForbiddenError } from "./errors.ts";
import type { OrganizationFilter } from "./License.ts";
import type { Principal } from "./Principal.ts";
import type { ReportMeta } from "./Report.ts";
import type { ReportTask } from "./ReportTask.ts";
import type { TenantFilter } from "./Tenant.ts";

/** True for administrators, who may see and manage everything. */
export const isAdministrator = (principal: Principal): boolean =>
  principal.role === "Administrator";

/**
 * The tenant a tenant operator acts for; null for an administrator, and for an operator
 * without a tenant (a malformed principal), who acts for no tenant and is refused everything.
 */
const operatorTenant = (principal: Principal): string | null =>
  principal.role === "TenantOperator" ? principal.tenantId : null;

/** True when the principal may see the data of this tenant (null: VMs or organizations of no tenant). */
export const canSeeTenant = (principal: Principal, tenantId: string | null): boolean =>
  isAdministrator(principal) || (tenantId !== null && operatorTenant(principal) === tenantId);

/** True when the principal may see something scoped to `tenantScope` (a task's or a report's). */
const canSeeScope = (principal: Principal, tenantScope: string | null): boolean =>
  canSeeTenant(principal, tenantScope);

/**
 * The tenant scope of a tenant report the principal asks for: the one tenant asked for, or
 * null for all tenants. A tenant operator may ask only for its own tenant.
 */
export const tenantScopeFor = (
  principal: Principal,
  filter: TenantFilter,
): Result.Result<string | null, ForbiddenError> => {
  if (isAdministrator(principal)) {
    return Result.succeed(filter._tag === "OneTenant" ? filter.tenantId : null);
  }
  const own = operatorTenant(principal);
  if (own === null) return Result.fail(noTenant(principal));
  if (filter._tag === "AllTenants") {
    return Result.fail(
      new ForbiddenError({
        reason: `a tenant operator may report only on its own tenant '${own}', not on all tenants`,
      }),
    );
  }
  if (filter.tenantId !== own) {
    return Result.fail(
      new ForbiddenError({
        reason: `a tenant operator of tenant '${own}' may not report on another tenant`,
      }),
    );
  }
  return Result.succeed(own);
};

/**
 * The tenant scope of a license overview the principal asks for. `organizationTenant` is the
 * tenant of the organization a `OneOrganization` filter names (null: of no tenant; undefined:
 * no such organization); it is ignored for the other filters. A tenant operator may ask only
 * for organizations of its own tenant; for an organization that does not exist or belongs
 * elsewhere the answer is the same refusal, so an operator learns nothing of other tenants.
 */
export const organizationScopeFor = (
  principal: Principal,
  filter: OrganizationFilter,
  organizationTenant: string | null | undefined,
): Result.Result<string | null, ForbiddenError> => {
  if (isAdministrator(principal)) {
    switch (filter._tag) {
      case "AllOrganizations":
        return Result.succeed(null);
      case "OrganizationsOfTenant":
        return Result.succeed(filter.tenantId);
      case "OneOrganization":
        return Result.succeed(organizationTenant ?? null);
    }
  }
  const own = operatorTenant(principal);
  if (own === null) return Result.fail(noTenant(principal));
  switch (filter._tag) {
    case "AllOrganizations":
      return Result.fail(
        new ForbiddenError({
          reason: `a tenant operator may report only on organizations of its own tenant '${own}', not on all organizations`,
        }),
      );
    case "OrganizationsOfTenant":
      return filter.tenantId === own
        ? Result.succeed(own)
        : Result.fail(
            new ForbiddenError({
              reason: `a tenant operator of tenant '${own}' may not report on another tenant's organizations`,
            }),
          );
    case "OneOrganization":
      return organizationTenant === own
        ? Result.succeed(own)
        : Result.fail(
            new ForbiddenError({
              reason: `a tenant operator of tenant '${own}' may report only on organizations of that tenant`,
            }),
          );
  }
};

/** True when the principal may see the task: administrators all, operators their tenant's. */
export const canSeeTask = (principal: Principal, task: ReportTask): boolean =>
  canSeeScope(principal, task.tenantScope);

/** True when the principal may see the report: administrators all, operators their tenant's. */
export const canSeeReport = (principal: Principal, meta: ReportMeta): boolean =>
  canSeeScope(principal, meta.tenantScope);

/**
 * The tenant scope a principal's listings are limited to: undefined (everything) for an
 * administrator, who may narrow it with `requested`; the operator's own tenant otherwise. An
 * operator asking to list another tenant's scope is refused.
 */
export const listingScopeFor = (
  principal: Principal,
  requested: string | undefined,
): Result.Result<string | undefined, ForbiddenError> => {
  if (isAdministrator(principal)) return Result.succeed(requested);
  const own = operatorTenant(principal);
  if (own === null) return Result.fail(noTenant(principal));
  if (requested !== undefined && requested !== own) {
    return Result.fail(
      new ForbiddenError({
        reason: `a tenant operator of tenant '${own}' may not list another tenant's tasks or reports`,
      }),
    );
  }
  return Result.succeed(own);
};

/** Succeeds for administrators; refuses anyone else `action` (e.g. "ingest tenants"). */
export const requireAdministrator = (
  principal: Principal,
  action: string,
): Result.Result<void, ForbiddenError> =>
  isAdministrator(principal)
    ? Result.succeed(undefined)
    : Result.fail(new ForbiddenError({ reason: `only administrators may ${action}` }));

const noTenant = (principal: Principal): ForbiddenError =>
  new ForbiddenError({
    reason: `principal '${principal.id}' is a tenant operator without a tenant and may see nothing`,
  });
