/**
 * Tenants, their virtual machines, and the filter a report asks for.
 */
import { Schema } from "effect";
import { FactId } from "./FactId.ts";
import { FactName } from "./StorableText.ts";

/** A service provider's customer. */
export const Tenant = Schema.Struct({
  id: FactId,
  name: FactName,
});
/** A service provider's customer. */
export type Tenant = typeof Tenant.Type;

/** A virtual machine; `tenantId` is null for a VM that belongs to no tenant. */
export const Vm = Schema.Struct({
  id: FactId,
  name: FactName,
  tenantId: Schema.NullOr(FactId),
});
/** A virtual machine; `tenantId` is null for a VM that belongs to no tenant. */
export type Vm = typeof Vm.Type;

/** All tenants (and VMs without a tenant), or the VMs of one tenant. */
export const TenantFilter = Schema.Union([
  Schema.TaggedStruct("AllTenants", {}),
  Schema.TaggedStruct("OneTenant", { tenantId: Schema.String }),
]);
/** All tenants (and VMs without a tenant), or the VMs of one tenant. */
export type TenantFilter = typeof TenantFilter.Type;
