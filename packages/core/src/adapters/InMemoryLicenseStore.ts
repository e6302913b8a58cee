/**
 * The in-memory LicenseStore: organizations, users and license events in maps, for tests,
 * demos and embedding. Each operation runs in one synchronous step, so batches are atomic.
 */
import { Effect, Layer, Option, Stream } from "effect";
import { compareCodePoints } from "../domain/CodePointOrder.ts";
import { StorageError } from "../domain/errors.ts";
import type {
  LicensedUser,
  LicenseEvent,
  LicenseEventRow,
  Organization,
  OrganizationFilter,
} from "../domain/License.ts";
import { LicenseStore } from "../ports/LicenseStore.ts";
import { emptyFactTables, type FactTables, inChunks, pageOf } from "./InMemoryFactTables.ts";

/** A license store over `tables` (fresh, empty ones by default). */
export const make = (tables: FactTables = emptyFactTables()): LicenseStore["Service"] =>
  LicenseStore.of({
    upsertOrganizations: (organizations) =>
      Effect.sync(() => {
        for (const o of organizations) tables.organizations.set(o.id, copyOrganization(o));
      }),
    upsertUsers: (users) =>
      Effect.suspend(() => {
        const orphan = users.find((user) => !tables.organizations.has(user.organizationId));
        if (orphan !== undefined) {
          return Effect.fail(
            constraintViolation(
              "upsertUsers",
              `user '${orphan.id}' names organization '${orphan.organizationId}', which does not exist`,
            ),
          );
        }
        for (const user of users) tables.users.set(user.id, copyUser(user));
        return Effect.void;
      }),
    upsertEvents: (events) =>
      Effect.suspend(() => {
        const orphan = events.find((event) => !tables.users.has(event.userId));
        if (orphan !== undefined) {
          return Effect.fail(
            constraintViolation(
              "upsertEvents",
              `license event '${orphan.id}' names user '${orphan.userId}', who does not exist`,
            ),
          );
        }
        for (const event of events) tables.events.set(event.id, copyEvent(event));
        return Effect.void;
      }),
    getOrganization: (id) =>
      Effect.sync(() =>
        Option.map(Option.fromNullishOr(tables.organizations.get(id)), copyOrganization),
      ),
    listOrganizations: (filter, page) =>
      Effect.sync(() =>
        pageOf(
          [...tables.organizations.values()].filter((o) => selects(filter, o)),
          page,
        ).map(copyOrganization),
      ),
    listUsers: (page) =>
      Effect.sync(() => {
        const { organizationId } = page;
        const users =
          organizationId === undefined
            ? tables.users.values()
            : [...tables.users.values()].filter((u) => u.organizationId === organizationId);
        return pageOf(users, page).map(copyUser);
      }),
    streamEvents: (filter, until) =>
      Stream.suspend(() => Stream.fromArrays(...inChunks(eventRows(tables, filter, until)))),
    countEvents: (filter, until) =>
      Effect.sync(() => {
        let count = 0;
        for (const event of tables.events.values()) {
          if (event.at < until && selectedUser(tables, filter, event) !== undefined) count++;
        }
        return count;
      }),
  });

/** A layer with a fresh, empty store each time it is built. */
export const layer: Layer.Layer<LicenseStore> = Layer.sync(LicenseStore, () => make());

const selects = (filter: OrganizationFilter, organization: Organization): boolean => {
  switch (filter._tag) {
    case "AllOrganizations":
      return true;
    case "OneOrganization":
      return organization.id === filter.organizationId;
    case "OrganizationsOfTenant":
      return organization.tenantId === filter.tenantId;
  }
};

/** The event's user, when the user's organization is one the filter selects. */
const selectedUser = (
  tables: FactTables,
  filter: OrganizationFilter,
  event: LicenseEvent,
): LicensedUser | undefined => {
  const user = tables.users.get(event.userId);
  if (user === undefined) return undefined;
  const organization = tables.organizations.get(user.organizationId);
  return organization !== undefined && selects(filter, organization) ? user : undefined;
};

const eventRows = (
  tables: FactTables,
  filter: OrganizationFilter,
  until: number,
): Array<LicenseEventRow> => {
  const rows: Array<LicenseEventRow> = [];
  for (const event of tables.events.values()) {
    if (event.at >= until) continue;
    const user = selectedUser(tables, filter, event);
    if (user === undefined) continue;
    rows.push({
      organizationId: user.organizationId,
      userId: user.id,
      userName: user.name,
      eventId: event.id,
      kind: event.kind,
      at: event.at,
    });
  }
  return rows.sort(compareEventRows);
};

/** Store order: organizationId, at, userId, eventId; strings by code point. */
const compareEventRows = (a: LicenseEventRow, b: LicenseEventRow): number =>
  compareCodePoints(a.organizationId, b.organizationId) ||
  a.at - b.at ||
  compareCodePoints(a.userId, b.userId) ||
  compareCodePoints(a.eventId, b.eventId);

const constraintViolation = (operation: string, detail: string): StorageError =>
  new StorageError({ reason: "ConstraintViolation", operation, detail });

const copyOrganization = (o: Organization): Organization => ({
  id: o.id,
  name: o.name,
  capacity: o.capacity,
  tenantId: o.tenantId,
});
const copyUser = (u: LicensedUser): LicensedUser => ({
  id: u.id,
  name: u.name,
  organizationId: u.organizationId,
});
const copyEvent = (e: LicenseEvent): LicenseEvent => ({
  id: e.id,
  userId: e.userId,
  kind: e.kind,
  at: e.at,
});
