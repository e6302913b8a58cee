/**
 * Data management: administrators load the facts that reports are made of — tenants, VMs,
 * protection periods, organizations, users and license events. Each batch is validated whole
 * (every problem named by its path, e.g. `items[3].end`), then written in one transaction;
 * writes replace by id, so sending a batch again changes nothing.
 *
 * References are checked too: a VM's tenant, a period's VM, a user's organization and an
 * event's user must exist (load them first). Stores enforce the last three themselves; when a
 * store refuses a batch, the offending items are looked up so the error names them.
 */
import { Effect, Option, type Result, type Schema } from "effect";
import {
  type FieldIssue,
  type ForbiddenError,
  StorageError,
  ValidationError,
} from "../domain/errors.ts";
import { quoteGiven } from "../domain/GivenText.ts";
import { LicensedUser, LicenseEvent, Organization } from "../domain/License.ts";
import type { Principal } from "../domain/Principal.ts";
import { ProtectionPeriod } from "../domain/ProtectionPeriod.ts";
import { Tenant, Vm } from "../domain/Tenant.ts";
import { Authorizer } from "../ports/Authorizer.ts";
import { LicenseStore } from "../ports/LicenseStore.ts";
import { ProtectionPeriodStore } from "../ports/ProtectionPeriodStore.ts";
import { TenantDirectory } from "../ports/TenantDirectory.ts";
import { decodeBatch } from "./BatchValidation.ts";

/** Options of the ingestion use cases. */
export interface IngestOptions {
  /** The name of the batch in error paths (default `items`, giving `items[3].id`). */
  readonly field?: string | undefined;
}

/** What any ingestion may fail with. */
export type IngestError = ValidationError | ForbiddenError | StorageError;

/** At most this many missing references are named in one error. */
const maxIssues = 20;

/** Inserts or replaces tenants by id; returns how many were written. */
export const ingestTenants = (
  principal: Principal,
  items: unknown,
  options: IngestOptions = {},
): Effect.Effect<number, IngestError, TenantDirectory> =>
  Effect.gen(function* () {
    const tenants = yield* admit(principal, "ingest tenants", Tenant, items, options);
    yield* (yield* TenantDirectory).upsertTenants(tenants);
    return tenants.length;
  });

/** Inserts or replaces VMs by id; a VM's tenant (when it has one) must exist. */
export const ingestVms = (
  principal: Principal,
  items: unknown,
  options: IngestOptions = {},
): Effect.Effect<number, IngestError, TenantDirectory> =>
  Effect.gen(function* () {
    const vms = yield* admit(principal, "ingest VMs", Vm, items, options);
    const directory = yield* TenantDirectory;
    const missing = yield* missingReferences(
      vms.map((vm) => vm.tenantId),
      (id) => Effect.map(directory.getTenant(id), Option.isSome),
    );
    if (missing.size > 0) {
      return yield* referenceError(vms, options, "tenantId", missing, "tenant");
    }
    yield* directory.upsertVms(vms);
    return vms.length;
  });

/** Inserts or replaces protection periods by id; each names a known VM (and ends after it starts). */
export const ingestProtectionPeriods = (
  principal: Principal,
  items: unknown,
  options: IngestOptions = {},
): Effect.Effect<number, IngestError, TenantDirectory | ProtectionPeriodStore> =>
  Effect.gen(function* () {
    const periods = yield* admit(
      principal,
      "ingest protection periods",
      ProtectionPeriod,
      items,
      options,
    );
    const directory = yield* TenantDirectory;
    yield* (yield* ProtectionPeriodStore).upsertPeriods(periods).pipe(
      onConstraintViolation(() =>
        Effect.gen(function* () {
          const missing = yield* missingReferences(
            periods.map((p) => p.vmId),
            (id) => Effect.map(directory.getVm(id), Option.isSome),
          );
          return missing.size === 0
            ? undefined
            : yield* referenceError(periods, options, "vmId", missing, "VM");
        }),
      ),
    );
    return periods.length;
  });

/** Inserts or replaces organizations by id. */
export const ingestOrganizations = (
  principal: Principal,
  items: unknown,
  options: IngestOptions = {},
): Effect.Effect<number, IngestError, LicenseStore> =>
  Effect.gen(function* () {
    const organizations = yield* admit(
      principal,
      "ingest organizations",
      Organization,
      items,
      options,
    );
    yield* (yield* LicenseStore).upsertOrganizations(organizations);
    return organizations.length;
  });

/** Inserts or replaces users by id; each names a known organization. */
export const ingestUsers = (
  principal: Principal,
  items: unknown,
  options: IngestOptions = {},
): Effect.Effect<number, IngestError, LicenseStore> =>
  Effect.gen(function* () {
    const users = yield* admit(principal, "ingest users", LicensedUser, items, options);
    const store = yield* LicenseStore;
    yield* store.upsertUsers(users).pipe(
      onConstraintViolation(() =>
        Effect.gen(function* () {
          const missing = yield* missingReferences(
            users.map((u) => u.organizationId),
            (id) => Effect.map(store.getOrganization(id), Option.isSome),
          );
          return missing.size === 0
            ? undefined
            : yield* referenceError(users, options, "organizationId", missing, "organization");
        }),
      ),
    );
    return users.length;
  });

/**
 * Inserts or replaces license events by id; each names a known user. The LicenseStore has no
 * lookup of one user, so a refused batch is reported with the store's own explanation.
 */
export const ingestLicenseEvents = (
  principal: Principal,
  items: unknown,
  options: IngestOptions = {},
): Effect.Effect<number, IngestError, LicenseStore> =>
  Effect.gen(function* () {
    const events = yield* admit(principal, "ingest license events", LicenseEvent, items, options);
    yield* (yield* LicenseStore)
      .upsertEvents(events)
      .pipe(
        onConstraintViolation((error) =>
          Effect.fail(
            ValidationError.single(
              `${options.field ?? "items"}[].userId`,
              "ids of known users (ingest the users first)",
              error.detail,
            ),
          ),
        ),
      );
    return events.length;
  });

/** Authorizes the principal, then decodes the batch. */
const admit = <S extends Schema.Top & { readonly DecodingServices: never }>(
  principal: Principal,
  action: string,
  schema: S,
  items: unknown,
  options: IngestOptions,
): Effect.Effect<ReadonlyArray<S["Type"]>, ValidationError | ForbiddenError> =>
  Effect.gen(function* () {
    const authorizer = yield* Authorizer;
    yield* Effect.fromResult(authorizer.requireAdministrator(principal, action));
    const decoded: Result.Result<ReadonlyArray<S["Type"]>, ValidationError> = decodeBatch(
      schema,
      items,
      options.field ?? "items",
    );
    return yield* Effect.fromResult(decoded);
  });

/** The distinct ids (nulls skipped) for which `exists` says no. */
const missingReferences = <E, R>(
  ids: ReadonlyArray<string | null>,
  exists: (id: string) => Effect.Effect<boolean, E, R>,
): Effect.Effect<ReadonlySet<string>, E, R> =>
  Effect.gen(function* () {
    const missing = new Set<string>();
    const distinct = new Set<string>();
    for (const id of ids) if (id !== null) distinct.add(id);
    for (const id of distinct) {
      if (!(yield* exists(id))) missing.add(id);
      if (missing.size >= maxIssues) break;
    }
    return missing;
  });

/** A ValidationError naming each item whose `key` refers to a missing `kind`. */
const referenceError = <K extends string>(
  items: ReadonlyArray<{ readonly [k in K]: string | null }>,
  options: IngestOptions,
  key: K,
  missing: ReadonlySet<string>,
  kind: string,
): Effect.Effect<never, ValidationError> => {
  const field = options.field ?? "items";
  const issues: Array<FieldIssue> = [];
  items.forEach((item, i) => {
    const id = item[key];
    if (id !== null && missing.has(id) && issues.length < maxIssues) {
      issues.push({
        field: `${field}[${i}].${key}`,
        expected: `the id of a known ${kind} (ingest the ${kind}s first)`,
        actual: quoteGiven(id),
      });
    }
  });
  return Effect.fail(new ValidationError({ issues }));
};

/**
 * Turns a store's ConstraintViolation into what `explain` finds (a ValidationError naming the
 * items); if it finds nothing, the StorageError stands. Other errors pass through.
 */
const onConstraintViolation =
  <R>(
    explain: (error: StorageError) => Effect.Effect<undefined, ValidationError | StorageError, R>,
  ) =>
  <A, E>(
    self: Effect.Effect<A, E | StorageError, R>,
  ): Effect.Effect<A, E | StorageError | ValidationError, R> =>
    Effect.catchIf(
      self,
      (error): error is StorageError =>
        error instanceof StorageError && error.reason === "ConstraintViolation",
      (error) => Effect.flatMap(explain(error), () => Effect.fail(error)),
    );
