/**
 * The Authorizer port: who may see and do what. Its default is the core's policy in
 * `domain/Access.ts` (administrators everything, tenant operators their own tenant), so the
 * use cases need no layer for it; an embedder with other rules provides its own:
 * `Layer.succeed(Authorizer, { ...defaultAuthorizer, canSeeReport: ... })`.
 *
 * Decisions are synchronous and pure: an authorizer that needs I/O (a policy service) should
 * resolve what it needs when the principal is authenticated and carry it in its closure.
 */
import { Context, Layer, type Result } from "effect";
import {
  canSeeReport,
  canSeeTask,
  canSeeTenant,
  listingScopeFor,
  organizationScopeFor,
  requireAdministrator,
  tenantScopeFor,
} from "../domain/Access.ts";
import type { ForbiddenError } from "../domain/errors.ts";
import type { OrganizationFilter } from "../domain/License.ts";
import type { Principal } from "../domain/Principal.ts";
import type { ReportMeta } from "../domain/Report.ts";
import type { ReportTask } from "../domain/ReportTask.ts";
import type { TenantFilter } from "../domain/Tenant.ts";

/** The decisions the use cases ask for; see `domain/Access.ts` for the default rules. */
export interface AuthorizerShape {
  /** True when the principal may see this tenant's data (null: data of no tenant). */
  readonly canSeeTenant: (principal: Principal, tenantId: string | null) => boolean;
  /** The tenant scope of a tenant report, or why the principal may not ask for it. */
  readonly tenantScopeFor: (
    principal: Principal,
    filter: TenantFilter,
  ) => Result.Result<string | null, ForbiddenError>;
  /**
   * The tenant scope of a license overview, or why not; `organizationTenant` is the tenant of
   * the organization a `OneOrganization` filter names (undefined: no such organization).
   */
  readonly organizationScopeFor: (
    principal: Principal,
    filter: OrganizationFilter,
    organizationTenant: string | null | undefined,
  ) => Result.Result<string | null, ForbiddenError>;
  /** True when the principal may see the task. */
  readonly canSeeTask: (principal: Principal, task: ReportTask) => boolean;
  /** True when the principal may see the report. */
  readonly canSeeReport: (principal: Principal, meta: ReportMeta) => boolean;
  /** The tenant scope listings are limited to (undefined: all), given the one requested. */
  readonly listingScopeFor: (
    principal: Principal,
    requested: string | undefined,
  ) => Result.Result<string | undefined, ForbiddenError>;
  /** Succeeds when the principal may perform a data-management `action`. */
  readonly requireAdministrator: (
    principal: Principal,
    action: string,
  ) => Result.Result<void, ForbiddenError>;
}

/** The core's policy: administrators see everything, tenant operators their own tenant. */
export const defaultAuthorizer: AuthorizerShape = {
  canSeeTenant,
  tenantScopeFor,
  organizationScopeFor,
  canSeeTask,
  canSeeReport,
  listingScopeFor,
  requireAdministrator,
};

/** Who may see and do what; defaults to `defaultAuthorizer` when no layer provides one. */
export const Authorizer = Context.Reference<AuthorizerShape>("tally/core/Authorizer", {
  defaultValue: () => defaultAuthorizer,
});

/** A layer with the default policy, for wiring that wants to name it explicitly. */
export const defaultAuthorizerLayer: Layer.Layer<never> = Layer.succeed(
  Authorizer,
  defaultAuthorizer,
);
