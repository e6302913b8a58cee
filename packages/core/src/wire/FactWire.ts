/**
 * Each kind of fact on the wire, declared once: the JSON form a client sends and receives
 * (instants as ISO 8601 text with `Z` or an offset, an absent optional field meaning null),
 * decoded into the domain's value with the domain's own checks (ids of 1 to 128 characters,
 * a period ending after it starts). CSV records and files to import take the same form: a
 * record's cells are read into that JSON form (an empty optional cell is an absent field, a
 * count is digits) and decoded by the same Schema.
 *
 * The collections are named here once too: `tenants`, `vms`, `protection-periods`,
 * `organizations`, `users`, `license-events`.
 */
import { Effect, Schema, SchemaAST } from "effect";
import { FactId } from "../domain/FactId.ts";
import { LicensedUser, LicenseEvent, LicenseEventKind, Organization } from "../domain/License.ts";
import { ProtectionPeriod } from "../domain/ProtectionPeriod.ts";
import { Tenant, Vm } from "../domain/Tenant.ts";
import { OffsetInstant } from "./InstantText.ts";

/** An optional field whose absence means null ("no tenant", "still ongoing"). */
const absentIsNull = <S extends Schema.Top>(schema: S) =>
  Schema.NullOr(schema).pipe(Schema.withDecodingDefaultKey(Effect.succeed(null)));

const reference = (what: string) =>
  FactId.annotate({ description: `The id of an existing ${what} (1 to 128 characters)` });

/** A tenant on the wire: `{id, name}`. */
export const TenantWire = Schema.Struct({
  id: FactId,
  name: Schema.String,
})
  .pipe(Schema.decodeTo(Tenant))
  .annotate({ identifier: "Tenant" });

/** A VM on the wire: `{id, name, tenantId?}`; no `tenantId` (or null) for a VM of no tenant. */
export const VmWire = Schema.Struct({
  id: FactId,
  name: Schema.String,
  tenantId: absentIsNull(reference("tenant")),
})
  .pipe(Schema.decodeTo(Vm))
  .annotate({ identifier: "Vm" });

/** A protection period on the wire: `{id, vmId, start, end?}`; no `end` (or null) while ongoing. */
export const ProtectionPeriodWire = Schema.Struct({
  id: FactId,
  vmId: reference("VM"),
  start: OffsetInstant,
  end: absentIsNull(OffsetInstant),
})
  .pipe(Schema.decodeTo(ProtectionPeriod))
  .annotate({ identifier: "ProtectionPeriod" });

/** An organization on the wire: `{id, name, capacity, tenantId?}`. */
export const OrganizationWire = Schema.Struct({
  id: FactId,
  name: Schema.String,
  capacity: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)).annotate({
    description: "How many users may hold a license (0 or more)",
  }),
  tenantId: absentIsNull(reference("tenant")),
})
  .pipe(Schema.decodeTo(Organization))
  .annotate({ identifier: "Organization" });

/** A licensed user on the wire: `{id, name, organizationId}` (a name or an e-mail address). */
export const LicensedUserWire = Schema.Struct({
  id: FactId,
  name: Schema.String,
  organizationId: reference("organization"),
})
  .pipe(Schema.decodeTo(LicensedUser))
  .annotate({ identifier: "LicensedUser" });

/** A license event on the wire: `{id, userId, kind: "assigned" | "revoked", at}`. */
export const LicenseEventWire = Schema.Struct({
  id: FactId,
  userId: reference("user"),
  kind: LicenseEventKind,
  at: OffsetInstant,
})
  .pipe(Schema.decodeTo(LicenseEvent))
  .annotate({ identifier: "LicenseEvent" });

/** The columns of a fact's CSV form: the required ones must be present, optional ones may be. */
export interface FactColumns {
  readonly required: ReadonlyArray<string>;
  readonly optional: ReadonlyArray<string>;
}

/** One kind of fact on the wire: its collection name, its Schema and its CSV form. */
export interface FactWireForm<A> {
  /** The collection's name everywhere (HTTP paths, `tally import`), e.g. `protection-periods`. */
  readonly collection: string;
  /** In words, plural, e.g. `protection periods`. */
  readonly plural: string;
  /** JSON wire form ↔ domain value. */
  readonly schema: Schema.Codec<A, unknown>;
  /** The CSV columns, in declaration order. */
  readonly columns: FactColumns;
  /** A CSV record (cells by column) as the JSON wire form, ready for `schema`. */
  readonly fromCsvRecord: (cells: Readonly<Record<string, string>>) => Record<string, unknown>;
}

/** Digits only: a CSV cell of a count; anything else is left as text for the Schema to refuse. */
const digits = /^\d+$/;

const wireForm = <A>(
  collection: string,
  plural: string,
  schema: Schema.Codec<A, unknown>,
): FactWireForm<A> => {
  const wire = SchemaAST.toEncoded(schema.ast);
  if (!SchemaAST.isObjects(wire)) throw new Error(`${collection}: a fact's wire form is a struct`);
  const fields = wire.propertySignatures.map((property) => ({
    name: String(property.name),
    optional: property.type.context?.isOptional === true,
    count: SchemaAST.toEncoded(property.type)._tag === "Number",
  }));
  return {
    collection,
    plural,
    schema,
    columns: {
      required: fields.filter((f) => !f.optional).map((f) => f.name),
      optional: fields.filter((f) => f.optional).map((f) => f.name),
    },
    fromCsvRecord: (cells) => {
      const json: Record<string, unknown> = {};
      for (const field of fields) {
        const cell = cells[field.name];
        if (cell === undefined || (cell === "" && field.optional)) continue;
        json[field.name] =
          field.count && digits.test(cell) && Number.isSafeInteger(Number(cell))
            ? Number(cell)
            : cell;
      }
      return json;
    },
  };
};

/** The six kinds of fact, by collection name. */
export const factWireForms = {
  tenants: wireForm("tenants", "tenants", TenantWire),
  vms: wireForm("vms", "VMs", VmWire),
  "protection-periods": wireForm("protection-periods", "protection periods", ProtectionPeriodWire),
  organizations: wireForm("organizations", "organizations", OrganizationWire),
  users: wireForm("users", "licensed users", LicensedUserWire),
  "license-events": wireForm("license-events", "license events", LicenseEventWire),
} as const;

/** A collection of facts. */
export type FactCollection = keyof typeof factWireForms;

/** The collections, in the order facts must be loaded (each refers only to earlier ones). */
export const factCollections: ReadonlyArray<FactCollection> = [
  "tenants",
  "vms",
  "protection-periods",
  "organizations",
  "users",
  "license-events",
];
