/**
 * Reading ingested facts back: tenants, VMs, organizations and licensed users, one by id or
 * listed by id with keyset pagination (`limit`, an opaque `cursor`). Administrators see
 * everything; a tenant operator sees its own tenant, that tenant's VMs and organizations, and
 * those organizations' users. Anything an operator may not see is answered exactly like
 * something that does not exist (404, or left out of a list), so nothing of another tenant
 * is revealed.
 */
import {
  Authorizer,
  compareCodePoints,
  type LicensedUser,
  LicenseStore,
  NotFoundError,
  type Organization,
  type Principal,
  type Tenant,
  TenantDirectory,
  type Vm,
} from "@tally/core";
import { Effect, Option } from "effect";
import { limitQuery, singleQuery } from "../../protocol/QueryParameters.ts";
import { jsonResponse } from "../../protocol/Responses.ts";
import type { AuthenticatedRoute, CoreServices, ParameterDoc } from "../../routing/Route.ts";
import { keysetPageJson } from "./KeysetPage.ts";
import { decodeIdCursor, encodeIdCursor } from "./PageCursor.ts";

const tags = ["Facts"];

/** Organizations of one tenant are read in pages of this size when an operator lists users. */
const organizationBatch = 1000;

const tenantJson = (t: Tenant) => ({ id: t.id, name: t.name });
const vmJson = (v: Vm) => ({ id: v.id, name: v.name, tenantId: v.tenantId });
const organizationJson = (o: Organization) => ({
  id: o.id,
  name: o.name,
  capacity: o.capacity,
  tenantId: o.tenantId,
});
const userJson = (u: LicensedUser) => ({
  id: u.id,
  name: u.name,
  organizationId: u.organizationId,
});
const idCursor = (item: { readonly id: string }) => encodeIdCursor(item.id);

/** The page a listing asks for: `limit` and the id after `cursor`. */
const pageQuery = (url: URL, maxPageSize: number) =>
  Effect.gen(function* () {
    const limit = yield* limitQuery(url, 100, maxPageSize);
    const cursorText = yield* singleQuery(url, "cursor");
    const after = cursorText === undefined ? undefined : yield* decodeIdCursor(cursorText);
    return { limit, after };
  });

/**
 * The tenant an operator's listings are limited to; undefined for an administrator (all).
 * An operator without a tenant is refused (403).
 */
const listingScope = (principal: Principal) =>
  Effect.gen(function* () {
    const authorizer = yield* Authorizer;
    return yield* Effect.fromResult(authorizer.listingScopeFor(principal, undefined));
  });

/** Whether the principal may see data of `tenantId` (null: of no tenant). */
const canSee = (principal: Principal, tenantId: string | null) =>
  Effect.gen(function* () {
    return (yield* Authorizer).canSeeTenant(principal, tenantId);
  });

/** The visible thing, or "not found" for one that is absent or belongs to another tenant. */
const visibleOr404 = <A>(
  principal: Principal,
  found: Option.Option<A>,
  tenantOf: (a: A) => string | null,
  resource: string,
  id: string,
) =>
  Effect.gen(function* () {
    if (Option.isSome(found) && (yield* canSee(principal, tenantOf(found.value)))) {
      return found.value;
    }
    return yield* new NotFoundError({ resource, id });
  });

const getTenantVisible = (principal: Principal, id: string) =>
  Effect.gen(function* () {
    const found = yield* (yield* TenantDirectory).getTenant(id);
    return yield* visibleOr404(principal, found, (t) => t.id, "tenant", id);
  });

const getOrganizationVisible = (principal: Principal, id: string) =>
  Effect.gen(function* () {
    const found = yield* (yield* LicenseStore).getOrganization(id);
    return yield* visibleOr404(principal, found, (o) => o.tenantId, "organization", id);
  });

/** Every organization id of one tenant, in id order. */
const organizationIdsOf = (tenantId: string) =>
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

/**
 * One page of the users of several organizations, by id: each organization gives at most a
 * page after `after`, and the first `limit` of their union are the page.
 */
const usersOfOrganizations = (
  organizationIds: ReadonlyArray<string>,
  page: { readonly after: string | undefined; readonly limit: number },
) =>
  Effect.gen(function* () {
    const store = yield* LicenseStore;
    const pages = yield* Effect.forEach(organizationIds, (organizationId) =>
      store.listUsers({ ...page, organizationId }),
    );
    return pages
      .flat()
      .sort((a, b) => compareCodePoints(a.id, b.id))
      .slice(0, page.limit);
  });

const pageParameters = (maxPageSize: number): ReadonlyArray<ParameterDoc> => [
  { name: "limit", in: "query", description: `Page size, 1 to ${maxPageSize} (default 100)` },
  { name: "cursor", in: "query", description: "`nextCursor` of the previous page" },
];

const listResponses = {
  "200": {
    description: "`{items, nextCursor}` ordered by id; `nextCursor` is null on the last page",
    headers: { Link: '`<…&cursor=…>; rel="next"` when there may be more' },
    content: { "application/json": {} },
  },
  "400": { description: "A malformed limit or cursor" },
  "401": { description: "No, unknown or expired credentials" },
};

const getResponses = (what: string) => ({
  "200": { description: `The ${what}`, content: { "application/json": {} } },
  "401": { description: "No, unknown or expired credentials" },
  "404": { description: `No such ${what} (or not visible to the caller)` },
});

/** The read routes of tenants, VMs, organizations and users. */
export const factReadRoutes = (
  maxPageSize: number,
): ReadonlyArray<AuthenticatedRoute<CoreServices>> => [
  {
    method: "GET",
    path: "/v1/tenants",
    face: "native",
    access: "authenticated",
    handle: ({ url, principal }) =>
      Effect.gen(function* () {
        const page = yield* pageQuery(url, maxPageSize);
        const scope = yield* listingScope(principal);
        const directory = yield* TenantDirectory;
        let tenants: ReadonlyArray<Tenant>;
        if (scope === undefined) {
          tenants = yield* directory.listTenants(page);
        } else {
          const own = yield* directory.getTenant(scope);
          tenants =
            Option.isSome(own) &&
            (page.after === undefined || compareCodePoints(own.value.id, page.after) > 0)
              ? [own.value]
              : [];
        }
        return keysetPageJson(tenants, page.limit, url, tenantJson, idCursor);
      }),
    doc: {
      operationId: "listTenants",
      summary: "The tenants the caller may see (an operator: its own)",
      tags,
      parameters: pageParameters(maxPageSize),
      responses: listResponses,
    },
  },
  {
    method: "GET",
    path: "/v1/tenants/{id}",
    face: "native",
    access: "authenticated",
    handle: ({ params, principal }) =>
      Effect.map(getTenantVisible(principal, params.id as string), (t) =>
        jsonResponse(tenantJson(t)),
      ),
    doc: { operationId: "getTenant", summary: "A tenant", tags, responses: getResponses("tenant") },
  },
  {
    method: "GET",
    path: "/v1/vms",
    face: "native",
    access: "authenticated",
    handle: ({ url, principal }) =>
      Effect.gen(function* () {
        const requested = yield* singleQuery(url, "tenantId");
        const page = yield* pageQuery(url, maxPageSize);
        const tenantId =
          requested === undefined
            ? yield* listingScope(principal)
            : (yield* getTenantVisible(principal, requested)).id;
        const vms = yield* (yield* TenantDirectory).listVms({ ...page, tenantId });
        return keysetPageJson(vms, page.limit, url, vmJson, idCursor);
      }),
    doc: {
      operationId: "listVms",
      summary: "The VMs the caller may see (an operator: its tenant's)",
      tags,
      parameters: [
        { name: "tenantId", in: "query", description: "Only the VMs of this tenant" },
        ...pageParameters(maxPageSize),
      ],
      responses: {
        ...listResponses,
        "404": { description: "No such tenant (or not visible to the caller)" },
      },
    },
  },
  {
    method: "GET",
    path: "/v1/vms/{id}",
    face: "native",
    access: "authenticated",
    handle: ({ params, principal }) =>
      Effect.gen(function* () {
        const id = params.id as string;
        const found = yield* (yield* TenantDirectory).getVm(id);
        const vm = yield* visibleOr404(principal, found, (v) => v.tenantId, "VM", id);
        return jsonResponse(vmJson(vm));
      }),
    doc: { operationId: "getVm", summary: "A VM", tags, responses: getResponses("VM") },
  },
  {
    method: "GET",
    path: "/v1/organizations",
    face: "native",
    access: "authenticated",
    handle: ({ url, principal }) =>
      Effect.gen(function* () {
        const page = yield* pageQuery(url, maxPageSize);
        const scope = yield* listingScope(principal);
        const organizations = yield* (yield* LicenseStore).listOrganizations(
          scope === undefined
            ? { _tag: "AllOrganizations" }
            : { _tag: "OrganizationsOfTenant", tenantId: scope },
          page,
        );
        return keysetPageJson(organizations, page.limit, url, organizationJson, idCursor);
      }),
    doc: {
      operationId: "listOrganizations",
      summary: "The organizations the caller may see (an operator: its tenant's)",
      tags,
      parameters: pageParameters(maxPageSize),
      responses: listResponses,
    },
  },
  {
    method: "GET",
    path: "/v1/organizations/{id}",
    face: "native",
    access: "authenticated",
    handle: ({ params, principal }) =>
      Effect.map(getOrganizationVisible(principal, params.id as string), (o) =>
        jsonResponse(organizationJson(o)),
      ),
    doc: {
      operationId: "getOrganization",
      summary: "An organization",
      tags,
      responses: getResponses("organization"),
    },
  },
  {
    method: "GET",
    path: "/v1/users",
    face: "native",
    access: "authenticated",
    handle: ({ url, principal }) =>
      Effect.gen(function* () {
        const requested = yield* singleQuery(url, "organizationId");
        const page = yield* pageQuery(url, maxPageSize);
        const store = yield* LicenseStore;
        let found: ReadonlyArray<LicensedUser>;
        if (requested !== undefined) {
          const organization = yield* getOrganizationVisible(principal, requested);
          found = yield* store.listUsers({ ...page, organizationId: organization.id });
        } else {
          const scope = yield* listingScope(principal);
          found =
            scope === undefined
              ? yield* store.listUsers(page)
              : yield* usersOfOrganizations(yield* organizationIdsOf(scope), page);
        }
        return keysetPageJson(found, page.limit, url, userJson, idCursor);
      }),
    doc: {
      operationId: "listUsers",
      summary: "The licensed users the caller may see (an operator: of its tenant's organizations)",
      tags,
      parameters: [
        { name: "organizationId", in: "query", description: "Only the users of this organization" },
        ...pageParameters(maxPageSize),
      ],
      responses: {
        ...listResponses,
        "404": { description: "No such organization (or not visible to the caller)" },
      },
    },
  },
];
