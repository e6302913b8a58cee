/**
 * Reading the ingested facts back on behalf of a principal: tenants, VMs, organizations and
 * licensed users, one by id or a keyset page by id. Administrators see everything; a tenant
 * operator sees its own tenant, that tenant's VMs and organizations, and those organizations'
 * users. Anything the principal may not see is answered exactly like something that does not
 * exist (NotFoundError, or left out of a page), so nothing of another tenant is revealed.
 */
import { Effect, Option } from "effect";
import { compareCodePoints } from "../domain/CodePointOrder.ts";
import { type ForbiddenError, NotFoundError, type StorageError } from "../domain/errors.ts";
import type { LicensedUser, Organization } from "../domain/License.ts";
import type { Principal } from "../domain/Principal.ts";
import type { Tenant, Vm } from "../domain/Tenant.ts";
import { Authorizer } from "../ports/Authorizer.ts";
import { LicenseStore } from "../ports/LicenseStore.ts";
import { type PageRequest, TenantDirectory } from "../ports/TenantDirectory.ts";

/** Organizations of one tenant are read in pages of this size when an operator lists users. */
const organizationBatch = 1000;

/** What listing facts may fail with. */
export type FactListError = ForbiddenError | StorageError;

/** What reading one fact, or a listing narrowed to one named fact, may fail with. */
export type FactReadError = NotFoundError | ForbiddenError | StorageError;

/** The visible value, or "not found" for one that is absent or belongs to another tenant. */
const visibleOr404 = <A>(
  principal: Principal,
  found: Option.Option<A>,
  tenantOf: (a: A) => string | null,
  resource: string,
  id: string,
): Effect.Effect<A, NotFoundError> =>
  Effect.flatMap(Effect.service(Authorizer), (authorizer) =>
    Option.isSome(found) && authorizer.canSeeTenant(principal, tenantOf(found.value))
      ? Effect.succeed(found.value)
      : Effect.fail(new NotFoundError({ resource, id })),
  );

/**
 * The tenant an operator's listings are limited to; undefined for an administrator (all).
 * An operator without a tenant is refused.
 */
const listingScope = (principal: Principal): Effect.Effect<string | undefined, ForbiddenError> =>
  Effect.flatMap(Effect.service(Authorizer), (authorizer) =>
    Effect.fromResult(authorizer.listingScopeFor(principal, undefined)),
  );

/** The tenant, if it exists and the principal may see it. */
export const getTenantFor = (
  principal: Principal,
  id: string,
): Effect.Effect<Tenant, NotFoundError | StorageError, TenantDirectory> =>
  Effect.flatMap(Effect.service(TenantDirectory), (directory) =>
    Effect.flatMap(directory.getTenant(id), (found) =>
      visibleOr404(principal, found, (t) => t.id, "tenant", id),
    ),
  );

/** The VM, if it exists and the principal may see its tenant. */
export const getVmFor = (
  principal: Principal,
  id: string,
): Effect.Effect<Vm, NotFoundError | StorageError, TenantDirectory> =>
  Effect.flatMap(Effect.service(TenantDirectory), (directory) =>
    Effect.flatMap(directory.getVm(id), (found) =>
      visibleOr404(principal, found, (v) => v.tenantId, "VM", id),
    ),
  );

/** The organization, if it exists and the principal may see its tenant. */
export const getOrganizationFor = (
  principal: Principal,
  id: string,
): Effect.Effect<Organization, NotFoundError | StorageError, LicenseStore> =>
  Effect.flatMap(Effect.service(LicenseStore), (store) =>
    Effect.flatMap(store.getOrganization(id), (found) =>
      visibleOr404(principal, found, (o) => o.tenantId, "organization", id),
    ),
  );

/** The tenants the principal may see, by id: all of them, or an operator's own. */
export const listTenantsFor = (
  principal: Principal,
  page: PageRequest,
): Effect.Effect<ReadonlyArray<Tenant>, FactListError, TenantDirectory> =>
  Effect.gen(function* () {
    const scope = yield* listingScope(principal);
    const directory = yield* TenantDirectory;
    if (scope === undefined) return yield* directory.listTenants(page);
    const own = yield* directory.getTenant(scope);
    return Option.isSome(own) &&
      (page.after === undefined || compareCodePoints(own.value.id, page.after) > 0)
      ? [own.value]
      : [];
  });

/** The VMs the principal may see, by id, optionally of one (visible) tenant. */
export const listVmsFor = (
  principal: Principal,
  page: PageRequest & { readonly tenantId?: string | undefined },
): Effect.Effect<ReadonlyArray<Vm>, FactReadError, TenantDirectory> =>
  Effect.gen(function* () {
    const tenantId =
      page.tenantId === undefined
        ? yield* listingScope(principal)
        : (yield* getTenantFor(principal, page.tenantId)).id;
    return yield* (yield* TenantDirectory).listVms({
      after: page.after,
      limit: page.limit,
      tenantId,
    });
  });

/** The organizations the principal may see, by id: all, or those of an operator's tenant. */
export const listOrganizationsFor = (
  principal: Principal,
  page: PageRequest,
): Effect.Effect<ReadonlyArray<Organization>, FactListError, LicenseStore> =>
  Effect.gen(function* () {
    const scope = yield* listingScope(principal);
    return yield* (yield* LicenseStore).listOrganizations(
      scope === undefined
        ? { _tag: "AllOrganizations" }
        : { _tag: "OrganizationsOfTenant", tenantId: scope },
      page,
    );
  });

/**
 * The licensed users the principal may see, by id, optionally of one (visible) organization.
 * An operator's users are those of its tenant's organizations: each organization gives at most
 * a page after `after`, and the first `limit` of their union, by id, are the page.
 */
export const listUsersFor = (
  principal: Principal,
  page: PageRequest & { readonly organizationId?: string | undefined },
): Effect.Effect<ReadonlyArray<LicensedUser>, FactReadError, LicenseStore> =>
  Effect.gen(function* () {
    const store = yield* LicenseStore;
    const request = { after: page.after, limit: page.limit };
    if (page.organizationId !== undefined) {
      const organization = yield* getOrganizationFor(principal, page.organizationId);
      return yield* store.listUsers({ ...request, organizationId: organization.id });
    }
    const scope = yield* listingScope(principal);
    if (scope === undefined) return yield* store.listUsers(request);
    const pages = yield* Effect.forEach(yield* organizationIdsOf(scope), (organizationId) =>
      store.listUsers({ ...request, organizationId }),
    );
    return pages
      .flat()
      .sort((a, b) => compareCodePoints(a.id, b.id))
      .slice(0, page.limit);
  });

/** Every organization id of one tenant, in id order. */
const organizationIdsOf = (
  tenantId: string,
): Effect.Effect<ReadonlyArray<string>, StorageError, LicenseStore> =>
  Effect.gen(function* () {
    const store = yield* LicenseStore;
    const ids: Array<string> = [];
    let after: string | undefined;
    for (;;) {
      const batch = yield* store.listOrganizations(
        { _tag: "OrganizationsOfTenant", tenantId },
        { after, limit: organizationBatch },
      );
      for (const o of batch) ids.push(o.id);
      if (batch.length < organizationBatch) return ids;
      after = ids[ids.length - 1];
    }
  });
