/**
 * What a caller asks for when it submits a report, as a Schema: every field's rule, the rules
 * that depend on the report type, and those that tie fields together, so that one decoding
 * names every problem of a request (in the caller's own field names).
 *
 * - `start` / `end`: the interval `[start, end)` in epoch ms. A tenant report defaults `end` to
 *   now and `start` to the earliest stored period (an empty store gives an empty report); a
 *   license overview needs both.
 * - `zone`: how the report writes timestamps.
 * - `tenantId`: a tenant report on one tenant (default: all tenants); for a license overview,
 *   the organizations of that tenant. `organizationId`: a license overview of one organization.
 *   A license overview naming neither covers what the caller may see: every organization for
 *   an administrator, its own tenant's for a tenant operator.
 * - `variant`: `detail` (default) or `summary` for tenant reports, `users` (default) or
 *   `summary` for license overviews; a summary is CSV only (a PDF has both).
 * - `columns`: `vendor` (default) or `extended`, tenant reports only. `separator`: `;`
 *   (default) or `,`.
 */
import { Result, Schema } from "effect";
import { FactId } from "../domain/FactId.ts";
import { Instant } from "../domain/Instant.ts";
import { makeReportingInterval } from "../domain/ReportingInterval.ts";
import { ReportFormat } from "../domain/ReportRequest.ts";
import {
  formatTimeZoneSpec,
  parseTimeZoneSpec,
  TimeZoneSpec,
  timeZoneSpecForms,
} from "../domain/TimeZoneSpec.ts";
import { spelledIssue } from "../wire/SchemaIssues.ts";

/** A zone spec the APIs accept: one that reads back from its own canonical text. */
const AcceptedZone = TimeZoneSpec.annotate({ expected: timeZoneSpecForms }).check(
  Schema.makeFilter((spec) =>
    Result.isSuccess(parseTimeZoneSpec(formatTimeZoneSpec(spec))) ? undefined : timeZoneSpecForms,
  ),
);

const Bound = Instant.annotate({
  expected: "an instant in whole milliseconds since 1970-01-01T00:00:00Z",
});

/** A field that must stay absent for this report type. */
const absentFor = (what: string) => Schema.optional(Schema.Never).annotate({ expected: what });

/** An optional field from a fixed set, explained when wrong. */
const optionalOneOf = <const L extends ReadonlyArray<string>>(values: L, expected: string) =>
  Schema.optional(Schema.Literals(values).annotate({ expected })).annotate({ expected });

const neededBound = (which: "start" | "end") =>
  Bound.annotateKey({
    messageMissingKey: `Expected the ${which} of the interval (a license overview needs both bounds)`,
  });

/** A tenant protection report. */
const TenantReportInput = Schema.Struct({
  type: Schema.Literal("CreateTenantReport"),
  start: Schema.optional(Bound),
  end: Schema.optional(Bound),
  zone: AcceptedZone,
  tenantId: Schema.optional(FactId),
  organizationId: absentFor("no organization for a tenant report"),
  format: ReportFormat,
  variant: optionalOneOf(["detail", "summary"], "one of detail, summary for CreateTenantReport"),
  columns: optionalOneOf(["vendor", "extended"], "one of vendor, extended"),
  separator: optionalOneOf([";", ","], "one of ;, ,"),
});

/** A license overview. */
const LicenseOverviewInput = Schema.Struct({
  type: Schema.Literal("CreateLicenseOverviewReport"),
  start: neededBound("start"),
  end: neededBound("end"),
  zone: AcceptedZone,
  tenantId: Schema.optional(FactId),
  organizationId: Schema.optional(FactId),
  format: ReportFormat,
  variant: optionalOneOf(
    ["users", "summary"],
    "one of users, summary for CreateLicenseOverviewReport",
  ),
  columns: absentFor("no column set for a license overview"),
  separator: optionalOneOf([";", ","], "one of ;, ,"),
});

/** The names a caller gives the fields (`from` for `start`, `timezone` for `zone`, ...). */
export type SubmitReportFieldNames = Partial<
  Record<keyof typeof TenantReportInput.fields | "idempotencyKey", string>
>;

/** The rules that tie fields together, naming the fields as the caller does. */
const crossFieldChecks = (names: SubmitReportFieldNames) =>
  Schema.makeFilter((input: typeof TenantReportInput.Type | typeof LicenseOverviewInput.Type) => {
    const issues: Array<Schema.FilterIssue> = [];
    if (input.start !== undefined && input.end !== undefined) {
      const interval = makeReportingInterval(input.start, input.end, {
        start: names.start ?? "start",
        end: names.end ?? "end",
      });
      if (Result.isFailure(interval)) {
        const [startIssue, endIssue] = interval.failure.issues;
        for (const [key, issue] of [
          ["start", startIssue],
          ["end", endIssue],
        ] as const) {
          if (issue !== undefined) {
            issues.push({ path: [key], issue: spelledIssue(issue.expected, issue.actual) });
          }
        }
      }
    }
    const firstVariant = input.type === "CreateTenantReport" ? "detail" : "users";
    if (input.variant === "summary" && input.format === "pdf") {
      issues.push({
        path: ["variant"],
        issue: spelledIssue(
          `${firstVariant} for a PDF (a PDF always has the summary and the detail), or the CSV format`,
          '"summary"',
        ),
      });
    }
    if (
      input.type === "CreateLicenseOverviewReport" &&
      input.tenantId !== undefined &&
      input.organizationId !== undefined
    ) {
      issues.push({
        path: ["organizationId"],
        issue: spelledIssue(
          `either ${names.organizationId ?? "organizationId"} or ${names.tenantId ?? "tenantId"}, not both`,
          JSON.stringify(input.organizationId),
        ),
      });
    }
    return issues;
  });

const makeSchema = (names: SubmitReportFieldNames) =>
  Schema.Union([TenantReportInput, LicenseOverviewInput])
    .annotate({ expected: "a type of CreateTenantReport or CreateLicenseOverviewReport" })
    .check(crossFieldChecks(names));

/** A report request as an API received it, times already read into epoch ms. */
export const SubmitReportInput = makeSchema({});
/** A valid report request. */
export type SubmitReportInput = typeof SubmitReportInput.Type;

type Member = typeof TenantReportInput.Type | typeof LicenseOverviewInput.Type;
type AnyKey<U> = U extends unknown ? keyof U : never;
type ValueAt<U, K extends PropertyKey> = U extends { readonly [k in K]?: infer V } ? V : never;

/**
 * What a caller may hand to `submitReport` before it is checked: the fields of either report
 * type in any combination (the Schema then says what is wrong).
 */
export type SubmitReportRequest = Pick<Member, "type" | "zone" | "format"> & {
  readonly [K in Exclude<AnyKey<Member>, "type" | "zone" | "format">]?:
    | ValueAt<Member, K>
    | undefined;
};

const byNames = new WeakMap<SubmitReportFieldNames, typeof SubmitReportInput>();

/** The Schema whose messages name the fields as the caller does (cached per names object). */
export const submitReportInputFor = (
  names: SubmitReportFieldNames | undefined,
): typeof SubmitReportInput => {
  if (names === undefined) return SubmitReportInput;
  let schema = byNames.get(names);
  if (schema === undefined) {
    schema = makeSchema(names);
    byNames.set(names, schema);
  }
  return schema;
};
