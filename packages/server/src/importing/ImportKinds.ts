/**
 * The kinds of fact `tally import` reads, named as the native API's collections
 * (`/v1/protection-periods`, …), and the columns (CSV header) or properties (JSON) of each.
 * This module loads nothing else, so the command line can describe the kinds without loading
 * the core.
 */
import type { FactKind } from "@tally/adapters-storage";

/** The kinds of fact `tally import` reads. */
export const importKinds = [
  "tenants",
  "vms",
  "protection-periods",
  "organizations",
  "users",
  "license-events",
] as const satisfies ReadonlyArray<FactKind>;
/** A kind of fact `tally import` reads. */
export type ImportKind = (typeof importKinds)[number];

/** Other names the command line accepts for a kind (`periods`: its name before 0.2). */
export const importKindAliases: Readonly<Record<string, ImportKind>> = {
  periods: "protection-periods",
};

/** Every name the command line accepts: the kinds, then their aliases. */
export const importKindNames: ReadonlyArray<string> = [
  ...importKinds,
  ...Object.keys(importKindAliases),
];

/** The kind a name accepted by the command line stands for. */
export const importKindNamed = (name: string): ImportKind =>
  importKindAliases[name] ?? (name as ImportKind);

/**
 * The columns (CSV header) or properties (JSON) of each kind, in order, for `tally import
 * --help` only: the core's wire forms (`factWireForms`) declare them, and reading a file takes
 * them from there (`rowColumns`); loading the core here would slow every `tally --help`, so
 * this copy is held to the core's by `importRecords.test.ts`.
 */
export const importColumns: { readonly [K in ImportKind]: ReadonlyArray<string> } = {
  tenants: ["id", "name"],
  vms: ["id", "name", "tenantId"],
  "protection-periods": ["id", "vmId", "start", "end"],
  organizations: ["id", "name", "capacity", "tenantId"],
  users: ["id", "name", "organizationId"],
  "license-events": ["id", "userId", "kind", "at"],
};
