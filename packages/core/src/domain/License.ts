/**
 * License facts: organizations with a capacity, their users, and assign/revoke events.
 */
import { Schema } from "effect";
import { FactId } from "./FactId.ts";
import { Instant } from "./Instant.ts";
import { FactName } from "./StorableText.ts";

/** An organization whose users hold licenses; `tenantId` links it to a tenant (or null). */
export const Organization = Schema.Struct({
  id: FactId,
  name: FactName,
  capacity: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  tenantId: Schema.NullOr(FactId),
});
/** An organization whose users hold licenses. */
export type Organization = typeof Organization.Type;

/** A user of an organization (a name or an e-mail address). */
export const LicensedUser = Schema.Struct({
  id: FactId,
  name: FactName,
  organizationId: FactId,
});
/** A user of an organization. */
export type LicensedUser = typeof LicensedUser.Type;

/** What happened to a user's license. */
export const LicenseEventKind = Schema.Literals(["assigned", "revoked"]);
/** What happened to a user's license. */
export type LicenseEventKind = typeof LicenseEventKind.Type;

/** A license was assigned to or revoked from a user at an instant; `id` makes ingestion idempotent. */
export const LicenseEvent = Schema.Struct({
  id: FactId,
  userId: FactId,
  kind: LicenseEventKind,
  at: Instant,
});
/** A license was assigned to or revoked from a user at an instant. */
export type LicenseEvent = typeof LicenseEvent.Type;

/** Which organizations a license report covers. */
export const OrganizationFilter = Schema.Union([
  Schema.TaggedStruct("AllOrganizations", {}),
  Schema.TaggedStruct("OneOrganization", { organizationId: Schema.String }),
  Schema.TaggedStruct("OrganizationsOfTenant", { tenantId: Schema.String }),
]);
/** Which organizations a license report covers. */
export type OrganizationFilter = typeof OrganizationFilter.Type;

/**
 * A license event joined with its user, as `LicenseStore.streamEvents` yields it, ordered by
 * organizationId, at, userId, eventId (strings by code point).
 */
export interface LicenseEventRow {
  readonly organizationId: string;
  readonly userId: string;
  readonly userName: string;
  readonly eventId: string;
  readonly kind: LicenseEventKind;
  readonly at: number;
}
