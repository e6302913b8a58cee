/**
 * fast-check arbitraries for Tally's domain values: ids, names, tenants, VMs, time-zone specs,
 * intervals, filters, organizations, users, license events, principals and report requests.
 * Consistent sets of facts (VMs that name existing tenants, periods of existing VMs, ...) are
 * in `FactArbitraries.ts`.
 *
 * Every arbitrary takes an optional constraints object whose defaults are documented on it,
 * and is built with `map` from independent draws, so that failures shrink well.
 *
 * Text is well-formed Unicode without U+0000 — what a person can type and every store must
 * keep (a lone surrogate cannot be stored as UTF-8; PostgreSQL's `text` cannot hold NUL).
 * Effect's `Schema` arbitraries would produce lone surrogates, hence these.
 */
import * as fc from "fast-check";
import type { Instant } from "../domain/Instant.ts";
import type {
  LicensedUser,
  LicenseEvent,
  LicenseEventKind,
  Organization,
  OrganizationFilter,
} from "../domain/License.ts";
import type { Principal } from "../domain/Principal.ts";
import type { ReportingInterval } from "../domain/ReportingInterval.ts";
import type {
  LicenseOverviewRequest,
  ReportRequest,
  TenantReportRequest,
} from "../domain/ReportRequest.ts";
import type { Tenant, TenantFilter, Vm } from "../domain/Tenant.ts";
import type { ResolvedZone, TimeZoneSpec, ZoneSelection } from "../domain/TimeZoneSpec.ts";

/** 2024-03-01T00:00:00Z: the default earliest instant of generated facts. */
export const defaultFactsFrom: Instant = Date.UTC(2024, 2, 1);
/** 2024-05-01T00:00:00Z: the default latest instant of generated facts (spans a DST change). */
export const defaultFactsUntil: Instant = Date.UTC(2024, 4, 1);
/** One hour: the default step of generated instants, so that equal and touching bounds occur. */
export const defaultInstantStepMs = 3_600_000;

/**
 * Characters of generated ids: ASCII of both cases, digits and punctuation, Latin, Cyrillic,
 * Greek and CJK letters, a fullwidth letter (U+FF5A) and astral characters — the last two sort
 * differently by UTF-16 code unit than by code point, which is the order the ports promise.
 */
const idCharacters = [
  ..."abcxyzABCXYZ0129-_.:",
  "é",
  "ß",
  "ж",
  "Ω",
  "日",
  "本",
  "\uFF5A",
  "😀",
  "\u{1D538}",
];

/** Constraints of `idArbitrary`. */
export interface IdConstraints {
  /** Fewest characters (default 1). */
  readonly minLength?: number;
  /** Most characters (default 128, the longest id the domain allows; most draws are short). */
  readonly maxLength?: number;
}

/** An id of 1–128 characters (by default), mostly short, sometimes near the maximum. */
export const idArbitrary = (constraints: IdConstraints = {}): fc.Arbitrary<string> => {
  const minLength = constraints.minLength ?? 1;
  const maxLength = constraints.maxLength ?? 128;
  const unit = fc.constantFrom(...idCharacters);
  const shortMax = Math.max(minLength, Math.min(maxLength, 12));
  return fc.oneof(
    { weight: 9, arbitrary: fc.string({ unit, minLength, maxLength: shortMax }) },
    {
      weight: 1,
      arbitrary: fc.string({ unit, minLength: Math.max(minLength, maxLength - 8), maxLength }),
    },
  );
};

/** Names people give things, including ones a spreadsheet would run as formulas. */
const sampleNames = [
  "Acme Ltd",
  "Глобекс",
  "Ωμέγα Α.Ε.",
  "東京データ",
  "Zürich 🏔",
  "=SUM(A1:A9)",
  "+49 30 1234",
  "-lead",
  "@home",
  "\tTabbed",
  'Quote "this"; and, that',
  "Line\nbreak",
  "",
];

/** Constraints of `displayNameArbitrary`. */
export interface DisplayNameConstraints {
  /** Most graphemes of a random name (default 24). */
  readonly maxLength?: number;
}

/**
 * A display name: any well-formed Unicode (graphemes, no U+0000), mixed with names in Cyrillic,
 * Greek and CJK, and names that begin like spreadsheet formulas.
 */
export const displayNameArbitrary = (
  constraints: DisplayNameConstraints = {},
): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .string({ unit: "grapheme", maxLength: constraints.maxLength ?? 24 })
        .map(withoutNul),
    },
    { weight: 1, arbitrary: fc.constantFrom(...sampleNames) },
  );

/** Removes U+0000, which no store is asked to keep. */
const withoutNul = (text: string): string => text.replaceAll("\u0000", "");

/** Constraints of `tenantArbitrary`. */
export interface TenantConstraints {
  /** The ids to draw from (default `idArbitrary()`). */
  readonly id?: fc.Arbitrary<string>;
}

/** A tenant: an id of 1–128 characters and any display name. */
export const tenantArbitrary = (constraints: TenantConstraints = {}): fc.Arbitrary<Tenant> =>
  fc.record({ id: constraints.id ?? idArbitrary(), name: displayNameArbitrary() });

/** Constraints of `vmArbitrary`. */
export interface VmConstraints {
  /** The tenants a VM may belong to (default: any id). */
  readonly tenantIds?: ReadonlyArray<string>;
  /** How often a VM belongs to no tenant, from 0 to 1 (default 0.2). */
  readonly withoutTenantRatio?: number;
  /** The ids to draw from (default `idArbitrary()`). */
  readonly id?: fc.Arbitrary<string>;
}

/** A VM, belonging to one tenant or (sometimes) to none. */
export const vmArbitrary = (constraints: VmConstraints = {}): fc.Arbitrary<Vm> =>
  fc
    .record({
      id: constraints.id ?? idArbitrary(),
      name: displayNameArbitrary(),
      tenantId:
        constraints.tenantIds === undefined || constraints.tenantIds.length === 0
          ? idArbitrary()
          : fc.constantFrom(...constraints.tenantIds),
      withoutTenant: chance(constraints.withoutTenantRatio ?? 0.2),
    })
    .map(({ id, name, tenantId, withoutTenant }) => ({
      id,
      name,
      tenantId:
        withoutTenant || (constraints.tenantIds !== undefined && constraints.tenantIds.length === 0)
          ? null
          : tenantId,
    }));

/**
 * True with probability `ratio` (0 to 1). fast-check biases numbers towards small values, so
 * comparing a drawn number with the ratio would not give the ratio; weights do.
 */
export const chance = (ratio: number): fc.Arbitrary<boolean> => {
  const perMille = Math.round(Math.min(1, Math.max(0, ratio)) * 1000);
  if (perMille === 0) return fc.constant(false);
  if (perMille === 1000) return fc.constant(true);
  return fc.oneof(
    { weight: perMille, arbitrary: fc.constant(true) },
    { weight: 1000 - perMille, arbitrary: fc.constant(false) },
  );
};

/** Constraints of instants drawn on a grid. */
export interface InstantConstraints {
  /** The earliest instant (default 2024-03-01T00:00:00Z). */
  readonly from?: Instant;
  /** The latest instant (default 2024-05-01T00:00:00Z). */
  readonly until?: Instant;
  /** The grid step in ms (default one hour); 1 gives any millisecond. */
  readonly stepMs?: number;
}

/** An instant on the grid `from + k * stepMs` within `[from, until]`. */
export const instantArbitrary = (constraints: InstantConstraints = {}): fc.Arbitrary<Instant> => {
  const from = constraints.from ?? defaultFactsFrom;
  const until = Math.max(from, constraints.until ?? defaultFactsUntil);
  const step = Math.max(1, constraints.stepMs ?? defaultInstantStepMs);
  return fc.integer({ min: 0, max: Math.floor((until - from) / step) }).map((k) => from + k * step);
};

/** Constraints of `reportingIntervalArbitrary`. */
export interface ReportingIntervalConstraints extends InstantConstraints {
  /** Allow the empty interval `start === end` (default false). */
  readonly allowEmpty?: boolean;
}

/**
 * An interval `[start, end)` with `start < end` — or `start <= end` when empty ones are
 * allowed — both on the grid (`end` may be one step past `until` when the draws coincide).
 */
export const reportingIntervalArbitrary = (
  constraints: ReportingIntervalConstraints = {},
): fc.Arbitrary<ReportingInterval> => {
  const step = Math.max(1, constraints.stepMs ?? defaultInstantStepMs);
  return fc.tuple(instantArbitrary(constraints), instantArbitrary(constraints)).map(([a, b]) => {
    const start = Math.min(a, b);
    const end = Math.max(a, b);
    return { start, end: end === start && constraints.allowEmpty !== true ? end + step : end };
  });
};

/** Constraints of `timeZoneSpecArbitrary`. */
export interface TimeZoneSpecConstraints {
  /** Draw `Local` too (default true). */
  readonly withLocal?: boolean;
}

/**
 * A valid zone spec: UTC, Local, or a fixed offset in whole minutes from −12:00 to +14:00,
 * never zero (a zero offset reads as UTC), biased towards real offsets like +05:30 and +05:45.
 */
export const timeZoneSpecArbitrary = (
  constraints: TimeZoneSpecConstraints = {},
): fc.Arbitrary<TimeZoneSpec> => {
  const offsets = fc
    .oneof(
      fc.constantFrom(-720, -570, -210, -60, 60, 120, 330, 345, 525, 780, 840),
      fc.integer({ min: -720, max: 840 }),
    )
    .filter((minutes) => minutes !== 0)
    .map((minutes): TimeZoneSpec => ({ _tag: "Offset", minutes }));
  const fixed: Array<fc.Arbitrary<TimeZoneSpec>> = [
    fc.constant<TimeZoneSpec>({ _tag: "Utc" }),
    offsets,
  ];
  return fc.oneof(
    ...fixed,
    ...(constraints.withLocal === false ? [] : [fc.constant<TimeZoneSpec>({ _tag: "Local" })]),
  );
};

/** IANA zones with DST rules of several kinds, and UTC itself. */
const ianaZones = [
  "Europe/Berlin",
  "America/New_York",
  "Australia/Lord_Howe",
  "Asia/Kolkata",
  "America/Santiago",
  "Pacific/Chatham",
  "UTC",
];

/** Constraints of `resolvedZoneArbitrary`. */
export interface ResolvedZoneConstraints {
  /** The IANA zones to draw from (default: seven zones with varied DST rules). */
  readonly ianaZones?: ReadonlyArray<string>;
}

/** A resolved zone: a fixed offset (−12:00 to +14:00) or an IANA zone. */
export const resolvedZoneArbitrary = (
  constraints: ResolvedZoneConstraints = {},
): fc.Arbitrary<ResolvedZone> =>
  fc.oneof(
    fc
      .integer({ min: -720, max: 840 })
      .map((offsetMinutes): ResolvedZone => ({ _tag: "Fixed", offsetMinutes })),
    fc
      .constantFrom(...(constraints.ianaZones ?? ianaZones))
      .map((name): ResolvedZone => ({ _tag: "Iana", name })),
  );

/** A zone selection as stored with a request: a spec's canonical text and what it resolved to. */
export const zoneSelectionArbitrary = (
  constraints: ResolvedZoneConstraints = {},
): fc.Arbitrary<ZoneSelection> =>
  fc.oneof(
    timeZoneSpecArbitrary({ withLocal: false }).map(
      (spec): ZoneSelection => ({
        spec: specText(spec),
        resolved: {
          _tag: "Fixed",
          offsetMinutes: spec._tag === "Offset" ? spec.minutes : 0,
        },
      }),
    ),
    fc
      .constantFrom(...(constraints.ianaZones ?? ianaZones))
      .map((name): ZoneSelection => ({ spec: "Local", resolved: { _tag: "Iana", name } })),
  );

/** `UTC`, `UTC+05:30`, `UTC-11:30`, `Local`: the canonical text of a spec. */
const specText = (spec: TimeZoneSpec): string => {
  if (spec._tag === "Local") return "Local";
  if (spec._tag === "Utc" || spec.minutes === 0) return "UTC";
  const abs = Math.abs(spec.minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `UTC${spec.minutes < 0 ? "-" : "+"}${hh}:${mm}`;
};

/** Constraints of `tenantFilterArbitrary`. */
export interface TenantFilterConstraints {
  /** The tenants a `OneTenant` filter names (default: any id). */
  readonly tenantIds?: ReadonlyArray<string>;
}

/** All tenants, or one tenant. */
export const tenantFilterArbitrary = (
  constraints: TenantFilterConstraints = {},
): fc.Arbitrary<TenantFilter> =>
  fc.oneof(
    fc.constant<TenantFilter>({ _tag: "AllTenants" }),
    oneOf(constraints.tenantIds).map((tenantId): TenantFilter => ({ _tag: "OneTenant", tenantId })),
  );

/** Constraints of `organizationArbitrary`. */
export interface OrganizationConstraints {
  /** The tenants an organization may belong to (default: any id; some belong to none). */
  readonly tenantIds?: ReadonlyArray<string>;
  /** The largest capacity (default 5, so that capacities are often exceeded). */
  readonly maxCapacity?: number;
  /** The ids to draw from (default `idArbitrary()`). */
  readonly id?: fc.Arbitrary<string>;
}

/** An organization with a capacity, belonging to a tenant or to none. */
export const organizationArbitrary = (
  constraints: OrganizationConstraints = {},
): fc.Arbitrary<Organization> =>
  fc.record({
    id: constraints.id ?? idArbitrary(),
    name: displayNameArbitrary(),
    capacity: fc.nat(constraints.maxCapacity ?? 5),
    tenantId: fc.option(oneOf(constraints.tenantIds), { nil: null, freq: 4 }),
  });

/** Constraints of `licensedUserArbitrary`. */
export interface LicensedUserConstraints {
  /** The organizations a user may belong to (default: any id). */
  readonly organizationIds?: ReadonlyArray<string>;
  /** The ids to draw from (default `idArbitrary()`). */
  readonly id?: fc.Arbitrary<string>;
}

/** A user of an organization, named by a name or an e-mail address. */
export const licensedUserArbitrary = (
  constraints: LicensedUserConstraints = {},
): fc.Arbitrary<LicensedUser> =>
  fc.record({
    id: constraints.id ?? idArbitrary(),
    name: fc.oneof(displayNameArbitrary(), fc.emailAddress()),
    organizationId: oneOf(constraints.organizationIds),
  });

/** Constraints of `licenseEventArbitrary`. */
export interface LicenseEventConstraints extends InstantConstraints {
  /** The users an event may concern (default: any id). */
  readonly userIds?: ReadonlyArray<string>;
  /** The ids to draw from (default `idArbitrary()`). */
  readonly id?: fc.Arbitrary<string>;
}

/** A license assigned to or revoked from a user at an instant on the grid. */
export const licenseEventArbitrary = (
  constraints: LicenseEventConstraints = {},
): fc.Arbitrary<LicenseEvent> =>
  fc.record({
    id: constraints.id ?? idArbitrary(),
    userId: oneOf(constraints.userIds),
    kind: fc.constantFrom<LicenseEventKind>("assigned", "revoked"),
    at: instantArbitrary(constraints),
  });

/** Constraints of `organizationFilterArbitrary`. */
export interface OrganizationFilterConstraints {
  /** The organizations a `OneOrganization` filter names (default: any id). */
  readonly organizationIds?: ReadonlyArray<string>;
  /** The tenants an `OrganizationsOfTenant` filter names (default: any id). */
  readonly tenantIds?: ReadonlyArray<string>;
}

/** All organizations, one organization, or the organizations of one tenant. */
export const organizationFilterArbitrary = (
  constraints: OrganizationFilterConstraints = {},
): fc.Arbitrary<OrganizationFilter> =>
  fc.oneof(
    fc.constant<OrganizationFilter>({ _tag: "AllOrganizations" }),
    oneOf(constraints.organizationIds).map(
      (organizationId): OrganizationFilter => ({ _tag: "OneOrganization", organizationId }),
    ),
    oneOf(constraints.tenantIds).map(
      (tenantId): OrganizationFilter => ({ _tag: "OrganizationsOfTenant", tenantId }),
    ),
  );

/** Constraints of `principalArbitrary`. */
export interface PrincipalConstraints {
  /** The tenants an operator may act for (default: any id). */
  readonly tenantIds?: ReadonlyArray<string>;
  /**
   * How often a tenant operator has no tenant, from 0 to 1 (default 0.1). The `Principal`
   * schema admits such a malformed principal; the access policy must refuse it everything.
   */
  readonly withoutTenantRatio?: number;
}

/** An administrator, or a tenant operator of one tenant (sometimes, malformed, of none). */
export const principalArbitrary = (
  constraints: PrincipalConstraints = {},
): fc.Arbitrary<Principal> =>
  fc.oneof(
    idArbitrary({ maxLength: 24 }).map(
      (id): Principal => ({ id, role: "Administrator", tenantId: null }),
    ),
    fc
      .record({
        id: idArbitrary({ maxLength: 24 }),
        tenantId: oneOf(constraints.tenantIds),
        withoutTenant: chance(constraints.withoutTenantRatio ?? 0.1),
      })
      .map(
        ({ id, tenantId, withoutTenant }): Principal => ({
          id,
          role: "TenantOperator",
          tenantId: withoutTenant ? null : tenantId,
        }),
      ),
  );

/** Constraints of the report request arbitraries. */
export interface ReportRequestConstraints extends ReportingIntervalConstraints {
  /** Tenants that filters name (default: any id). */
  readonly tenantIds?: ReadonlyArray<string>;
  /** Organizations that filters name (default: any id). */
  readonly organizationIds?: ReadonlyArray<string>;
}

/** A validated tenant report request, every default resolved. */
export const tenantReportRequestArbitrary = (
  constraints: ReportRequestConstraints = {},
): fc.Arbitrary<TenantReportRequest> =>
  fc
    .record({
      interval: reportingIntervalArbitrary(constraints),
      zone: zoneSelectionArbitrary(),
      tenant: tenantFilterArbitrary(tenantIdsOf(constraints)),
      format: fc.constantFrom("csv" as const, "pdf" as const),
      summary: fc.boolean(),
      columns: fc.constantFrom("vendor" as const, "extended" as const),
      separator: fc.constantFrom(";" as const, "," as const),
    })
    .map(
      ({ summary, ...fields }): TenantReportRequest => ({
        _tag: "TenantReport",
        ...fields,
        // A summary variant exists for CSV only: a PDF always has both.
        variant: summary && fields.format === "csv" ? "summary" : "detail",
      }),
    );

/** A validated license overview request, every default resolved. */
export const licenseOverviewRequestArbitrary = (
  constraints: ReportRequestConstraints = {},
): fc.Arbitrary<LicenseOverviewRequest> =>
  fc
    .record({
      interval: reportingIntervalArbitrary(constraints),
      zone: zoneSelectionArbitrary(),
      organizations: organizationFilterArbitrary({
        ...(constraints.organizationIds === undefined
          ? {}
          : { organizationIds: constraints.organizationIds }),
        ...tenantIdsOf(constraints),
      }),
      format: fc.constantFrom("csv" as const, "pdf" as const),
      summary: fc.boolean(),
      separator: fc.constantFrom(";" as const, "," as const),
    })
    .map(
      ({ summary, ...fields }): LicenseOverviewRequest => ({
        _tag: "LicenseOverview",
        ...fields,
        variant: summary && fields.format === "csv" ? "summary" : "users",
      }),
    );

/** Any validated report request. */
export const reportRequestArbitrary = (
  constraints: ReportRequestConstraints = {},
): fc.Arbitrary<ReportRequest> =>
  fc.oneof(tenantReportRequestArbitrary(constraints), licenseOverviewRequestArbitrary(constraints));

const tenantIdsOf = (constraints: {
  readonly tenantIds?: ReadonlyArray<string>;
}): { readonly tenantIds?: ReadonlyArray<string> } =>
  constraints.tenantIds === undefined ? {} : { tenantIds: constraints.tenantIds };

/** One of the given ids, or any id when none are given. */
const oneOf = (ids: ReadonlyArray<string> | undefined): fc.Arbitrary<string> =>
  ids === undefined || ids.length === 0 ? idArbitrary() : fc.constantFrom(...ids);
