/**
 * Simple models of what the fact stores must answer, computed from the facts directly: the
 * contract suites compare every adapter against them. They favour obviousness over speed.
 */
import { compareCodePoints, compareNullableLast } from "../domain/CodePointOrder.ts";
import type { Instant } from "../domain/Instant.ts";
import type { LicenseEventRow, OrganizationFilter } from "../domain/License.ts";
import type { PeriodRow } from "../domain/ProtectionPeriod.ts";
import type { ReportingInterval } from "../domain/ReportingInterval.ts";
import type { TenantFilter } from "../domain/Tenant.ts";
import type { LicenseFacts, ProtectionFacts } from "./FactArbitraries.ts";

/** Keeps the last fact of each id, as upserts do. */
const lastById = <A extends { readonly id: string }>(facts: ReadonlyArray<A>): Map<string, A> =>
  new Map(facts.map((fact) => [fact.id, fact]));

/** The rows `streamOverlapping(interval, filter)` must yield, in the promised order. */
export const expectedPeriodRows = (
  facts: ProtectionFacts,
  interval: ReportingInterval,
  filter: TenantFilter,
): Array<PeriodRow> => {
  const tenants = lastById(facts.tenants);
  const vms = lastById(facts.vms);
  const rows: Array<PeriodRow> = [];
  for (const period of lastById(facts.periods).values()) {
    const vm = vms.get(period.vmId);
    if (vm === undefined) continue;
    if (filter._tag === "OneTenant" && vm.tenantId !== filter.tenantId) continue;
    const overlaps =
      period.start < interval.end && (period.end === null || period.end > interval.start);
    if (!overlaps) continue;
    rows.push({
      tenantId: vm.tenantId,
      tenantName: vm.tenantId === null ? null : (tenants.get(vm.tenantId)?.name ?? null),
      vmId: vm.id,
      vmName: vm.name,
      start: period.start,
      end: period.end,
    });
  }
  return rows.sort(comparePeriodRows);
};

/** The promised order of period rows: tenantId (none last), vmId, start, end (none last). */
export const comparePeriodRows = (a: PeriodRow, b: PeriodRow): number =>
  compareNullableLast(a.tenantId, b.tenantId) ||
  compareCodePoints(a.vmId, b.vmId) ||
  a.start - b.start ||
  (a.end === b.end ? 0 : a.end === null ? 1 : b.end === null ? -1 : a.end - b.end);

/** What `earliestStart(filter)` must answer (undefined: none). */
export const expectedEarliestStart = (
  facts: ProtectionFacts,
  filter: TenantFilter,
): Instant | undefined => {
  const vms = lastById(facts.vms);
  let earliest: Instant | undefined;
  for (const period of lastById(facts.periods).values()) {
    const vm = vms.get(period.vmId);
    if (vm === undefined) continue;
    if (filter._tag === "OneTenant" && vm.tenantId !== filter.tenantId) continue;
    if (earliest === undefined || period.start < earliest) earliest = period.start;
  }
  return earliest;
};

/** True when the filter selects an organization. */
export const selectsOrganization = (
  filter: OrganizationFilter,
  organization: { readonly id: string; readonly tenantId: string | null },
): boolean =>
  filter._tag === "AllOrganizations" ||
  (filter._tag === "OneOrganization" && organization.id === filter.organizationId) ||
  (filter._tag === "OrganizationsOfTenant" && organization.tenantId === filter.tenantId);

/** The rows `streamEvents(filter, until)` must yield, in the promised order. */
export const expectedEventRows = (
  facts: LicenseFacts,
  filter: OrganizationFilter,
  until: Instant,
): Array<LicenseEventRow> => {
  const organizations = lastById(facts.organizations);
  const users = lastById(facts.users);
  const rows: Array<LicenseEventRow> = [];
  for (const event of lastById(facts.events).values()) {
    if (event.at >= until) continue;
    const user = users.get(event.userId);
    const organization = user === undefined ? undefined : organizations.get(user.organizationId);
    if (user === undefined || organization === undefined) continue;
    if (!selectsOrganization(filter, organization)) continue;
    rows.push({
      organizationId: organization.id,
      userId: user.id,
      userName: user.name,
      eventId: event.id,
      kind: event.kind,
      at: event.at,
    });
  }
  return rows.sort(compareEventRows);
};

/** The promised order of event rows: organizationId, at, userId, eventId. */
export const compareEventRows = (a: LicenseEventRow, b: LicenseEventRow): number =>
  compareCodePoints(a.organizationId, b.organizationId) ||
  a.at - b.at ||
  compareCodePoints(a.userId, b.userId) ||
  compareCodePoints(a.eventId, b.eventId);
