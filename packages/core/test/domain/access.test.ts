import { Result } from "effect";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canSeeReport,
  canSeeTask,
  canSeeTenant,
  ForbiddenError,
  listingScopeFor,
  organizationScopeFor,
  type Principal,
  requireAdministrator,
  tenantScopeFor,
} from "../../src/index.ts";
import {
  organizationFilterArbitrary,
  principalArbitrary,
  reportMetaArbitrary,
  reportTaskArbitrary,
  tenantFilterArbitrary,
} from "../../src/testing/index.ts";

const tenants = ["acme", "globex", "initech"];
const admin: Principal = { id: "root", role: "Administrator", tenantId: null };
const operatorOf = (tenantId: string): Principal => ({
  id: `op-${tenantId}`,
  role: "TenantOperator",
  tenantId,
});

describe("the access policy", () => {
  it("gives an administrator every tenant report, scoped to the tenant asked for", () => {
    fc.assert(
      fc.property(tenantFilterArbitrary({ tenantIds: tenants }), (filter) => {
        expect(tenantScopeFor(admin, filter)).toEqual(
          Result.succeed(filter._tag === "OneTenant" ? filter.tenantId : null),
        );
      }),
    );
  });

  it("gives a tenant operator its own tenant's report and refuses everything else", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...tenants),
        tenantFilterArbitrary({ tenantIds: tenants }),
        (own, filter) => {
          const scope = tenantScopeFor(operatorOf(own), filter);
          if (filter._tag === "OneTenant" && filter.tenantId === own) {
            expect(scope).toEqual(Result.succeed(own));
          } else {
            expect(Result.isFailure(scope) && scope.failure).toBeInstanceOf(ForbiddenError);
          }
        },
      ),
    );
  });

  it("explains a refusal", () => {
    const all = tenantScopeFor(operatorOf("acme"), { _tag: "AllTenants" });
    expect(Result.isFailure(all) && all.failure.reason).toBe(
      "a tenant operator may report only on its own tenant 'acme', not on all tenants",
    );
  });

  it("lets a tenant operator report on organizations of its own tenant only", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...tenants),
        organizationFilterArbitrary({ organizationIds: ["org"], tenantIds: tenants }),
        fc.option(fc.constantFrom(...tenants, undefined), { nil: null }),
        (own, filter, owner) => {
          const scope = organizationScopeFor(operatorOf(own), filter, owner);
          const allowed =
            (filter._tag === "OrganizationsOfTenant" && filter.tenantId === own) ||
            (filter._tag === "OneOrganization" && owner === own);
          if (allowed) expect(scope).toEqual(Result.succeed(own));
          else expect(Result.isFailure(scope) && scope.failure).toBeInstanceOf(ForbiddenError);
        },
      ),
    );
  });

  it("scopes an administrator's license overview to the tenant of what it covers", () => {
    expect(
      organizationScopeFor(admin, { _tag: "OneOrganization", organizationId: "o" }, "acme"),
    ).toEqual(Result.succeed("acme"));
    expect(
      organizationScopeFor(admin, { _tag: "OneOrganization", organizationId: "o" }, null),
    ).toEqual(Result.succeed(null));
    expect(organizationScopeFor(admin, { _tag: "AllOrganizations" }, undefined)).toEqual(
      Result.succeed(null),
    );
  });

  it("shows tasks and reports to administrators and to operators of their tenant scope only", () => {
    fc.assert(
      fc.property(
        principalArbitrary({ tenantIds: tenants }),
        reportTaskArbitrary({ tenantScopes: [...tenants, null] }),
        reportMetaArbitrary({ tenantScopes: [...tenants, null] }),
        (principal, task, meta) => {
          const sees = (scope: string | null) =>
            principal.role === "Administrator" || (scope !== null && scope === principal.tenantId);
          expect(canSeeTask(principal, task)).toBe(sees(task.tenantScope));
          expect(canSeeReport(principal, meta)).toBe(sees(meta.tenantScope));
          expect(canSeeTenant(principal, null)).toBe(principal.role === "Administrator");
        },
      ),
    );
  });

  it("refuses an operator without a tenant everything", () => {
    const broken: Principal = { id: "x", role: "TenantOperator", tenantId: null };
    expect(Result.isFailure(tenantScopeFor(broken, { _tag: "OneTenant", tenantId: "acme" }))).toBe(
      true,
    );
    expect(Result.isFailure(listingScopeFor(broken, undefined))).toBe(true);
    expect(canSeeTenant(broken, "acme")).toBe(false);
  });

  it("limits listings to the operator's tenant and lets administrators narrow them", () => {
    expect(listingScopeFor(admin, undefined)).toEqual(Result.succeed(undefined));
    expect(listingScopeFor(admin, "globex")).toEqual(Result.succeed("globex"));
    expect(listingScopeFor(operatorOf("acme"), undefined)).toEqual(Result.succeed("acme"));
    expect(listingScopeFor(operatorOf("acme"), "acme")).toEqual(Result.succeed("acme"));
    expect(Result.isFailure(listingScopeFor(operatorOf("acme"), "globex"))).toBe(true);
  });

  it("keeps data management for administrators", () => {
    expect(Result.isSuccess(requireAdministrator(admin, "ingest tenants"))).toBe(true);
    const refused = requireAdministrator(operatorOf("acme"), "ingest tenants");
    expect(Result.isFailure(refused) && refused.failure.reason).toBe(
      "only administrators may ingest tenants",
    );
  });
});
