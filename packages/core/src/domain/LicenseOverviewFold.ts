/**
 * The license overview report, folded from license events: the per-user lines and the
 * per-organization summaries.
 *
 * Input: `LicenseEventRow`s in store order (organizationId, at, userId, eventId; strings by code
 * point) holding every event with `at < interval.end` — also those before `interval.start`, which
 * say who is licensed when the interval begins — and the organizations the report covers,
 * ordered by id. Events with `at >= interval.end` are ignored; events of an organization that is
 * not in the list are skipped (it was filtered out, or created after the list was read).
 *
 * Rules, in the order they apply:
 * - A user is licensed from an `assigned` event until the next `revoked` event: a licence is the
 *   half-open period `[assigned, revoked)`. `assigned` while licensed changes nothing; `revoked`
 *   while not licensed is ignored.
 * - Events of one instant take effect together, so the outcome does not depend on event ids.
 *   Per user, the user is licensed after instant `t` when it was assigned at `t`, or was licensed
 *   before `t` and not revoked at `t` (an `assigned` and a `revoked` at the same instant: the
 *   assignment wins; a licence revoked and re-assigned at one instant continues unbroken). The
 *   instant's revocations apply first, then its new licences in userId order.
 * - Capacity: a licence that begins while the organization already has `capacity` licensed users
 *   is `Exceeded`, and stays so until it is revoked (later revocations of others do not change it).
 * - Lines: one line per licence that holds at some instant of `[start, end)`, ordered by
 *   organizationId, userId, licensedSince. A user assigned, revoked and assigned again within the
 *   interval gets one line per licence — each line is a true fact, and none is invented by
 *   joining them. Status: `Exceeded` when the licence began beyond capacity; else `New` when it
 *   began within the interval; else `Licensed`. `licensedSince` is when the licence began (it may
 *   be before the interval); `revokedAt` is its revocation when that falls within the interval,
 *   else null.
 * - Summary per organization: `licensedAtEnd` is the count just before `interval.end`;
 *   `newUsers` the distinct users with a licence beginning within the interval (Exceeded ones
 *   included); `revokedUsers` the distinct users with a revocation at an instant within the
 *   interval (a revocation exactly at `interval.start` counts, although that user has no line:
 *   the licence `[since, start)` holds at no instant of the interval); `exceededUsers` the
 *   distinct users with an `Exceeded` line; `peakLicensed` the largest count over `[start, end)`
 *   and `peakAt` the first instant it is reached (`interval.start` when the count carried in is
 *   already the peak; null when nobody is licensed in the interval); `usagePercent` is
 *   `licensedAtEnd / capacity * 100` rounded to 2 decimals, null when capacity is 0.
 *   Organizations without events appear with zeros.
 *
 * Memory: the state of the current organization's users and its lines (one per licence holding
 * in the interval), released when the stream moves to the next organization; the summaries are
 * one small object per organization.
 */
import { Effect, Stream } from "effect";
import { compareCodePoints } from "./CodePointOrder.ts";
import type { Instant } from "./Instant.ts";
import type { LicenseEventRow, Organization } from "./License.ts";
import type { LicenseUserLine, OrganizationSummary } from "./ReportContent.ts";
import type { ReportingInterval } from "./ReportingInterval.ts";

/** What a license overview needs: the interval and the organizations it covers, ordered by id. */
export interface LicenseOverviewOptions {
  readonly interval: ReportingInterval;
  readonly organizations: ReadonlyArray<Organization>;
}

/** The whole content of a license overview. */
export interface LicenseOverview {
  readonly lines: LicenseUserLine[];
  readonly summaries: OrganizationSummary[];
}

/** A stateful fold of license events (in store order) into a license overview. */
export interface LicenseOverviewFold {
  /** Consumes the next events; returns the lines of the organizations completed so far. */
  readonly push: (rows: ReadonlyArray<LicenseEventRow>) => LicenseUserLine[];
  /** Ends the input; returns the last organization's lines and every organization's summary. */
  readonly finish: () => LicenseOverview;
}

/** One user of the organization being folded. */
interface UserState {
  readonly userId: string;
  userName: string;
  licensed: boolean;
  since: number;
  exceeded: boolean;
  /** Listed among the current instant's users. */
  pending: boolean;
  assignedNow: boolean;
  revokedNow: boolean;
  countedNew: boolean;
  countedRevoked: boolean;
  countedExceeded: boolean;
}

const byUserThenSince = (a: LicenseUserLine, b: LicenseUserLine): number =>
  compareCodePoints(a.userId, b.userId) || a.licensedSince - b.licensedSince;

const usagePercent = (licensed: number, capacity: number): number | null =>
  capacity === 0 ? null : Math.round((licensed * 10_000) / capacity) / 100;

const emptySummary = (organization: Organization): OrganizationSummary => ({
  organizationId: organization.id,
  organizationName: organization.name,
  capacity: organization.capacity,
  licensedAtEnd: 0,
  newUsers: 0,
  revokedUsers: 0,
  exceededUsers: 0,
  peakLicensed: 0,
  peakAt: null,
  usagePercent: usagePercent(0, organization.capacity),
});

class EventOrderLicenseOverviewFold implements LicenseOverviewFold {
  private readonly start: number;
  private readonly end: number;
  private readonly organizations: ReadonlyArray<Organization>;
  private readonly indexById = new Map<string, number>();
  private readonly summaries: Array<OrganizationSummary | undefined>;

  /** The organizationId of the events being read (undefined before the first event). */
  private organizationId: string | undefined = undefined;
  /** The organization being folded; undefined while skipping an unlisted organization. */
  private organization: Organization | undefined = undefined;
  private organizationIndex = 0;
  private users = new Map<string, UserState>();
  private lines: LicenseUserLine[] = [];
  private readonly pending: UserState[] = [];
  private instant = Number.NEGATIVE_INFINITY;
  private licensed = 0;
  private startSeen = false;
  private peak = 0;
  private peakAt: Instant | null = null;
  private newUsers = 0;
  private revokedUsers = 0;
  private exceededUsers = 0;

  constructor(options: LicenseOverviewOptions) {
    this.start = options.interval.start;
    this.end = options.interval.end;
    this.organizations = options.organizations;
    for (let i = 0; i < options.organizations.length; i++) {
      this.indexById.set((options.organizations[i] as Organization).id, i);
    }
    this.summaries = new Array(options.organizations.length).fill(undefined);
  }

  push(rows: ReadonlyArray<LicenseEventRow>): LicenseUserLine[] {
    const out: LicenseUserLine[] = [];
    const n = rows.length;
    for (let i = 0; i < n; i++) {
      const row = rows[i] as LicenseEventRow;
      if (row.at >= this.end) continue;
      if (row.organizationId !== this.organizationId) this.enterOrganization(row, out);
      if (this.organization === undefined) continue;
      if (row.at !== this.instant) {
        if (row.at < this.instant) outOfOrder(row, `at ${row.at} after at ${this.instant}`);
        this.settleInstant();
        this.instant = row.at;
      }
      let user = this.users.get(row.userId);
      if (user === undefined) {
        user = {
          userId: row.userId,
          userName: row.userName,
          licensed: false,
          since: 0,
          exceeded: false,
          pending: false,
          assignedNow: false,
          revokedNow: false,
          countedNew: false,
          countedRevoked: false,
          countedExceeded: false,
        };
        this.users.set(row.userId, user);
      } else {
        user.userName = row.userName;
      }
      if (!user.pending) {
        user.pending = true;
        this.pending.push(user);
      }
      if (row.kind === "assigned") user.assignedNow = true;
      else user.revokedNow = true;
    }
    return out;
  }

  finish(): LicenseOverview {
    const lines: LicenseUserLine[] = [];
    this.completeOrganization(lines);
    this.organizationId = undefined;
    const summaries: OrganizationSummary[] = [];
    for (let i = 0; i < this.organizations.length; i++) {
      summaries.push(this.summaries[i] ?? emptySummary(this.organizations[i] as Organization));
      this.summaries[i] = undefined;
    }
    return { lines, summaries };
  }

  private enterOrganization(row: LicenseEventRow, out: LicenseUserLine[]): void {
    const previous = this.organizationId;
    if (previous !== undefined && compareCodePoints(previous, row.organizationId) > 0) {
      outOfOrder(row, `organizationId after ${JSON.stringify(previous)}`);
    }
    this.completeOrganization(out);
    this.organizationId = row.organizationId;
    const index = this.indexById.get(row.organizationId);
    this.organization = index === undefined ? undefined : this.organizations[index];
    this.organizationIndex = index ?? 0;
  }

  /** Applies the current instant's events (see the rules in the header), then tracks the peak. */
  private settleInstant(): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    const t = this.instant;
    // Events after the start: the count carried in held on [start, t). Events exactly at the
    // start define the count at the start themselves (the peak check below records it).
    if (!this.startSeen && t > this.start) this.seeStart();
    if (t === this.start) this.startSeen = true;
    for (let i = 0; i < pending.length; i++) {
      const user = pending[i] as UserState;
      if (user.licensed && user.revokedNow && !user.assignedNow) this.endLicence(user, t);
    }
    const capacity = (this.organization as Organization).capacity;
    for (let i = 0; i < pending.length; i++) {
      const user = pending[i] as UserState;
      if (!user.licensed && user.assignedNow) {
        user.licensed = true;
        user.since = t;
        user.exceeded = this.licensed >= capacity;
        this.licensed++;
      }
      user.pending = false;
      user.assignedNow = false;
      user.revokedNow = false;
    }
    pending.length = 0;
    if (t >= this.start && this.licensed > this.peak) {
      this.peak = this.licensed;
      this.peakAt = t;
    }
  }

  /** Registers the count carried into the interval from events before it. */
  private seeStart(): void {
    this.startSeen = true;
    if (this.start < this.end && this.licensed > this.peak) {
      this.peak = this.licensed;
      this.peakAt = this.start;
    }
  }

  private endLicence(user: UserState, t: number): void {
    user.licensed = false;
    this.licensed--;
    if (t >= this.start && !user.countedRevoked) {
      user.countedRevoked = true;
      this.revokedUsers++;
    }
    if (t > this.start) this.addLine(user, t);
  }

  private addLine(user: UserState, revokedAt: Instant | null): void {
    const organization = this.organization as Organization;
    const isNew = user.since >= this.start;
    if (isNew && !user.countedNew) {
      user.countedNew = true;
      this.newUsers++;
    }
    if (user.exceeded && !user.countedExceeded) {
      user.countedExceeded = true;
      this.exceededUsers++;
    }
    this.lines.push({
      organizationId: organization.id,
      organizationName: organization.name,
      userId: user.userId,
      userName: user.userName,
      status: user.exceeded ? "Exceeded" : isNew ? "New" : "Licensed",
      licensedSince: user.since,
      revokedAt,
    });
  }

  private completeOrganization(out: LicenseUserLine[]): void {
    const organization = this.organization;
    if (organization !== undefined) {
      this.settleInstant();
      if (!this.startSeen) this.seeStart();
      if (this.start < this.end) {
        for (const user of this.users.values()) if (user.licensed) this.addLine(user, null);
      }
      const lines = this.lines.sort(byUserThenSince);
      for (let i = 0; i < lines.length; i++) out.push(lines[i] as LicenseUserLine);
      this.summaries[this.organizationIndex] = {
        organizationId: organization.id,
        organizationName: organization.name,
        capacity: organization.capacity,
        licensedAtEnd: this.licensed,
        newUsers: this.newUsers,
        revokedUsers: this.revokedUsers,
        exceededUsers: this.exceededUsers,
        peakLicensed: this.peak,
        peakAt: this.peakAt,
        usagePercent: usagePercent(this.licensed, organization.capacity),
      };
    }
    this.organization = undefined;
    this.users = new Map();
    this.lines = [];
    this.pending.length = 0;
    this.instant = Number.NEGATIVE_INFINITY;
    this.licensed = 0;
    this.startSeen = false;
    this.peak = 0;
    this.peakAt = null;
    this.newUsers = 0;
    this.revokedUsers = 0;
    this.exceededUsers = 0;
  }
}

const outOfOrder = (row: LicenseEventRow, detail: string): never => {
  throw new Error(
    "license event rows out of store order (organizationId, at, userId, eventId): event " +
      `${JSON.stringify(row.eventId)} of organization ${JSON.stringify(row.organizationId)} ` +
      `has ${detail}`,
  );
};

/**
 * Creates a fold of license events into a license overview. Events that break the store order
 * throw a defect naming the event: folding them would misstate who was licensed when.
 */
export const makeLicenseOverviewFold = (options: LicenseOverviewOptions): LicenseOverviewFold =>
  new EventOrderLicenseOverviewFold(options);

/** The per-user lines of a license overview, streamed organization by organization. */
export const licenseUserLines = <E, R>(
  events: Stream.Stream<LicenseEventRow, E, R>,
  options: LicenseOverviewOptions,
): Stream.Stream<LicenseUserLine, E, R> =>
  Stream.suspend(() => {
    const fold = makeLicenseOverviewFold(options);
    return Stream.concat(
      Stream.mapAccumArray(
        events,
        () => fold,
        (state, chunk) => [state, state.push(chunk)],
      ),
      Stream.suspend(() => Stream.fromArray(fold.finish().lines)),
    );
  });

/** The per-organization summaries of a license overview, in the organizations' order. */
export const summarizeOrganizations = <E, R>(
  events: Stream.Stream<LicenseEventRow, E, R>,
  options: LicenseOverviewOptions,
): Effect.Effect<ReadonlyArray<OrganizationSummary>, E, R> =>
  Effect.suspend(() => {
    const fold = makeLicenseOverviewFold(options);
    return Effect.map(
      Stream.runForEachArray(events, (chunk) => Effect.sync(() => fold.push(chunk))),
      () => fold.finish().summaries,
    );
  });
