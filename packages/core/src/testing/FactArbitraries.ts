/**
 * fast-check arbitraries for consistent sets of facts, as a store holds them: VMs that belong
 * to the set's tenants (or to none), protection periods of the set's VMs — overlapping,
 * duplicated, touching and ongoing ones on purpose — and organizations, users and license
 * events that refer to each other. Ids are unique within a set.
 *
 * References are drawn as indexes into the set's lists and resolved with `map`, so a set
 * shrinks towards fewer and simpler facts without breaking a reference.
 */
import * as fc from "fast-check";
import type { LicensedUser, LicenseEvent, Organization } from "../domain/License.ts";
import type { ProtectionPeriod } from "../domain/ProtectionPeriod.ts";
import type { Tenant, Vm } from "../domain/Tenant.ts";
import {
  chance,
  defaultFactsFrom,
  defaultFactsUntil,
  defaultInstantStepMs,
  displayNameArbitrary,
  type InstantConstraints,
  idArbitrary,
} from "./DomainArbitraries.ts";

/** Tenants, their VMs and the VMs' protection periods. */
export interface ProtectionFacts {
  readonly tenants: ReadonlyArray<Tenant>;
  readonly vms: ReadonlyArray<Vm>;
  readonly periods: ReadonlyArray<ProtectionPeriod>;
}

/** Constraints of `protectionFactsArbitrary`. */
export interface ProtectionFactsConstraints extends InstantConstraints {
  /** Most tenants (default 4). */
  readonly maxTenants?: number;
  /** Most VMs (default 8). */
  readonly maxVms?: number;
  /** Most periods (default 24). */
  readonly maxPeriods?: number;
  /** How often a VM belongs to no tenant, 0 to 1 (default 0.2). */
  readonly withoutTenantRatio?: number;
  /** How often a period is still ongoing, 0 to 1 (default 0.15). */
  readonly ongoingRatio?: number;
  /** How often a period repeats an earlier one of the same VM exactly, 0 to 1 (default 0.1). */
  readonly duplicateRatio?: number;
  /** The longest period in grid steps (default 240: ten days of hours). */
  readonly maxPeriodSteps?: number;
}

/**
 * A consistent set of protection facts. Starts and ends lie on a grid (hourly by default, in
 * March and April 2024, across a DST change), so equal and touching bounds are common.
 */
export const protectionFactsArbitrary = (
  constraints: ProtectionFactsConstraints = {},
): fc.Arbitrary<ProtectionFacts> => {
  const from = constraints.from ?? defaultFactsFrom;
  const until = Math.max(from, constraints.until ?? defaultFactsUntil);
  const step = Math.max(1, constraints.stepMs ?? defaultInstantStepMs);
  const steps = Math.floor((until - from) / step);
  return fc
    .record({
      tenants: fc.uniqueArray(fc.record({ id: idArbitrary(), name: displayNameArbitrary() }), {
        selector: (t) => t.id,
        maxLength: constraints.maxTenants ?? 4,
        size: "max",
      }),
      vms: fc.uniqueArray(
        fc.record({
          id: idArbitrary(),
          name: displayNameArbitrary(),
          tenant: fc.nat(),
          withoutTenant: chance(constraints.withoutTenantRatio ?? 0.2),
        }),
        { selector: (v) => v.id, maxLength: constraints.maxVms ?? 8, size: "max" },
      ),
      periods: fc.array(
        fc.record({
          id: idArbitrary({ maxLength: 16 }),
          vm: fc.nat(),
          startStep: fc.integer({ min: 0, max: steps }),
          lengthSteps: fc.integer({ min: 1, max: Math.max(1, constraints.maxPeriodSteps ?? 240) }),
          ongoing: chance(constraints.ongoingRatio ?? 0.15),
          duplicate: chance(constraints.duplicateRatio ?? 0.1),
          original: fc.nat(),
        }),
        { maxLength: constraints.maxPeriods ?? 24, size: "max" },
      ),
    })
    .map(({ tenants, vms: vmSeeds, periods: periodSeeds }): ProtectionFacts => {
      const vms: Array<Vm> = vmSeeds.map((seed) => ({
        id: seed.id,
        name: seed.name,
        tenantId:
          tenants.length === 0 || seed.withoutTenant
            ? null
            : (tenants[seed.tenant % tenants.length] as Tenant).id,
      }));
      if (vms.length === 0) return { tenants, vms, periods: [] };
      const periods: Array<ProtectionPeriod> = [];
      periodSeeds.forEach((seed, i) => {
        // A suffix by position keeps ids unique however the drawn parts collide.
        const id = `${seed.id}#${i}`;
        const earlier = periods.length === 0 ? undefined : periods[seed.original % periods.length];
        if (earlier !== undefined && seed.duplicate) {
          periods.push({ ...earlier, id });
          return;
        }
        const start = from + seed.startStep * step;
        periods.push({
          id,
          vmId: (vms[seed.vm % vms.length] as Vm).id,
          start,
          end: seed.ongoing ? null : start + seed.lengthSteps * step,
        });
      });
      return { tenants, vms, periods };
    });
};

/** Organizations, their users and the users' license events. */
export interface LicenseFacts {
  readonly organizations: ReadonlyArray<Organization>;
  readonly users: ReadonlyArray<LicensedUser>;
  readonly events: ReadonlyArray<LicenseEvent>;
}

/** Constraints of `licenseFactsArbitrary`. */
export interface LicenseFactsConstraints extends InstantConstraints {
  /** Tenants organizations may belong to (default: none — every organization of no tenant). */
  readonly tenantIds?: ReadonlyArray<string>;
  /** Most organizations (default 4). */
  readonly maxOrganizations?: number;
  /** Most users (default 10). */
  readonly maxUsers?: number;
  /** Most events (default 30). */
  readonly maxEvents?: number;
  /** The largest capacity (default 4, so that capacities are often exceeded). */
  readonly maxCapacity?: number;
}

/**
 * A consistent set of license facts: users of the set's organizations, events of its users,
 * often several at one instant (events are on the grid, hourly by default).
 */
export const licenseFactsArbitrary = (
  constraints: LicenseFactsConstraints = {},
): fc.Arbitrary<LicenseFacts> => {
  const from = constraints.from ?? defaultFactsFrom;
  const until = Math.max(from, constraints.until ?? defaultFactsUntil);
  const step = Math.max(1, constraints.stepMs ?? defaultInstantStepMs);
  const tenantIds = constraints.tenantIds ?? [];
  return fc
    .record({
      organizations: fc.uniqueArray(
        fc.record({
          id: idArbitrary(),
          name: displayNameArbitrary(),
          capacity: fc.nat(constraints.maxCapacity ?? 4),
          tenant: fc.option(fc.nat(), { nil: null, freq: 4 }),
        }),
        { selector: (o) => o.id, maxLength: constraints.maxOrganizations ?? 4, size: "max" },
      ),
      users: fc.uniqueArray(
        fc.record({
          id: idArbitrary(),
          name: fc.oneof(displayNameArbitrary(), fc.emailAddress()),
          organization: fc.nat(),
        }),
        { selector: (u) => u.id, maxLength: constraints.maxUsers ?? 10, size: "max" },
      ),
      events: fc.array(
        fc.record({
          id: idArbitrary({ maxLength: 16 }),
          user: fc.nat(),
          kind: fc.constantFrom("assigned" as const, "revoked" as const),
          atStep: fc.integer({ min: 0, max: Math.floor((until - from) / step) }),
        }),
        { maxLength: constraints.maxEvents ?? 30, size: "max" },
      ),
    })
    .map(({ organizations: orgSeeds, users: userSeeds, events: eventSeeds }): LicenseFacts => {
      const organizations: Array<Organization> = orgSeeds.map((seed) => ({
        id: seed.id,
        name: seed.name,
        capacity: seed.capacity,
        tenantId:
          seed.tenant === null || tenantIds.length === 0
            ? null
            : (tenantIds[seed.tenant % tenantIds.length] as string),
      }));
      if (organizations.length === 0) return { organizations, users: [], events: [] };
      const users: Array<LicensedUser> = userSeeds.map((seed) => ({
        id: seed.id,
        name: seed.name,
        organizationId: (organizations[seed.organization % organizations.length] as Organization)
          .id,
      }));
      if (users.length === 0) return { organizations, users, events: [] };
      const events: Array<LicenseEvent> = eventSeeds.map((seed, i) => ({
        id: `${seed.id}#${i}`,
        userId: (users[seed.user % users.length] as LicensedUser).id,
        kind: seed.kind,
        at: from + seed.atStep * step,
      }));
      return { organizations, users, events };
    });
};
