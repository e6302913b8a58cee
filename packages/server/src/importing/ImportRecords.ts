/**
 * The records `tally import` reads, one kind per file: what columns (CSV) or properties (JSON)
 * each kind has and how a row becomes a domain value. CSV cells are text, so an empty cell is
 * "no value" (`tenantId`, `end`); instants are ISO 8601 with `Z` or an offset, or epoch
 * milliseconds. The result is checked against the core's schema of the fact, so a row that
 * reaches the store is one the core would accept from any other door.
 */
import {
  LicensedUser,
  LicenseEvent,
  Organization,
  ProtectionPeriod,
  parseInstantInZone,
  Tenant,
  Vm,
} from "@tally/core";
import { Result, Schema, SchemaIssue } from "effect";
import { CommandInputError } from "../cli/CommandInputError.ts";

/** The kinds of fact `tally import` reads. */
export const importKinds = [
  "tenants",
  "vms",
  "periods",
  "organizations",
  "users",
  "license-events",
] as const;
/** A kind of fact `tally import` reads. */
export type ImportKind = (typeof importKinds)[number];

/** The decoded record of each kind. */
export interface ImportRecordOf {
  readonly tenants: Tenant;
  readonly vms: Vm;
  readonly periods: ProtectionPeriod;
  readonly organizations: Organization;
  readonly users: LicensedUser;
  readonly "license-events": LicenseEvent;
}

/** A raw row: CSV cells (text) or the properties of a JSON object. */
export type RawRow = Readonly<Record<string, unknown>>;

/** Decodes one raw row of a kind; `where` names the row in messages (`file.csv line 7`). */
export type RowDecoder<A> = (row: RawRow, where: string) => Result.Result<A, CommandInputError>;

const utc = { _tag: "Fixed", offsetMinutes: 0 } as const;
const instantExpected =
  "an ISO 8601 timestamp with Z or an offset (e.g. 2024-03-31T01:30:00Z) or epoch milliseconds";

const show = (value: unknown): string =>
  value === undefined ? "nothing" : (JSON.stringify(value) ?? String(value));

const bad = (where: string, column: string, expected: string, value: unknown) =>
  Result.fail(
    new CommandInputError({ input: `${where}, ${column}`, expected, actual: show(value) }),
  );

/** A column that must hold text. */
const text = (
  row: RawRow,
  column: string,
  where: string,
): Result.Result<string, CommandInputError> => {
  const value = row[column];
  if (typeof value === "string" && value !== "") return Result.succeed(value);
  if (typeof value === "number") return Result.succeed(String(value));
  return bad(where, column, "a non-empty text", value);
};

/** A column that may be empty or missing (null). */
const optionalText = (
  row: RawRow,
  column: string,
  where: string,
): Result.Result<string | null, CommandInputError> => {
  const value = row[column];
  if (value === undefined || value === null || value === "") return Result.succeed(null);
  return text(row, column, where);
};

const integer = (
  row: RawRow,
  column: string,
  where: string,
): Result.Result<number, CommandInputError> => {
  const value = row[column];
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === "number" && Number.isSafeInteger(n) && n >= 0) return Result.succeed(n);
  return bad(where, column, "a whole number, 0 or more", value);
};

const instantOf = (value: unknown): number | undefined => {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(trimmed)) return undefined;
  const parsed = parseInstantInZone(trimmed, "instant", utc);
  return Result.isSuccess(parsed) ? parsed.success : undefined;
};

const instant = (
  row: RawRow,
  column: string,
  where: string,
): Result.Result<number, CommandInputError> => {
  const value = row[column];
  const at = instantOf(value);
  return at === undefined ? bad(where, column, instantExpected, value) : Result.succeed(at);
};

const optionalInstant = (
  row: RawRow,
  column: string,
  where: string,
): Result.Result<number | null, CommandInputError> => {
  const value = row[column];
  if (value === undefined || value === null || value === "") return Result.succeed(null);
  return instant(row, column, where);
};

const formatter = SchemaIssue.makeFormatterStandardSchemaV1();

/** Checks a built record against the core's schema of the fact. */
const checked =
  <S extends Schema.Codec<unknown, unknown>>(schema: S) =>
  (value: S["Type"], where: string): Result.Result<S["Type"], CommandInputError> => {
    const result = Schema.decodeUnknownResult(schema)(value);
    if (Result.isSuccess(result)) return Result.succeed(result.success);
    const [issue] = formatter(result.failure.issue).issues;
    const column =
      issue?.path?.map((p) => String(typeof p === "object" ? p.key : p)).join(".") ?? "row";
    return bad(where, column, issue?.message ?? "a valid record", value);
  };

const all = <T extends Record<string, Result.Result<unknown, CommandInputError>>>(
  fields: T,
): Result.Result<
  { [K in keyof T]: T[K] extends Result.Result<infer A, unknown> ? A : never },
  CommandInputError
> => {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    if (Result.isFailure(field)) return Result.fail(field.failure);
    out[key] = field.success;
  }
  return Result.succeed(out as never);
};

const kindColumns = {
  tenants: ["id", "name"],
  vms: ["id", "name", "tenantId"],
  periods: ["id", "vmId", "start", "end"],
  organizations: ["id", "name", "capacity", "tenantId"],
  users: ["id", "name", "organizationId"],
  "license-events": ["id", "userId", "kind", "at"],
} as const satisfies Record<ImportKind, ReadonlyArray<string>>;

/** The columns (CSV header) or properties (JSON) of each kind, in order. */
export const importColumns: Readonly<Record<ImportKind, ReadonlyArray<string>>> = kindColumns;

const checkTenant = checked(Tenant);
const checkVm = checked(Vm);
const checkPeriod = checked(ProtectionPeriod);
const checkOrganization = checked(Organization);
const checkUser = checked(LicensedUser);
const checkEvent = checked(LicenseEvent);

/** How each kind's rows are decoded. */
export const rowDecoders: { readonly [K in ImportKind]: RowDecoder<ImportRecordOf[K]> } = {
  tenants: (row, where) =>
    Result.flatMap(all({ id: text(row, "id", where), name: text(row, "name", where) }), (v) =>
      checkTenant(v, where),
    ),
  vms: (row, where) =>
    Result.flatMap(
      all({
        id: text(row, "id", where),
        name: text(row, "name", where),
        tenantId: optionalText(row, "tenantId", where),
      }),
      (v) => checkVm(v, where),
    ),
  periods: (row, where) =>
    Result.flatMap(
      all({
        id: text(row, "id", where),
        vmId: text(row, "vmId", where),
        start: instant(row, "start", where),
        end: optionalInstant(row, "end", where),
      }),
      (v) =>
        v.end !== null && v.end <= v.start
          ? bad(
              where,
              "end",
              `an instant after start (${new Date(v.start).toISOString()}), or empty`,
              row.end,
            )
          : checkPeriod(v, where),
    ),
  organizations: (row, where) =>
    Result.flatMap(
      all({
        id: text(row, "id", where),
        name: text(row, "name", where),
        capacity: integer(row, "capacity", where),
        tenantId: optionalText(row, "tenantId", where),
      }),
      (v) => checkOrganization(v, where),
    ),
  users: (row, where) =>
    Result.flatMap(
      all({
        id: text(row, "id", where),
        name: text(row, "name", where),
        organizationId: text(row, "organizationId", where),
      }),
      (v) => checkUser(v, where),
    ),
  "license-events": (row, where) => {
    const kind = row.kind;
    if (kind !== "assigned" && kind !== "revoked") {
      return bad(where, "kind", "assigned or revoked", kind);
    }
    return Result.flatMap(
      all({
        id: text(row, "id", where),
        userId: text(row, "userId", where),
        at: instant(row, "at", where),
      }),
      (v) => checkEvent({ ...v, kind }, where),
    );
  },
};
