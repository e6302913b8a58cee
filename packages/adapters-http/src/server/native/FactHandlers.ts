/**
 * Reading ingested facts back: tenants, VMs, organizations and licensed users, one by id or a
 * keyset page by id. What the caller may see is the core's decision (`listTenantsFor`, ...);
 * here the facts take their wire form.
 */
import {
  getOrganizationFor,
  getTenantFor,
  getVmFor,
  listOrganizationsFor,
  listTenantsFor,
  listUsersFor,
  listVmsFor,
  type Principal,
} from "@tally/core";
import { Effect } from "effect";
import { HttpApiBuilder } from "effect/http-api";
import { CurrentPrincipal } from "../../api/Middleware.ts";
import { TallyApi } from "../../api/TallyApi.ts";
import type { RouteFailure } from "../../problems/CoreErrorProblems.ts";
import { answeredByProblems, type HandlerContext } from "../Handling.ts";
import { keysetPage } from "./KeysetPage.ts";
import { encodeIdCursor } from "./PageCursor.ts";
import { pageRequest } from "./PageRequest.ts";

const idCursor = (item: { readonly id: string }) => encodeIdCursor(item.id);
const same = <A>(a: A) => a;

/** The handlers of the `facts` group. */
export const factHandlers = ({ options, paths }: HandlerContext) => {
  /** A page of a listing by id, as the caller may see it. */
  const listing =
    <
      A extends { readonly id: string },
      Q extends { readonly limit?: number; readonly cursor?: string },
      R,
    >(
      list: (
        principal: Principal,
        page: { readonly after: string | undefined; readonly limit: number },
        query: Q,
      ) => Effect.Effect<ReadonlyArray<A>, RouteFailure, R>,
    ) =>
    ({ query }: { readonly query: Q }) =>
      answeredByProblems(
        Effect.gen(function* () {
          const principal = yield* CurrentPrincipal;
          const page = yield* pageRequest(query, options.maxPageSize, "id");
          const items = yield* list(principal, page, query);
          return yield* keysetPage(items, page.limit, paths, same, idCursor);
        }),
      );

  /** One fact by id, as the caller may see it. */
  const one =
    <A, R>(get: (principal: Principal, id: string) => Effect.Effect<A, RouteFailure, R>) =>
    ({ params }: { readonly params: { readonly id: string } }) =>
      answeredByProblems(
        Effect.flatMap(Effect.service(CurrentPrincipal), (p) => get(p, params.id)),
      );

  return HttpApiBuilder.group(TallyApi, "facts", (handlers) =>
    handlers
      .handle("listTenants", listing(listTenantsFor))
      .handle("getTenant", one(getTenantFor))
      .handle(
        "listVms",
        listing((principal, page, query: { readonly tenantId?: string; readonly limit?: number }) =>
          listVmsFor(principal, { ...page, tenantId: query.tenantId }),
        ),
      )
      .handle("getVm", one(getVmFor))
      .handle("listOrganizations", listing(listOrganizationsFor))
      .handle("getOrganization", one(getOrganizationFor))
      .handle(
        "listUsers",
        listing(
          (principal, page, query: { readonly organizationId?: string; readonly limit?: number }) =>
            listUsersFor(principal, { ...page, organizationId: query.organizationId }),
        ),
      ),
  );
};
