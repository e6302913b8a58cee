/**
 * The TenantDirectory port: tenants and their VMs.
 */
import { Context, type Effect, type Option } from "effect";
import type { StorageError } from "../domain/errors.ts";
import type { Tenant, Vm } from "../domain/Tenant.ts";

/** A page of a keyset-paginated listing: items after `after` (by id), at most `limit`. */
export interface PageRequest {
  readonly after?: string | undefined;
  readonly limit: number;
}

/** Tenants and VMs. Upserts replace by id and are idempotent. */
export class TenantDirectory extends Context.Service<
  TenantDirectory,
  {
    /** Inserts or replaces tenants by id, in one transaction. */
    readonly upsertTenants: (tenants: ReadonlyArray<Tenant>) => Effect.Effect<void, StorageError>;
    /** Inserts or replaces VMs by id, in one transaction. */
    readonly upsertVms: (vms: ReadonlyArray<Vm>) => Effect.Effect<void, StorageError>;
    /** The tenant with this id, if any. */
    readonly getTenant: (id: string) => Effect.Effect<Option.Option<Tenant>, StorageError>;
    /** Tenants ordered by id (code point order). */
    readonly listTenants: (page: PageRequest) => Effect.Effect<ReadonlyArray<Tenant>, StorageError>;
    /** The VM with this id, if any. */
    readonly getVm: (id: string) => Effect.Effect<Option.Option<Vm>, StorageError>;
    /** VMs ordered by id, optionally of one tenant only. */
    readonly listVms: (
      page: PageRequest & { readonly tenantId?: string | undefined },
    ) => Effect.Effect<ReadonlyArray<Vm>, StorageError>;
  }
>()("tally/core/TenantDirectory") {}
