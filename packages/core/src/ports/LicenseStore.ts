/**
 * The LicenseStore port: organizations, users and license events.
 */
import { Context, type Effect, type Option, type Stream } from "effect";
import type { StorageError } from "../domain/errors.ts";
import type { Instant } from "../domain/Instant.ts";
import type {
  LicensedUser,
  LicenseEvent,
  LicenseEventRow,
  Organization,
  OrganizationFilter,
} from "../domain/License.ts";
import type { PageRequest } from "./TenantDirectory.ts";

/** Organizations, users and license events. Upserts replace by id and are idempotent. */
export class LicenseStore extends Context.Service<
  LicenseStore,
  {
    /** Inserts or replaces organizations by id, in one transaction. */
    readonly upsertOrganizations: (
      organizations: ReadonlyArray<Organization>,
    ) => Effect.Effect<void, StorageError>;
    /** Inserts or replaces users by id; unknown organizations fail with ConstraintViolation. */
    readonly upsertUsers: (users: ReadonlyArray<LicensedUser>) => Effect.Effect<void, StorageError>;
    /** Inserts or replaces events by id; unknown users fail with ConstraintViolation. */
    readonly upsertEvents: (
      events: ReadonlyArray<LicenseEvent>,
    ) => Effect.Effect<void, StorageError>;
    /** The organization with this id, if any. */
    readonly getOrganization: (
      id: string,
    ) => Effect.Effect<Option.Option<Organization>, StorageError>;
    /** Organizations the filter selects, ordered by id (code point order). */
    readonly listOrganizations: (
      filter: OrganizationFilter,
      page: PageRequest,
    ) => Effect.Effect<ReadonlyArray<Organization>, StorageError>;
    /** Users ordered by id, optionally of one organization. */
    readonly listUsers: (
      page: PageRequest & { readonly organizationId?: string | undefined },
    ) => Effect.Effect<ReadonlyArray<LicensedUser>, StorageError>;
    /**
     * Events with `at < until` of the organizations the filter selects, joined with their user,
     * ordered by organizationId, at, userId, eventId. Memory stays bounded.
     */
    readonly streamEvents: (
      filter: OrganizationFilter,
      until: Instant,
    ) => Stream.Stream<LicenseEventRow, StorageError>;
    /**
     * How many rows `streamEvents` would yield (for progress). A report asks for it as its
     * stream starts and reads rows while it counts, so it may run beside an open stream.
     */
    readonly countEvents: (
      filter: OrganizationFilter,
      until: Instant,
    ) => Effect.Effect<number, StorageError>;
  }
>()("tally/core/LicenseStore") {}
