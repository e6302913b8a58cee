/**
 * The demo data set: a small, fixed world that shows what Tally's reports do. Every fact is a
 * constant (no clock, no randomness), so loading it twice, or on two machines, gives the same
 * facts; ids are stable, so loading it again replaces instead of duplicating.
 *
 * What it shows: Unicode names (Cyrillic, Greek, German), a tenant name that a spreadsheet would
 * run as a formula, a VM of no tenant, overlapping, duplicated and ongoing protection periods,
 * periods across both 2024 DST changes of Europe/Berlin (2024-03-31 and 2024-10-27), and
 * organizations whose users hold licenses, one of them assigned beyond its capacity.
 */
import type {
  LicensedUser,
  LicenseEvent,
  Organization,
  ProtectionPeriod,
  Role,
  Tenant,
  Vm,
} from "@tally/core";

/** An API account the demo creates; the password is printed, so it is only for demos. */
export interface DemoAccount {
  readonly username: string;
  readonly password: string;
  readonly role: Role;
  readonly tenantId: string | null;
}

/** Every fact of the demo, in the order they must be loaded (referenced before referencing). */
export interface DemoDataSet {
  readonly tenants: ReadonlyArray<Tenant>;
  readonly vms: ReadonlyArray<Vm>;
  readonly periods: ReadonlyArray<ProtectionPeriod>;
  readonly organizations: ReadonlyArray<Organization>;
  readonly users: ReadonlyArray<LicensedUser>;
  readonly licenseEvents: ReadonlyArray<LicenseEvent>;
  readonly accounts: ReadonlyArray<DemoAccount>;
}

/** Epoch milliseconds of an ISO 8601 text with an explicit offset (constant input only). */
const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms) || !/(Z|[+-]\d{2}:\d{2})$/.test(iso)) {
    throw new Error(`demo data: bad instant ${iso}`);
  }
  return ms;
};

const tenants: ReadonlyArray<Tenant> = [
  { id: "acme", name: "ACME Corporation" },
  { id: "athena", name: "Αθηνά Α.Ε." },
  { id: "baeckerei", name: "Bäckerei Müller & Söhne GmbH" },
  { id: "formula", name: '=HYPERLINK("http://example.invalid","Click") Ltd' },
  { id: "romashka", name: "ООО «Ромашка»" },
];

const vms: ReadonlyArray<Vm> = [
  { id: "acme-build", name: "build-agent", tenantId: "acme" },
  { id: "acme-db-01", name: "db-01", tenantId: "acme" },
  { id: "acme-web-01", name: "web-01", tenantId: "acme" },
  { id: "athena-erp", name: "ERP-διακομιστής", tenantId: "athena" },
  { id: "baeckerei-kasse", name: "Kasse Filiale Süd", tenantId: "baeckerei" },
  { id: "formula-vm", name: "+cmd|' /C calc'!A0", tenantId: "formula" },
  { id: "romashka-1c", name: "1С:Бухгалтерия", tenantId: "romashka" },
  { id: "romashka-mail", name: "почтовый-сервер", tenantId: "romashka" },
  { id: "legacy-backup", name: "legacy-backup (no tenant)", tenantId: null },
];

const period = (id: string, vmId: string, start: string, end: string | null): ProtectionPeriod => ({
  id,
  vmId,
  start: at(start),
  end: end === null ? null : at(end),
});

const periods: ReadonlyArray<ProtectionPeriod> = [
  // Overlapping periods of one VM: merged into one line from January to September.
  period("p-acme-web-1", "acme-web-01", "2024-01-01T00:00:00Z", "2024-06-30T00:00:00Z"),
  period("p-acme-web-2", "acme-web-01", "2024-06-01T00:00:00Z", "2024-09-01T00:00:00Z"),
  // A duplicate of the first period under another id: counted once.
  period("p-acme-web-1-dup", "acme-web-01", "2024-01-01T00:00:00Z", "2024-06-30T00:00:00Z"),
  // Still protected: ends at the report's end (or now).
  period("p-acme-db-1", "acme-db-01", "2024-02-15T08:30:00Z", null),
  // Short, separate periods: several lines for one VM.
  period("p-acme-build-1", "acme-build", "2024-03-04T07:00:00Z", "2024-03-04T19:00:00Z"),
  period("p-acme-build-2", "acme-build", "2024-03-11T07:00:00Z", "2024-03-11T19:00:00Z"),
  period("p-acme-build-3", "acme-build", "2024-03-18T07:00:00Z", "2024-03-18T19:00:00Z"),
  // Across Berlin's spring-forward (2024-03-31 01:00Z) and fall-back (2024-10-27 01:00Z).
  period("p-romashka-1c-spring", "romashka-1c", "2024-03-30T22:00:00Z", "2024-04-02T00:00:00Z"),
  period("p-romashka-1c-autumn", "romashka-1c", "2024-10-26T20:00:00Z", "2024-10-27T03:30:00Z"),
  // Ongoing since before 2024: clipped to the interval's start.
  period("p-romashka-mail", "romashka-mail", "2023-11-01T09:00:00Z", null),
  // Exactly over the skipped hour (02:00-03:00 Berlin) and over the repeated hour.
  period("p-athena-gap", "athena-erp", "2024-03-31T00:30:00Z", "2024-03-31T01:30:00Z"),
  period("p-athena-repeat", "athena-erp", "2024-10-27T00:15:00Z", "2024-10-27T01:45:00Z"),
  period("p-athena-2023", "athena-erp", "2023-05-01T00:00:00Z", "2023-06-01T00:00:00Z"),
  // A duplicated period and a touching one: one merged line.
  period("p-baeckerei-1", "baeckerei-kasse", "2024-05-01T04:00:00Z", "2024-05-31T04:00:00Z"),
  period("p-baeckerei-1-dup", "baeckerei-kasse", "2024-05-01T04:00:00Z", "2024-05-31T04:00:00Z"),
  period("p-baeckerei-2", "baeckerei-kasse", "2024-05-31T04:00:00Z", "2024-06-15T04:00:00Z"),
  period("p-formula-1", "formula-vm", "2024-02-01T00:00:00Z", "2024-02-10T00:00:00Z"),
  // A VM of no tenant: listed last, with empty tenant fields, in all-tenant reports.
  period("p-legacy-1", "legacy-backup", "2024-07-01T00:00:00Z", "2024-08-15T12:00:00Z"),
];

const organizations: ReadonlyArray<Organization> = [
  { id: "org-acme", name: "ACME Corporation", capacity: 3, tenantId: "acme" },
  { id: "org-athena", name: "Αθηνά Α.Ε.", capacity: 5, tenantId: "athena" },
  { id: "org-romashka", name: "ООО «Ромашка»", capacity: 2, tenantId: "romashka" },
];

const users: ReadonlyArray<LicensedUser> = [
  { id: "u-acme-alice", name: "alice@acme.example", organizationId: "org-acme" },
  { id: "u-acme-bob", name: "bob@acme.example", organizationId: "org-acme" },
  { id: "u-acme-carol", name: "carol@acme.example", organizationId: "org-acme" },
  { id: "u-acme-dave", name: "dave@acme.example", organizationId: "org-acme" },
  { id: "u-athena-eleni", name: "Ελένη Παπαδοπούλου", organizationId: "org-athena" },
  { id: "u-athena-giorgos", name: "Γιώργος Νικολάου", organizationId: "org-athena" },
  { id: "u-romashka-ivan", name: "Иван Петров", organizationId: "org-romashka" },
  { id: "u-romashka-maria", name: "Мария Смирнова", organizationId: "org-romashka" },
  { id: "u-romashka-olga", name: "Ольга Кузнецова", organizationId: "org-romashka" },
];

const event = (
  id: string,
  userId: string,
  kind: "assigned" | "revoked",
  instant: string,
): LicenseEvent => ({ id, userId, kind, at: at(instant) });

const licenseEvents: ReadonlyArray<LicenseEvent> = [
  // ACME: three licensed before 2024, a fourth assigned beyond the capacity of 3 (Exceeded).
  event("e-alice-1", "u-acme-alice", "assigned", "2023-09-01T08:00:00Z"),
  event("e-bob-1", "u-acme-bob", "assigned", "2023-10-15T08:00:00Z"),
  event("e-carol-1", "u-acme-carol", "assigned", "2024-02-01T08:00:00Z"),
  event("e-dave-1", "u-acme-dave", "assigned", "2024-04-01T08:00:00Z"),
  event("e-bob-2", "u-acme-bob", "revoked", "2024-08-31T17:00:00Z"),
  // Athena: one since 2023, one new in 2024 across the autumn DST change.
  event("e-eleni-1", "u-athena-eleni", "assigned", "2023-12-01T10:00:00Z"),
  event("e-giorgos-1", "u-athena-giorgos", "assigned", "2024-10-27T01:30:00Z"),
  // Romashka: a revocation and a re-assignment, and a newcomer.
  event("e-ivan-1", "u-romashka-ivan", "assigned", "2023-06-01T06:00:00Z"),
  event("e-maria-1", "u-romashka-maria", "assigned", "2024-01-15T06:00:00Z"),
  event("e-maria-2", "u-romashka-maria", "revoked", "2024-05-15T06:00:00Z"),
  event("e-olga-1", "u-romashka-olga", "assigned", "2024-06-01T06:00:00Z"),
  event("e-maria-3", "u-romashka-maria", "assigned", "2024-11-01T06:00:00Z"),
];

const accounts: ReadonlyArray<DemoAccount> = [
  { username: "admin", password: "admin", role: "Administrator", tenantId: null },
  {
    username: "acme-operator",
    password: "acme-operator",
    role: "TenantOperator",
    tenantId: "acme",
  },
  {
    username: "romashka-operator",
    password: "romashka-operator",
    role: "TenantOperator",
    tenantId: "romashka",
  },
];

/** The demo data set. */
export const demoDataSet: DemoDataSet = {
  tenants,
  vms,
  periods,
  organizations,
  users,
  licenseEvents,
  accounts,
};
