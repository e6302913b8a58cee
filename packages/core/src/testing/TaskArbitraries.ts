/**
 * fast-check arbitraries for report tasks and report metadata. Every value is consistent
 * with the lifecycle (a lease exactly while Running, a result only in terminal states,
 * timestamps in order, attempts within maxAttempts). Each arbitrary draws a flat record of
 * independent "seeds" and derives the value with `map`, so failures shrink well.
 *
 * Strings are well-formed Unicode without U+0000: stores must keep any text a person can
 * type, but PostgreSQL's `text` and `jsonb` cannot hold NUL.
 *
 * Ids, text and requests come from `DomainArbitraries.ts`.
 */
import * as fc from "fast-check";
import type { Instant } from "../domain/Instant.ts";
import type { Principal } from "../domain/Principal.ts";
import type { ReportMeta } from "../domain/Report.ts";
import type { ReportRequest } from "../domain/ReportRequest.ts";
import type { ReportTask, TaskState, TaskStateTag, TaskType } from "../domain/ReportTask.ts";
import { taskStateTags } from "../domain/ReportTask.ts";
import { displayNameArbitrary, idArbitrary, reportRequestArbitrary } from "./DomainArbitraries.ts";

/** 2000-01-01T00:00:00Z: the default earliest `createdAt` of generated tasks and reports. */
export const defaultMinCreatedAt: Instant = 946_684_800_000;
/** 2100-01-01T00:00:00Z: the default latest `createdAt` of generated tasks and reports. */
export const defaultMaxCreatedAt: Instant = 4_102_444_800_000;

const DAY_MS = 86_400_000;

/** Short ids (the domain allows up to 128 characters; long ones only slow the suites). */
const shortId = (): fc.Arbitrary<string> => idArbitrary({ maxLength: 24 });

/** Constraints of `taskStateArbitrary`. */
export interface TaskStateConstraints {
  /** The states to draw from (default: all five). */
  readonly states?: ReadonlyArray<TaskStateTag>;
}

/** A task state; Succeeded carries a report id, Failed a code and a message. */
export const taskStateArbitrary = (
  constraints: TaskStateConstraints = {},
): fc.Arbitrary<TaskState> =>
  fc
    .record({
      tag: fc.constantFrom(...(constraints.states ?? taskStateTags)),
      reportId: shortId(),
      code: fc.constantFrom("AttemptsExhausted", "RenderFailed", "StorageFailed"),
      message: displayNameArbitrary({ maxLength: 40 }),
    })
    .map(({ tag, reportId, code, message }) => stateOf(tag, reportId, { code, message }));

const stateOf = (
  tag: TaskStateTag,
  reportId: string,
  error: { readonly code: string; readonly message: string },
): TaskState => {
  switch (tag) {
    case "Succeeded":
      return { _tag: "Succeeded", reportId };
    case "Failed":
      return { _tag: "Failed", error };
    default:
      return { _tag: tag };
  }
};

/** Constraints of `reportTaskArbitrary`. */
export interface ReportTaskConstraints {
  /** The states to draw from (default: all five). */
  readonly states?: ReadonlyArray<TaskStateTag>;
  /** Earliest `createdAt` (default 2000-01-01T00:00:00Z). */
  readonly minCreatedAt?: Instant;
  /** Latest `createdAt` (default 2100-01-01T00:00:00Z). */
  readonly maxCreatedAt?: Instant;
  /** Largest `maxAttempts` (default 5; the smallest is 1). */
  readonly maxAttempts?: number;
  /**
   * The tenant scopes to draw from (default: any — null, or the tenant the request names).
   * The request is made to match: a scope's tenant report covers that one tenant.
   */
  readonly tenantScopes?: ReadonlyArray<string | null>;
  /** The ids to draw from (default: `idArbitrary` up to 24 characters). */
  readonly id?: fc.Arbitrary<string>;
}

/** A report task in any state the lifecycle can reach, consistent in every field. */
export const reportTaskArbitrary = (
  constraints: ReportTaskConstraints = {},
): fc.Arbitrary<ReportTask> => {
  const maxAttempts = Math.max(1, constraints.maxAttempts ?? 5);
  return fc
    .record({
      id: constraints.id ?? shortId(),
      scoped: scopedRequestArbitrary(constraints.tenantScopes),
      state: taskStateArbitrary(
        constraints.states === undefined ? {} : { states: constraints.states },
      ),
      maxAttempts: fc.integer({ min: 1, max: maxAttempts }),
      attemptsSeed: fc.nat(maxAttempts),
      progressSeed: fc.integer({ min: 0, max: 100 }),
      cancelSeed: fc.boolean(),
      workerId: shortId(),
      leaseMs: fc.integer({ min: 1, max: 3_600_000 }),
      createdAt: fc.integer({
        min: constraints.minCreatedAt ?? defaultMinCreatedAt,
        max: constraints.maxCreatedAt ?? defaultMaxCreatedAt,
      }),
      toStart: fc.nat(DAY_MS),
      toFinish: fc.nat(DAY_MS),
      toChange: fc.nat(DAY_MS),
      extraVersions: fc.nat(20),
      idempotencyKey: fc.option(displayNameArbitrary(), { nil: null }),
    })
    .map((seed): ReportTask => {
      const tag = seed.state._tag;
      const attempts = attemptsOf(tag, seed.attemptsSeed, seed.maxAttempts);
      const started = attempts > 0;
      const startedAt = started ? seed.createdAt + seed.toStart : null;
      const terminal = tag === "Succeeded" || tag === "Failed" || tag === "Cancelled";
      const finishedAt = terminal ? (startedAt ?? seed.createdAt) + seed.toFinish : null;
      // A Queued task that ran before went back to the queue some time after it started.
      const requeuedAt = tag === "Queued" && startedAt !== null ? startedAt + seed.toFinish : null;
      const stateChangedAt = finishedAt ?? requeuedAt ?? startedAt ?? seed.createdAt;
      const changedAt = stateChangedAt + seed.toChange;
      const cancelRequested =
        tag === "Cancelled" || (tag !== "Queued" && seed.cancelSeed && started);
      return {
        id: seed.id,
        type: seed.scoped.type,
        request: seed.scoped.request,
        principal: seed.scoped.principal,
        tenantScope: seed.scoped.tenantScope,
        state: seed.state,
        progress: tag === "Succeeded" ? 100 : tag === "Queued" || !started ? 0 : seed.progressSeed,
        attempts,
        maxAttempts: seed.maxAttempts,
        lease:
          tag === "Running"
            ? { workerId: seed.workerId, expiresAt: changedAt + seed.leaseMs }
            : null,
        cancelRequested,
        createdAt: seed.createdAt,
        startedAt,
        finishedAt,
        stateChangedAt,
        changedAt,
        idempotencyKey: seed.idempotencyKey,
        version: minimumVersion(tag, attempts, cancelRequested) + seed.extraVersions,
      };
    });
};

/** Attempts a task in this state can have: a queued one has one left, a running one used one. */
const attemptsOf = (tag: TaskStateTag, seed: number, maxAttempts: number): number => {
  switch (tag) {
    case "Queued":
      return seed % maxAttempts;
    case "Cancelled":
      return seed % (maxAttempts + 1);
    default:
      return 1 + (seed % maxAttempts);
  }
};

/** The fewest transitions that reach the state: each attempt is a claim and an ending. */
const minimumVersion = (tag: TaskStateTag, attempts: number, cancelRequested: boolean): number => {
  switch (tag) {
    case "Queued":
      return 2 * attempts;
    case "Running":
      return 2 * attempts - 1 + (cancelRequested ? 1 : 0);
    case "Cancelled":
      return attempts === 0 ? 1 : 2 * attempts;
    default:
      return 2 * attempts;
  }
};

/** Constraints of `reportMetaArbitrary`. */
export interface ReportMetaConstraints {
  /** Earliest `createdAt` (default 2000-01-01T00:00:00Z). */
  readonly minCreatedAt?: Instant;
  /** Latest `createdAt` (default 2100-01-01T00:00:00Z). */
  readonly maxCreatedAt?: Instant;
  /** Longest retention, `expiresAt - createdAt` in ms (default 30 days; the shortest is 1). */
  readonly maxRetentionMs?: number;
  /** The tenant scopes to draw from (default: any, as for tasks). */
  readonly tenantScopes?: ReadonlyArray<string | null>;
  /** The ids to draw from (default: `idArbitrary` up to 24 characters). */
  readonly id?: fc.Arbitrary<string>;
}

/**
 * Metadata of a stored report: type, format, content type and file name agree with the
 * request; `sha256` is 64 lowercase hex digits (not the digest of any particular content).
 */
export const reportMetaArbitrary = (
  constraints: ReportMetaConstraints = {},
): fc.Arbitrary<ReportMeta> =>
  fc
    .record({
      id: constraints.id ?? shortId(),
      taskId: shortId(),
      scoped: scopedRequestArbitrary(constraints.tenantScopes),
      baseName: displayNameArbitrary(),
      createdAt: fc.integer({
        min: constraints.minCreatedAt ?? defaultMinCreatedAt,
        max: constraints.maxCreatedAt ?? defaultMaxCreatedAt,
      }),
      retentionMs: fc.integer({ min: 1, max: constraints.maxRetentionMs ?? 30 * DAY_MS }),
      rowCount: fc.nat(10_000_000),
      byteSize: fc.nat(2 ** 40),
      sha256: fc.string({
        unit: fc.constantFrom(..."0123456789abcdef"),
        minLength: 64,
        maxLength: 64,
      }),
    })
    .map((seed): ReportMeta => {
      const format = seed.scoped.request.format;
      return {
        id: seed.id,
        taskId: seed.taskId,
        type: seed.scoped.type,
        format,
        contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/pdf",
        fileName: `${seed.baseName}.${format}`,
        request: seed.scoped.request,
        tenantScope: seed.scoped.tenantScope,
        createdAt: seed.createdAt,
        expiresAt: seed.createdAt + seed.retentionMs,
        rowCount: seed.rowCount,
        byteSize: seed.byteSize,
        sha256: seed.sha256,
      };
    });

/** A request with the task type, principal and tenant scope that go with it. */
interface ScopedRequest {
  readonly type: TaskType;
  readonly request: ReportRequest;
  readonly principal: Principal;
  readonly tenantScope: string | null;
}

const scopedRequestArbitrary = (
  tenantScopes: ReadonlyArray<string | null> | undefined,
): fc.Arbitrary<ScopedRequest> =>
  fc
    .record({
      request: reportRequestArbitrary(),
      scope: tenantScopes === undefined ? fc.constant(undefined) : fc.constantFrom(...tenantScopes),
      principalId: shortId(),
      asOperator: fc.boolean(),
    })
    .map(({ request, scope, principalId, asOperator }): ScopedRequest => {
      const scoped = scope === undefined ? request : withTenantScope(request, scope);
      const tenantScope = tenantScopeOf(scoped);
      const principal: Principal =
        tenantScope !== null && asOperator
          ? { id: principalId, role: "TenantOperator", tenantId: tenantScope }
          : { id: principalId, role: "Administrator", tenantId: null };
      const type: TaskType =
        scoped._tag === "TenantReport" ? "CreateTenantReport" : "CreateLicenseOverviewReport";
      return { type, request: scoped, principal, tenantScope };
    });

/** The one tenant a request covers, or null. */
const tenantScopeOf = (request: ReportRequest): string | null => {
  if (request._tag === "TenantReport") {
    return request.tenant._tag === "OneTenant" ? request.tenant.tenantId : null;
  }
  return request.organizations._tag === "OrganizationsOfTenant"
    ? request.organizations.tenantId
    : null;
};

/** The request narrowed to one tenant (or widened to all, for a null scope). */
const withTenantScope = (request: ReportRequest, scope: string | null): ReportRequest => {
  if (request._tag === "TenantReport") {
    return {
      ...request,
      tenant: scope === null ? { _tag: "AllTenants" } : { _tag: "OneTenant", tenantId: scope },
    };
  }
  return {
    ...request,
    organizations:
      scope === null
        ? { _tag: "AllOrganizations" }
        : { _tag: "OrganizationsOfTenant", tenantId: scope },
  };
};
