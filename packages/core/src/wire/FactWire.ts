/**
 * Each kind of fact on the wire, declared once: the JSON form a client sends and receives
 * (instants as ISO 8601 text with `Z` or an offset, an absent optional field meaning null),
 * decoded into the domain's value with the domain's own checks (ids of 1 to 128 characters and
 * names of at most 1,024, both storable text that every backend keeps as given; a period ending
 * after it starts). CSV records and files to import take the same form: a record's cells are
 * read into that JSON form (an empty optional cell is an absent field, a count is digits) and
 * decoded by the same Schema.
 *
 * The collections are named here once too: `tenants`, `vms`, `protection-periods`,
 * `organizations`, `users`, `license-events`.
 */
import { Effect, Schema, SchemaAST } from "effect";
import { FactId, maxIdLength } from "../domain/FactId.ts";
import { LicensedUser, LicenseEvent, LicenseEventKind, Organization } from "../domain/License.ts";
import { ProtectionPeriod } from "../domain/ProtectionPeriod.ts";
import { FactName, storableTextRule } from "../domain/StorableText.ts";
import { Tenant, Vm } from "../domain/Tenant.ts";
import { OffsetInstant } from "./InstantText.ts";

/** An optional field whose absence means null ("no tenant", "still ongoing"). */
const absentIsNull = <S extends Schema.Top>(schema: S) =>
  Schema.NullOr(schema).pipe(Schema.withDecodingDefaultKey(Effect.succeed(null)));

const reference = (what: string) =>
  FactId.annotate({
    description: `The id of an existing ${what} (1 to ${maxIdLength} characters; ${storableTextRule})`,
  });

/** A tenant on the wire: `{id, name}`. */
const tenantFields = { id: FactId, name: FactName };
export const TenantWire = Schema.Struct(tenantFields)
  .pipe(Schema.decodeTo(Tenant))
  .annotate({ identifier: "Tenant" });

/** A VM on the wire: `{id, name, tenantId?}`; no `tenantId` (or null) for a VM of no tenant. */
const vmFields = { id: FactId, name: FactName, tenantId: absentIsNull(reference("tenant")) };
export const VmWire = Schema.Struct(vmFields)
  .pipe(Schema.decodeTo(Vm))
  .annotate({ identifier: "Vm" });

/** A protection period on the wire: `{id, vmId, start, end?}`; no `end` (or null) while ongoing. */
const periodFields = {
  id: FactId,
  vmId: reference("VM"),
  start: OffsetInstant,
  end: absentIsNull(OffsetInstant),
};
export const ProtectionPeriodWire = Schema.Struct(periodFields)
  .pipe(Schema.decodeTo(ProtectionPeriod))
  .annotate({ identifier: "ProtectionPeriod" });

/** An organization on the wire: `{id, name, capacity, tenantId?}`. */
const organizationFields = {
  id: FactId,
  name: FactName,
  capacity: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)).annotate({
    expected: "a whole number of at least 0",
    description: "How many users may hold a license (0 or more)",
  }),
  tenantId: absentIsNull(reference("tenant")),
};
export const OrganizationWire = Schema.Struct(organizationFields)
  .pipe(Schema.decodeTo(Organization))
  .annotate({ identifier: "Organization" });

/** A licensed user on the wire: `{id, name, organizationId}` (a name or an e-mail address). */
const userFields = { id: FactId, name: FactName, organizationId: reference("organization") };
export const LicensedUserWire = Schema.Struct(userFields)
  .pipe(Schema.decodeTo(LicensedUser))
  .annotate({ identifier: "LicensedUser" });

/** A license event on the wire: `{id, userId, kind: "assigned" | "revoked", at}`. */
const eventFields = {
  id: FactId,
  userId: reference("user"),
  kind: LicenseEventKind,
  at: OffsetInstant,
};
export const LicenseEventWire = Schema.Struct(eventFields)
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
  /** The wire form's fields, each with its Schema (to document variants of the form). */
  readonly fields: Schema.Struct.Fields;
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
  fields: Schema.Struct.Fields,
  schema: Schema.Codec<A, unknown>,
): FactWireForm<A> => {
  const wire = SchemaAST.toEncoded(schema.ast);
  if (!SchemaAST.isObjects(wire)) throw new Error(`${collection}: a fact's wire form is a struct`);
  const cells = wire.propertySignatures.map((property) => ({
    name: String(property.name),
    optional: property.type.context?.isOptional === true,
    count: SchemaAST.toEncoded(property.type)._tag === "Number",
  }));
  return {
    collection,
    plural,
    schema,
    fields,
    columns: {
      required: cells.filter((f) => !f.optional).map((f) => f.name),
      optional: cells.filter((f) => f.optional).map((f) => f.name),
    },
    fromCsvRecord: (record) => {
      const json: Record<string, unknown> = {};
      for (const field of cells) {
        const cell = record[field.name];
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
  tenants: wireForm("tenants", "tenants", tenantFields, TenantWire),
  vms: wireForm("vms", "VMs", vmFields, VmWire),
  "protection-periods": wireForm(
    "protection-periods",
    "protection periods",
    periodFields,
    ProtectionPeriodWire,
  ),
  organizations: wireForm("organizations", "organizations", organizationFields, OrganizationWire),
  users: wireForm("users", "licensed users", userFields, LicensedUserWire),
  "license-events": wireForm("license-events", "license events", eventFields, LicenseEventWire),
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
