/**
 * The three in-memory fact stores — TenantDirectory, ProtectionPeriodStore, LicenseStore —
 * over one shared set of tables, as they would share one database: periods are joined with
 * the directory's VMs and tenants, and may name only VMs the directory holds.
 */
import { Context, Layer } from "effect";
import { LicenseStore } from "../ports/LicenseStore.ts";
import { ProtectionPeriodStore } from "../ports/ProtectionPeriodStore.ts";
import { TenantDirectory } from "../ports/TenantDirectory.ts";
import { emptyFactTables, type FactTables } from "./InMemoryFactTables.ts";
import * as InMemoryLicenseStore from "./InMemoryLicenseStore.ts";
import * as InMemoryProtectionPeriodStore from "./InMemoryProtectionPeriodStore.ts";
import * as InMemoryTenantDirectory from "./InMemoryTenantDirectory.ts";

export { emptyFactTables, type FactTables } from "./InMemoryFactTables.ts";

/** The three fact stores over the same tables. */
export interface InMemoryFactStores {
  readonly tenantDirectory: TenantDirectory["Service"];
  readonly protectionPeriodStore: ProtectionPeriodStore["Service"];
  readonly licenseStore: LicenseStore["Service"];
}

/** The three stores over `tables` (fresh, empty ones by default). */
export const make = (tables: FactTables = emptyFactTables()): InMemoryFactStores => ({
  tenantDirectory: InMemoryTenantDirectory.make(tables),
  protectionPeriodStore: InMemoryProtectionPeriodStore.make(tables),
  licenseStore: InMemoryLicenseStore.make(tables),
});

/** The stores as a context, for `Layer.succeedContext` or `Effect.provideContext`. */
export const toContext = (
  stores: InMemoryFactStores,
): Context.Context<TenantDirectory | ProtectionPeriodStore | LicenseStore> =>
  Context.make(TenantDirectory, stores.tenantDirectory).pipe(
    Context.add(ProtectionPeriodStore, stores.protectionPeriodStore),
    Context.add(LicenseStore, stores.licenseStore),
  );

/** A layer with the three stores over fresh, empty, shared tables each time it is built. */
export const layer: Layer.Layer<TenantDirectory | ProtectionPeriodStore | LicenseStore> =
  Layer.syncContext(() => toContext(make()));
