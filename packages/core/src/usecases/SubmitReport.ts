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
import { describeGiven, quoteGiven } from "../domain/GivenText.ts";
import type { Instant } from "../domain/Instant.ts";
import { describeInstant } from "../domain/InstantFormatter.ts";
import type { OrganizationFilter } from "../domain/License.ts";
import type { Principal } from "../domain/Principal.ts";
import type { ReportingInterval } from "../domain/ReportingInterval.ts";
import type { CsvSeparator, ReportFormat, ReportRequest } from "../domain/ReportRequest.ts";
import type { ReportTask, TaskType } from "../domain/ReportTask.ts";
import { storableTextRule, unstorableCharacter } from "../domain/StorableText.ts";
import { newTask } from "../domain/TaskLifecycle.ts";
import type { TenantFilter } from "../domain/Tenant.ts";
import { formatTimeZoneSpec, type TimeZoneSpec, zoneSelection } from "../domain/TimeZoneSpec.ts";
import { Authorizer, type AuthorizerShape } from "../ports/Authorizer.ts";
import { Clock } from "../ports/Clock.ts";
import { IdGenerator } from "../ports/IdGenerator.ts";
import { LicenseStore } from "../ports/LicenseStore.ts";
import { ProtectionPeriodStore } from "../ports/ProtectionPeriodStore.ts";
import { TallySettings } from "../ports/TallySettings.ts";
import { TaskStore } from "../ports/TaskStore.ts";
import { TenantDirectory } from "../ports/TenantDirectory.ts";
import { decodeWithIssues } from "../wire/SchemaIssues.ts";
import {
  type SubmitReportFieldNames,
  type SubmitReportRequest,
  submitReportInputFor,
} from "./SubmitReportInput.ts";

/** The names of what a caller sends, which an API may call differently (`from`, `startTime`). */
export type SubmitReportField = keyof SubmitReportFieldNames;

/** Options of `submitReport`. */
export interface SubmitReportOptions {
  /** Makes retries safe: the same key and input return the task the key first created. */
  readonly idempotencyKey?: string | undefined;
  /**
   * How the calling API names each field, so that errors name what the caller sent (e.g.
   * `{ start: "from", end: "to" }`); a field not listed keeps its name here.
   */
  readonly fieldNames?: SubmitReportFieldNames | undefined;
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
  input: SubmitReportRequest,
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
    const zone = yield* Effect.fromResult(zoneSelection(valid.zone, settings.localZone));
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
  input: SubmitReportRequest,
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
  readonly zone: TimeZoneSpec;
  /** Canonical JSON of the fields above and the zone spec's canonical text. */
  readonly fingerprint: string;
}

type FieldNamer = (field: SubmitReportField) => string;

const fieldNamer =
  (names: SubmitReportFieldNames | undefined): FieldNamer =>
  (field) =>
    names?.[field] ?? field;

/** What is wrong with an idempotency key: its length, or a character no backend can store. */
const idempotencyKeyIssues = (key: string, field: string): Array<FieldIssue> => {
  if (key.length < 1 || key.length > maxIdempotencyKeyLength) {
    const expected = `1 to ${maxIdempotencyKeyLength} characters`;
    return [{ field, expected, actual: describeGiven(key) }];
  }
  const unstorable = unstorableCharacter(key);
  return unstorable === undefined
    ? []
    : [
        {
          field,
          expected: `text with ${storableTextRule}`,
          actual: `${describeGiven(key)} (${unstorable})`,
        },
      ];
};

/** Validates the input with the Schema, naming fields as the caller does. */
const validateSubmission = (
  input: SubmitReportRequest,
  options: SubmitReportOptions,
  name: FieldNamer,
): Result.Result<ValidSubmission, ValidationError> => {
  const decoded = decodeWithIssues(submitReportInputFor(options.fieldNames), input);
  const key = options.idempotencyKey;
  const keyIssues: Array<FieldIssue> =
    key === undefined ? [] : idempotencyKeyIssues(key, name("idempotencyKey"));
  if (Result.isFailure(decoded) || keyIssues.length > 0) {
    // A request of no known type fails as a whole: it is the type that is wrong.
    const issues = Result.isFailure(decoded)
      ? decoded.failure.issues.map((i) => (i.field === "body" ? { ...i, field: "type" } : i))
      : [];
    return Result.fail(
      new ValidationError({
        issues: [
          ...issues.map((issue) => ({ ...issue, field: name(issue.field as SubmitReportField) })),
          ...keyIssues,
        ],
      }),
    );
  }
  const input_ = decoded.success;
  const tenantReport = input_.type === "CreateTenantReport";
  const valid = {
    type: input_.type,
    start: input_.start,
    end: input_.end,
    tenantId: input_.tenantId,
    organizationId: input_.organizationId,
    format: input_.format,
    variant: input_.variant ?? (tenantReport ? "detail" : "users"),
    columns: tenantReport ? (input_.columns ?? "vendor") : undefined,
    separator: input_.separator ?? ";",
    zone: input_.zone,
  } as const;
  const fingerprint = JSON.stringify([
    "submitReport/v1",
    valid.type,
    valid.start ?? null,
    valid.end ?? null,
    formatTimeZoneSpec(input_.zone),
    valid.tenantId ?? null,
    valid.organizationId ?? null,
    valid.format,
    valid.variant,
    valid.columns ?? null,
    valid.separator,
  ]);
  return Result.succeed({ ...valid, fingerprint });
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
    // Neither named: what the caller may see (an operator's own tenant, all for an administrator).
    const tenantId =
      valid.tenantId ??
      (yield* Effect.fromResult(authorizer.listingScopeFor(principal, undefined)));
    const filter: OrganizationFilter =
      tenantId === undefined
        ? { _tag: "AllOrganizations" }
        : { _tag: "OrganizationsOfTenant", tenantId };
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
        `an instant before ${name("end")}, which defaults to now (${describeInstant(end)})`,
        describeInstant(valid.start),
      );
    }
    if (target._tag !== "Tenants") return { start: end, end };
    const earliest = yield* (yield* ProtectionPeriodStore).earliestStart(target.filter);
    return {
      start: Option.match(earliest, { onNone: () => end, onSome: (e) => Math.min(e, end) }),
      end,
    };
  });
