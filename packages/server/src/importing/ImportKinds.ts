/**
 * The kinds of fact `tally import` reads, named as the native API's collections
 * (`/v1/protection-periods`, …), and the columns (CSV header) or properties (JSON) of each.
 * This module loads nothing else, so the command line can describe the kinds without loading
 * the core.
 */
import type { FactKind } from "@tally/adapters-storage";

/**
 * The kinds of fact `tally import` reads and the columns (CSV header) or properties (JSON) of
 * each, in order, for `tally import --help` and its argument: the core's wire forms
 * (`factCollections`, `factWireForms`) declare them, and reading a file takes them from there
 * (`rowColumns`); loading the core here would slow every `tally --help`, so this copy is held
 * to the core's by `importRecords.test.ts`.
 */
export const importColumns = {
  tenants: ["id", "name"],
  vms: ["id", "name", "tenantId"],
  "protection-periods": ["id", "vmId", "start", "end"],
  organizations: ["id", "name", "capacity", "tenantId"],
  users: ["id", "name", "organizationId"],
  "license-events": ["id", "userId", "kind", "at"],
} as const satisfies { readonly [K in FactKind]: ReadonlyArray<string> };

/** A kind of fact `tally import` reads. */
export type ImportKind = keyof typeof importColumns;

/** The kinds of fact `tally import` reads, in loading order. */
export const importKinds = Object.keys(importColumns) as ReadonlyArray<ImportKind>;

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
