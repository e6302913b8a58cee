/**
 * Submitting a report: validate the request, authorize it, resolve every default (interval
 * bounds, zone) and queue a task that a worker will run. The stored request is complete, so
 * the task gives the same report whenever and wherever it runs.
 *
 * Idempotency: a caller may send an idempotency key. The key is scoped to the principal; the
 * first request with it creates the task, a repeat with the same validated input returns that
 * task (`replayed: true`), and a repeat with different input is a conflict. The comparison uses
 * the input as sent (after validation and static defaults), not resolved values such as "now",
 * so a retry a minute later still matches.
 */
import { Effect, Option, Result } from "effect";
import type { FieldIssue } from "../domain/errors.ts";
import {
  ConflictError,
  type ForbiddenError,
  NotFoundError,
  type StorageError,
  ValidationError,
} from "../domain/errors.ts";
import { quoteGiven } from "../domain/GivenText.ts";
import type { Instant } from "../domain/Instant.ts";
import { formatInstantUtcIso } from "../domain/InstantFormatter.ts";
import type { OrganizationFilter } from "../domain/License.ts";
import type { Principal } from "../domain/Principal.ts";
import { makeReportingInterval, type ReportingInterval } from "../domain/ReportingInterval.ts";
import type { CsvSeparator, ReportFormat, ReportRequest } from "../domain/ReportRequest.ts";
import type { ReportTask, TaskType } from "../domain/ReportTask.ts";
import { newTask } from "../domain/TaskLifecycle.ts";
import type { TenantFilter } from "../domain/Tenant.ts";
import {
  formatTimeZoneSpec,
  parseTimeZoneSpec,
  type TimeZoneSpec,
  timeZoneSpecForms,
  zoneSelection,
} from "../domain/TimeZoneSpec.ts";
import { Authorizer, type AuthorizerShape } from "../ports/Authorizer.ts";
import { Clock } from "../ports/Clock.ts";
import { IdGenerator } from "../ports/IdGenerator.ts";
import { LicenseStore } from "../ports/LicenseStore.ts";
import { ProtectionPeriodStore } from "../ports/ProtectionPeriodStore.ts";
import { TallySettings } from "../ports/TallySettings.ts";
import { TaskStore } from "../ports/TaskStore.ts";
import { TenantDirectory } from "../ports/TenantDirectory.ts";
import { describeGiven } from "./BatchValidation.ts";

/**
 * A report request as an API received it, times already parsed to epoch ms.
 * - `start` / `end`: the interval `[start, end)`. A tenant report defaults `end` to now and
 *   `start` to the earliest stored period (an empty store gives an empty report); a license
 *   overview needs both.
 * - `tenantId`: a tenant report on one tenant (default: all tenants); for a license overview,
 *   the organizations of that tenant. `organizationId`: a license overview of one organization.
 * - `variant`: `detail` (default) or `summary` for tenant reports, `users` (default) or
 *   `summary` for license overviews; a summary variant is CSV only (a PDF has both).
 * - `columns`: `vendor` (default) or `extended`, tenant reports only. `separator`: `;` (default)
 *   or `,`.
 */
export interface SubmitReportInput {
  readonly type: TaskType;
  readonly start?: Instant | undefined;
  readonly end?: Instant | undefined;
  readonly zone: TimeZoneSpec;
  readonly tenantId?: string | undefined;
  readonly organizationId?: string | undefined;
  readonly format: ReportFormat;
  readonly variant?: "detail" | "summary" | "users" | undefined;
  readonly columns?: "vendor" | "extended" | undefined;
  readonly separator?: CsvSeparator | undefined;
}

/** The names of what a caller sends, which an API may call differently (`from`, `startTime`). */
export type SubmitReportField = keyof SubmitReportInput | "idempotencyKey";

/** Options of `submitReport`. */
export interface SubmitReportOptions {
  /** Makes retries safe: the same key and input return the task the key first created. */
  readonly idempotencyKey?: string | undefined;
  /**
   * How the calling API names each field, so that errors name what the caller sent (e.g.
   * `{ start: "from", end: "to" }`); a field not listed keeps its name here.
   */
  readonly fieldNames?: Partial<Record<SubmitReportField, string>> | undefined;
}

/** The task a submission created, or the one its idempotency key had created before. */
export interface SubmittedReport {
  readonly task: ReportTask;
  /** True when the idempotency key had been used with the same input: nothing new was queued. */
  readonly replayed: boolean;
}

/** Everything that may go wrong when submitting. */
export type SubmitReportError =
  | ValidationError
  | ForbiddenError
  | NotFoundError
  | ConflictError
  | StorageError;

/** The ports `submitReport` uses. */
export type SubmitReportServices = ResolveReportServices | TaskStore | IdGenerator;

/** The longest idempotency key accepted. */
export const maxIdempotencyKeyLength = 255;

/**
 * A report request validated, authorized and with every default resolved: what a task stores,
 * or what a report made at once (`tenantReport`, `licenseOverview`) is computed from.
 */
export interface ResolvedReportRequest {
  readonly type: TaskType;
  readonly request: ReportRequest;
  /** The tenant the report belongs to (null: several tenants, or data of no tenant). */
  readonly tenantScope: string | null;
  /** "Now" when it was resolved: the instant a report made from it is "as of". */
  readonly resolvedAt: Instant;
  /** Canonical text of the input as sent, which an idempotency key is bound to. */
  readonly fingerprint: string;
}

/** The ports `resolveReportRequest` uses. */
export type ResolveReportServices =
  | TenantDirectory
  | ProtectionPeriodStore
  | LicenseStore
  | Clock
  | TallySettings;

/** Validates and authorizes a request, and resolves its defaults (interval bounds, zone). */
export const resolveReportRequest = (
  principal: Principal,
  input: SubmitReportInput,
  options: SubmitReportOptions = {},
): Effect.Effect<
  ResolvedReportRequest,
  ValidationError | ForbiddenError | NotFoundError | StorageError,
  ResolveReportServices
> =>
  Effect.gen(function* () {
    const name = fieldNamer(options.fieldNames);
    const valid = yield* Effect.fromResult(validateSubmission(input, options, name));
    const authorizer = yield* Authorizer;
    const settings = yield* TallySettings;
    const target = yield* resolveTarget(principal, valid, authorizer);
    const zone = yield* Effect.fromResult(zoneSelection(input.zone, settings.localZone));
    const now = yield* (yield* Clock).now;
    const interval = yield* resolveInterval(valid, target, now, name);
    const request: ReportRequest =
      target._tag === "Tenants"
        ? {
            _tag: "TenantReport",
            interval,
            zone,
            tenant: target.filter,
            format: valid.format,
            variant: valid.variant === "summary" ? "summary" : "detail",
            columns: valid.columns ?? "vendor",
            separator: valid.separator,
          }
        : {
            _tag: "LicenseOverview",
            interval,
            zone,
            organizations: target.filter,
            format: valid.format,
            variant: valid.variant === "summary" ? "summary" : "users",
            separator: valid.separator,
          };
    return {
      type: valid.type,
      request,
      tenantScope: target.tenantScope,
      resolvedAt: now,
      fingerprint: valid.fingerprint,
    };
  });

/** Validates, authorizes and queues a report task. */
export const submitReport = (
  principal: Principal,
  input: SubmitReportInput,
  options: SubmitReportOptions = {},
): Effect.Effect<SubmittedReport, SubmitReportError, SubmitReportServices> =>
  Effect.gen(function* () {
    const resolved = yield* resolveReportRequest(principal, input, options);
    const task = newTask({
      id: yield* (yield* IdGenerator).next("task"),
      type: resolved.type,
      request: resolved.request,
      principal,
      tenantScope: resolved.tenantScope,
      now: resolved.resolvedAt,
      maxAttempts: (yield* TallySettings).maxAttempts,
      idempotencyKey: options.idempotencyKey ?? null,
    });
    const tasks = yield* TaskStore;
    if (options.idempotencyKey === undefined) {
      yield* tasks.insert(task);
      return { task, replayed: false };
    }
    const key = options.idempotencyKey;
    const { fingerprint } = resolved;
    const inserted = yield* tasks.insertIdempotent(task, { scope: principal.id, key, fingerprint });
    if (inserted._tag === "Created") return { task: inserted.task, replayed: false };
    if (inserted.fingerprint === fingerprint) return { task: inserted.task, replayed: true };
    return yield* new ConflictError({
      reason:
        `the idempotency key ${quoteGiven(key)} was already used for a different request ` +
        `(task '${inserted.task.id}'); use a new key for a new request`,
    });
  });

/** The input after validation and static defaults: what an idempotency key is bound to. */
interface ValidSubmission {
  readonly type: TaskType;
  readonly start: Instant | undefined;
  readonly end: Instant | undefined;
  readonly tenantId: string | undefined;
  readonly organizationId: string | undefined;
  readonly format: ReportFormat;
  readonly variant: "detail" | "summary" | "users";
  readonly columns: "vendor" | "extended" | undefined;
  readonly separator: CsvSeparator;
  /** Canonical JSON of the fields above and the zone spec's canonical text. */
  readonly fingerprint: string;
}

type FieldNamer = (field: SubmitReportField) => string;

const fieldNamer =
  (names: Partial<Record<SubmitReportField, string>> | undefined): FieldNamer =>
  (field) =>
    names?.[field] ?? field;

const taskTypes: ReadonlyArray<TaskType> = ["CreateTenantReport", "CreateLicenseOverviewReport"];
const formats: ReadonlyArray<ReportFormat> = ["csv", "pdf"];
const separators: ReadonlyArray<CsvSeparator> = [";", ","];

/** Checks every field, reporting all problems at once. */
const validateSubmission = (
  input: SubmitReportInput,
  options: SubmitReportOptions,
  name: FieldNamer,
): Result.Result<ValidSubmission, ValidationError> => {
  const issues: Array<FieldIssue> = [];
  const issue = (field: SubmitReportField, expected: string, actual: string) =>
    issues.push({ field: name(field), expected, actual });

  if (!taskTypes.includes(input.type)) {
    issue("type", oneOf(taskTypes), describeGiven(input.type));
  }
  const tenantReport = input.type !== "CreateLicenseOverviewReport";
  if (!formats.includes(input.format)) issue("format", oneOf(formats), describeGiven(input.format));
  const zoneText = zoneSpecText(input.zone);
  if (zoneText === undefined) {
    issue("zone", timeZoneSpecForms, describeGiven(input.zone));
  }
  for (const field of ["start", "end"] as const) {
    const value = input[field];
    if (value !== undefined && !Number.isSafeInteger(value)) {
      issue(
        field,
        "an instant in whole milliseconds since 1970-01-01T00:00:00Z",
        describeGiven(value),
      );
    }
  }
  if (
    input.start !== undefined &&
    input.end !== undefined &&
    Number.isSafeInteger(input.start) &&
    Number.isSafeInteger(input.end)
  ) {
    const interval = makeReportingInterval(input.start, input.end, {
      start: name("start"),
      end: name("end"),
    });
    if (Result.isFailure(interval)) issues.push(...interval.failure.issues);
  }
  for (const field of ["tenantId", "organizationId"] as const) {
    const value = input[field];
    if (
      value !== undefined &&
      (typeof value !== "string" || value.length < 1 || value.length > 128)
    ) {
      issue(field, "an id of 1 to 128 characters", describeGiven(value));
    }
  }

  const variants = tenantReport
    ? (["detail", "summary"] as const)
    : (["users", "summary"] as const);
  const variant = input.variant ?? variants[0];
  if (!(variants as ReadonlyArray<string>).includes(variant)) {
    issue("variant", `${oneOf(variants)} for ${input.type}`, describeGiven(input.variant));
  } else if (variant === "summary" && input.format === "pdf") {
    issue(
      "variant",
      `${variants[0]} for a PDF (a PDF always has the summary and the detail), or the CSV format`,
      describeGiven(variant),
    );
  }
  const separator = input.separator ?? ";";
  if (!separators.includes(separator))
    issue("separator", oneOf(separators), describeGiven(separator));

  if (tenantReport) {
    if (input.organizationId !== undefined) {
      issue(
        "organizationId",
        "no organization for a tenant report",
        describeGiven(input.organizationId),
      );
    }
    if (input.columns !== undefined && input.columns !== "vendor" && input.columns !== "extended") {
      issue("columns", oneOf(["vendor", "extended"]), describeGiven(input.columns));
    }
  } else {
    if (input.start === undefined) {
      issue("start", "the start of the interval (a license overview needs both bounds)", "nothing");
    }
    if (input.end === undefined) {
      issue("end", "the end of the interval (a license overview needs both bounds)", "nothing");
    }
    if (input.columns !== undefined) {
      issue("columns", "no column set for a license overview", describeGiven(input.columns));
    }
    if (input.tenantId !== undefined && input.organizationId !== undefined) {
      issue(
        "organizationId",
        `either ${name("organizationId")} or ${name("tenantId")}, not both`,
        describeGiven(input.organizationId),
      );
    }
  }
  const key = options.idempotencyKey;
  if (key !== undefined && (key.length < 1 || key.length > maxIdempotencyKeyLength)) {
    issue("idempotencyKey", `1 to ${maxIdempotencyKeyLength} characters`, describeGiven(key));
  }
  if (issues.length > 0) return Result.fail(new ValidationError({ issues }));

  const columns = tenantReport ? (input.columns ?? "vendor") : undefined;
  const valid = {
    type: input.type,
    start: input.start,
    end: input.end,
    tenantId: input.tenantId,
    organizationId: input.organizationId,
    format: input.format,
    variant: variant as ValidSubmission["variant"],
    columns,
    separator,
  };
  const fingerprint = JSON.stringify([
    "submitReport/v1",
    valid.type,
    valid.start ?? null,
    valid.end ?? null,
    zoneText ?? null,
    valid.tenantId ?? null,
    valid.organizationId ?? null,
    valid.format,
    valid.variant,
    valid.columns ?? null,
    valid.separator,
  ]);
  return Result.succeed({ ...valid, fingerprint });
};

/** The canonical text of a spec, or undefined when it is not one the APIs accept. */
const zoneSpecText = (spec: TimeZoneSpec): string | undefined => {
  if (typeof spec !== "object" || spec === null) return undefined;
  if (spec._tag === "Offset" && !Number.isSafeInteger(spec.minutes)) return undefined;
  if (spec._tag !== "Utc" && spec._tag !== "Local" && spec._tag !== "Offset") return undefined;
  const text = formatTimeZoneSpec(spec);
  return Result.isSuccess(parseTimeZoneSpec(text)) ? text : undefined;
};

/** What the report covers, and the tenant scope of its task. */
type Target =
  | { readonly _tag: "Tenants"; readonly filter: TenantFilter; readonly tenantScope: string | null }
  | {
      readonly _tag: "Organizations";
      readonly filter: OrganizationFilter;
      readonly tenantScope: string | null;
    };

/**
 * Authorizes the request, then checks that what it names exists. Authorization comes first,
 * so a tenant operator asking for another tenant is refused whether or not it exists.
 */
const resolveTarget = (
  principal: Principal,
  valid: ValidSubmission,
  authorizer: AuthorizerShape,
): Effect.Effect<
  Target,
  ForbiddenError | NotFoundError | StorageError,
  TenantDirectory | LicenseStore
> =>
  Effect.gen(function* () {
    if (valid.type === "CreateTenantReport") {
      const filter: TenantFilter =
        valid.tenantId === undefined
          ? { _tag: "AllTenants" }
          : { _tag: "OneTenant", tenantId: valid.tenantId };
      const tenantScope = yield* Effect.fromResult(authorizer.tenantScopeFor(principal, filter));
      if (filter._tag === "OneTenant") yield* requireTenant(filter.tenantId);
      return { _tag: "Tenants", filter, tenantScope };
    }
    if (valid.organizationId !== undefined) {
      const organizationId = valid.organizationId;
      const filter: OrganizationFilter = { _tag: "OneOrganization", organizationId };
      const organization = yield* (yield* LicenseStore).getOrganization(organizationId);
      const owner = Option.match(organization, {
        onNone: () => undefined,
        onSome: (o) => o.tenantId,
      });
      const tenantScope = yield* Effect.fromResult(
        authorizer.organizationScopeFor(principal, filter, owner),
      );
      if (Option.isNone(organization)) {
        return yield* new NotFoundError({ resource: "organization", id: organizationId });
      }
      return { _tag: "Organizations", filter, tenantScope };
    }
    const filter: OrganizationFilter =
      valid.tenantId === undefined
        ? { _tag: "AllOrganizations" }
        : { _tag: "OrganizationsOfTenant", tenantId: valid.tenantId };
    const tenantScope = yield* Effect.fromResult(
      authorizer.organizationScopeFor(principal, filter, undefined),
    );
    if (filter._tag === "OrganizationsOfTenant") yield* requireTenant(filter.tenantId);
    return { _tag: "Organizations", filter, tenantScope };
  });

const requireTenant = (
  tenantId: string,
): Effect.Effect<void, NotFoundError | StorageError, TenantDirectory> =>
  Effect.gen(function* () {
    const tenant = yield* (yield* TenantDirectory).getTenant(tenantId);
    if (Option.isNone(tenant))
      return yield* new NotFoundError({ resource: "tenant", id: tenantId });
  });

/**
 * The interval with its defaults resolved. A tenant report's `end` defaults to now and its
 * `start` to the earliest period the filter selects — but never after `end`, and `end` itself
 * when the store holds none: an empty interval, an empty report.
 */
const resolveInterval = (
  valid: ValidSubmission,
  target: Target,
  now: Instant,
  name: FieldNamer,
): Effect.Effect<ReportingInterval, ValidationError | StorageError, ProtectionPeriodStore> =>
  Effect.gen(function* () {
    const end = valid.end ?? now;
    if (valid.start !== undefined) {
      if (valid.start < end) return { start: valid.start, end };
      // Only `end` was defaulted here: a given pair was checked in validation.
      return yield* ValidationError.single(
        name("start"),
        `an instant before ${name("end")}, which defaults to now (${formatInstantUtcIso(end)})`,
        formatInstantUtcIso(valid.start),
      );
    }
    if (target._tag !== "Tenants") return { start: end, end };
    const earliest = yield* (yield* ProtectionPeriodStore).earliestStart(target.filter);
    return {
      start: Option.match(earliest, { onNone: () => end, onSome: (e) => Math.min(e, end) }),
      end,
    };
  });

const oneOf = (values: ReadonlyArray<string>): string =>
  values.length === 1 ? String(values[0]) : `one of ${values.join(", ")}`;
