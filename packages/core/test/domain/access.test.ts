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

/** Why the policy refused, or "allowed". */
const reasonOf = (result: Result.Result<unknown, ForbiddenError>): string =>
  Result.isFailure(result) ? result.failure.reason : "allowed";

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
        principalArbitrary({ tenantIds: tenants }).filter((p) => p.role === "TenantOperator"),
        tenantFilterArbitrary({ tenantIds: tenants }),
        (operator, filter) => {
          const scope = tenantScopeFor(operator, filter);
          const own = operator.tenantId;
          if (own !== null && filter._tag === "OneTenant" && filter.tenantId === own) {
            expect(scope).toEqual(Result.succeed(own));
          } else {
            expect(Result.isFailure(scope) && scope.failure).toBeInstanceOf(ForbiddenError);
          }
        },
      ),
    );
  });

  it("lets a tenant operator report on organizations of its own tenant only", () => {
    fc.assert(
      fc.property(
        principalArbitrary({ tenantIds: tenants }).filter((p) => p.role === "TenantOperator"),
        organizationFilterArbitrary({ organizationIds: ["org"], tenantIds: tenants }),
        fc.option(fc.constantFrom(...tenants, undefined), { nil: null }),
        (operator, filter, owner) => {
          const scope = organizationScopeFor(operator, filter, owner);
          const own = operator.tenantId;
          const allowed =
            own !== null &&
            ((filter._tag === "OrganizationsOfTenant" && filter.tenantId === own) ||
              (filter._tag === "OneOrganization" && owner === own));
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
    expect(
      organizationScopeFor(admin, { _tag: "OneOrganization", organizationId: "o" }, undefined),
    ).toEqual(Result.succeed(null));
    expect(
      organizationScopeFor(admin, { _tag: "OrganizationsOfTenant", tenantId: "globex" }, undefined),
    ).toEqual(Result.succeed("globex"));
    expect(organizationScopeFor(admin, { _tag: "AllOrganizations" }, "acme")).toEqual(
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

  it("refuses an operator without a tenant everything, even what belongs to no tenant", () => {
    const broken: Principal = { id: "x", role: "TenantOperator", tenantId: null };
    const refusal = "principal 'x' is a tenant operator without a tenant and may see nothing";
    expect(reasonOf(tenantScopeFor(broken, { _tag: "OneTenant", tenantId: "acme" }))).toBe(refusal);
    expect(reasonOf(tenantScopeFor(broken, { _tag: "AllTenants" }))).toBe(refusal);
    for (const owner of [null, undefined, "acme"]) {
      const one = organizationScopeFor(
        broken,
        { _tag: "OneOrganization", organizationId: "o" },
        owner,
      );
      expect(reasonOf(one)).toBe(refusal);
    }
    expect(reasonOf(organizationScopeFor(broken, { _tag: "AllOrganizations" }, undefined))).toBe(
      refusal,
    );
    expect(reasonOf(listingScopeFor(broken, undefined))).toBe(refusal);
    expect(canSeeTenant(broken, "acme")).toBe(false);
    expect(canSeeTenant(broken, null)).toBe(false);
  });

  it("explains each refusal of a tenant operator, naming its tenant", () => {
    const acme = operatorOf("acme");
    expect(reasonOf(tenantScopeFor(acme, { _tag: "AllTenants" }))).toBe(
      "a tenant operator may report only on its own tenant 'acme', not on all tenants",
    );
    expect(reasonOf(tenantScopeFor(acme, { _tag: "OneTenant", tenantId: "globex" }))).toBe(
      "a tenant operator of tenant 'acme' may not report on another tenant",
    );
    expect(reasonOf(organizationScopeFor(acme, { _tag: "AllOrganizations" }, undefined))).toBe(
      "a tenant operator may report only on organizations of its own tenant 'acme', not on all organizations",
    );
    expect(
      reasonOf(
        organizationScopeFor(
          acme,
          { _tag: "OrganizationsOfTenant", tenantId: "globex" },
          undefined,
        ),
      ),
    ).toBe("a tenant operator of tenant 'acme' may not report on another tenant's organizations");
    expect(
      reasonOf(organizationScopeFor(acme, { _tag: "OneOrganization", organizationId: "o" }, null)),
    ).toBe("a tenant operator of tenant 'acme' may report only on organizations of that tenant");
    expect(reasonOf(listingScopeFor(acme, "globex"))).toBe(
      "a tenant operator of tenant 'acme' may not list another tenant's tasks or reports",
    );
  });

  it("limits listings to the operator's tenant and lets administrators narrow them", () => {
    expect(listingScopeFor(admin, undefined)).toEqual(Result.succeed(undefined));
    expect(listingScopeFor(admin, "globex")).toEqual(Result.succeed("globex"));
    expect(listingScopeFor(operatorOf("acme"), undefined)).toEqual(Result.succeed("acme"));
    expect(listingScopeFor(operatorOf("acme"), "acme")).toEqual(Result.succeed("acme"));
    expect(listingScopeFor(operatorOf("acme"), "globex")).toMatchObject({ _tag: "Failure" });
  });

  it("keeps data management for administrators", () => {
    expect(requireAdministrator(admin, "ingest tenants")).toMatchObject({ _tag: "Success" });
    const refused = requireAdministrator(operatorOf("acme"), "ingest tenants");
    expect(Result.isFailure(refused) && refused.failure.reason).toBe(
      "only administrators may ingest tenants",
    );
  });
});
