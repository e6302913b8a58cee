/**
 * The in-memory TenantDirectory: tenants and VMs in maps, for tests, demos and embedding.
 * Each operation runs in one synchronous step, so batches are atomic (all or nothing).
 */
import { Effect, Layer, Option } from "effect";
import type { Tenant, Vm } from "../domain/Tenant.ts";
import { TenantDirectory } from "../ports/TenantDirectory.ts";
import { emptyFactTables, type FactTables, pageOf } from "./InMemoryFactTables.ts";

/**
 * A tenant directory over `tables` (fresh, empty ones by default). VMs may name a tenant the
 * directory does not hold: the port does not forbid it, and the use cases check it on ingestion.
 */
export const make = (tables: FactTables = emptyFactTables()): TenantDirectory["Service"] =>
  TenantDirectory.of({
    upsertTenants: (tenants) =>
      Effect.sync(() => {
        for (const tenant of tenants)
          tables.tenants.set(tenant.id, { id: tenant.id, name: tenant.name });
      }),
    upsertVms: (vms) =>
      Effect.sync(() => {
        for (const vm of vms) tables.vms.set(vm.id, copyVm(vm));
      }),
    getTenant: (id) =>
      Effect.sync(() => Option.map(Option.fromNullishOr(tables.tenants.get(id)), copyTenant)),
    listTenants: (page) => Effect.sync(() => pageOf(tables.tenants.values(), page).map(copyTenant)),
    getVm: (id) => Effect.sync(() => Option.map(Option.fromNullishOr(tables.vms.get(id)), copyVm)),
    listVms: (page) =>
      Effect.sync(() => {
        const { tenantId } = page;
        const vms =
          tenantId === undefined
            ? tables.vms.values()
            : [...tables.vms.values()].filter((vm) => vm.tenantId === tenantId);
        return pageOf(vms, page).map(copyVm);
      }),
  });

/** A layer with a fresh, empty directory each time it is built. */
export const layer: Layer.Layer<TenantDirectory> = Layer.sync(TenantDirectory, () => make());

const copyTenant = (tenant: Tenant): Tenant => ({ id: tenant.id, name: tenant.name });
const copyVm = (vm: Vm): Vm => ({ id: vm.id, name: vm.name, tenantId: vm.tenantId });
