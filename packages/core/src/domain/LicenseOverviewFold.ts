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
 * The license rules — one set, used by every figure, line and chart of the report:
 *
 * 1. Licences. A user is licensed from an `assigned` event until the next `revoked` event: a
 *    licence is the half-open period `[assigned, revoked)`. `assigned` while licensed changes
 *    nothing; `revoked` while not licensed is ignored. Events of one instant take effect
 *    together, so the outcome does not depend on event ids: the user is licensed after instant
 *    `t` when it was assigned at `t`, or was licensed before `t` and not revoked at `t` (an
 *    `assigned` and a `revoked` of one user at one instant: the assignment wins, and a licence
 *    revoked and re-assigned at one instant continues unbroken).
 * 2. Seats. At any instant an organization's licences are ranked by when they began, earliest
 *    first (ties by userId): the first `capacity` of them hold seats within capacity, any others
 *    are beyond capacity. A seat is never taken away from an earlier licence by a later one; a
 *    licence beyond capacity moves within capacity when earlier ones are revoked.
 * 3. Lines. One line per licence that is held at some instant of `[start, end)` or revoked
 *    within it (a licence revoked exactly at `start` gets its `Revoked` line), ordered by
 *    organizationId, userId, licensedSince. A user assigned, revoked and assigned again within
 *    the interval gets one line per licence. `licensedSince` is when the licence began (maybe
 *    before the interval); `revokedAt` its revocation when that falls within the interval.
 * 4. Status — where the licence stands at the end of the interval, so that the statuses of an
 *    organization add up to its figures at the end:
 *    - `Revoked`: revoked within the interval (`revokedAt` is set; no other status has it);
 *    - `Exceeded`: held at the end, in a seat beyond capacity (rule 2);
 *    - `New`: held at the end within capacity, and began within the interval;
 *    - `Licensed`: held at the end within capacity, and began before the interval.
 *    So `Licensed + New + Exceeded = licensedAtEnd`, `Exceeded = max(0, licensedAtEnd -
 *    capacity)`, and the `Revoked` lines are the revocations of the interval.
 * 5. Figures per organization:
 *    - `licensedAtEnd`: licences held just before `end`;
 *    - `newUsers`: distinct users with a licence that began within the interval (whatever its
 *      status now: one revoked since shows `Revoked`, one beyond capacity `Exceeded`);
 *    - `revokedUsers`: distinct users with a `Revoked` line;
 *    - `exceededUsers`: the `Exceeded` lines;
 *    - `peakLicensed`: the most licences held at once at an instant of `[start, end)`, and
 *      `peakAt` the first such instant (`start` when the count carried in is already the peak;
 *      null when nobody is licensed in the interval);
 *    - usage, from the end and from the peak: `usagePercent = licensedAtEnd / capacity * 100`
 *      and `peakUsagePercent = peakLicensed / capacity * 100`, rounded to 2 decimals, null when
 *      the capacity is 0;
 *    - `overCapacityMs`: how long within the interval more licences were held than the capacity;
 *    - `licensedOverTime`: the most licences held at once within each time bucket of the
 *      interval (`TimeBuckets`, at most `timelineBuckets` of them), for the chart.
 *    Organizations without events appear with zeros.
 *
 * Memory: the state of the current organization — its users, its lines (one per licence of the
 * interval) and one figure per time bucket — is a fresh value per organization, dropped when the
 * stream moves to the next one; the summaries are one small object per organization.
 */
import { Effect, Stream } from "effect";
import { compareCodePoints } from "./CodePointOrder.ts";
import type { Instant } from "./Instant.ts";
import type { LicenseEventRow, Organization } from "./License.ts";
import type { LicenseUserLine, OrganizationSummary } from "./ReportContent.ts";
import type { ReportingInterval } from "./ReportingInterval.ts";
import { bucketOf, type TimeBuckets, timeBuckets } from "./TimeBuckets.ts";

/** How many buckets `licensedOverTime` has at most unless asked otherwise: a day per bucket for a year. */
export const defaultTimelineBuckets = 400;

/** What a license overview needs: the interval and the organizations it covers, ordered by id. */
export interface LicenseOverviewOptions {
  readonly interval: ReportingInterval;
  readonly organizations: ReadonlyArray<Organization>;
  /** At most this many buckets in `licensedOverTime` (default `defaultTimelineBuckets`). */
  readonly timelineBuckets?: number;
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
  /** Listed among the current instant's users. */
  pending: boolean;
  assignedNow: boolean;
  revokedNow: boolean;
  countedNew: boolean;
  countedRevoked: boolean;
}

const byUserThenSince = (a: LicenseUserLine, b: LicenseUserLine): number =>
  compareCodePoints(a.userId, b.userId) || a.licensedSince - b.licensedSince;

/** Seat order (rule 2): earliest licence first, ties by userId. */
const bySeat = (a: UserState, b: UserState): number =>
  a.since - b.since || compareCodePoints(a.userId, b.userId);

const percentOf = (count: number, capacity: number): number | null =>
  capacity === 0 ? null : Math.round((count * 10_000) / capacity) / 100;

const emptySummary = (organization: Organization, buckets: TimeBuckets): OrganizationSummary => ({
  organizationId: organization.id,
  organizationName: organization.name,
  capacity: organization.capacity,
  licensedAtEnd: 0,
  newUsers: 0,
  revokedUsers: 0,
  exceededUsers: 0,
  peakLicensed: 0,
  peakAt: null,
  usagePercent: percentOf(0, organization.capacity),
  peakUsagePercent: percentOf(0, organization.capacity),
  overCapacityMs: 0,
  licensedOverTime: { buckets, mostLicensed: new Array<number>(buckets.count).fill(0) },
});

const outOfOrder = (row: LicenseEventRow, detail: string): never => {
  throw new Error(
    "license event rows out of store order (organizationId, at, userId, eventId): event " +
      `${JSON.stringify(row.eventId)} of organization ${JSON.stringify(row.organizationId)} ` +
      `has ${detail}`,
  );
};

/**
 * The fold of one organization's events, created afresh for each organization: everything it
 * holds starts empty with it and goes with it.
 */
class OrganizationFold {
  private readonly organization: Organization;
  private readonly start: number;
  private readonly end: number;
  private readonly buckets: TimeBuckets;
  private readonly users = new Map<string, UserState>();
  /** Lines of licences revoked within the interval. */
  private readonly lines: LicenseUserLine[] = [];
  private readonly pending: UserState[] = [];
  private readonly mostLicensed: number[];
  /** The instant whose events are being collected. */
  private instant = Number.NEGATIVE_INFINITY;
  /** Time before this has been accounted for in the peak, the over-capacity time and buckets. */
  private clock = Number.NEGATIVE_INFINITY;
  private licensed = 0;
  private peak = 0;
  private peakAt: Instant | null = null;
  private overCapacityMs = 0;
  private newUsers = 0;
  private revokedUsers = 0;

  constructor(organization: Organization, interval: ReportingInterval, buckets: TimeBuckets) {
    this.organization = organization;
    this.start = interval.start;
    this.end = interval.end;
    this.buckets = buckets;
    this.mostLicensed = new Array<number>(buckets.count).fill(0);
  }

  /** Takes the next event of this organization (its `at` is below the interval's end). */
  add(row: LicenseEventRow): void {
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
        pending: false,
        assignedNow: false,
        revokedNow: false,
        countedNew: false,
        countedRevoked: false,
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

  /** Ends the organization: appends its lines to `out` and returns its summary. */
  finish(out: LicenseUserLine[]): OrganizationSummary {
    this.settleInstant();
    this.advanceTo(this.end);
    const organization = this.organization;
    let exceeded = 0;
    if (this.start < this.end) {
      const held = [...this.users.values()].filter((user) => user.licensed).sort(bySeat);
      for (let seat = 0; seat < held.length; seat++) {
        const beyond = seat >= organization.capacity;
        if (beyond) exceeded++;
        this.addLine(held[seat] as UserState, null, beyond);
      }
    }
    const lines = this.lines.sort(byUserThenSince);
    for (let i = 0; i < lines.length; i++) out.push(lines[i] as LicenseUserLine);
    return {
      organizationId: organization.id,
      organizationName: organization.name,
      capacity: organization.capacity,
      licensedAtEnd: this.licensed,
      newUsers: this.newUsers,
      revokedUsers: this.revokedUsers,
      exceededUsers: exceeded,
      peakLicensed: this.peak,
      peakAt: this.peakAt,
      usagePercent: percentOf(this.licensed, organization.capacity),
      peakUsagePercent: percentOf(this.peak, organization.capacity),
      overCapacityMs: this.overCapacityMs,
      licensedOverTime: { buckets: this.buckets, mostLicensed: this.mostLicensed },
    };
  }

  /**
   * Accounts for the time from the clock to `t`, during which the count stayed as it is: the
   * peak, the time over capacity and the buckets it touches (each bucket once per change of the
   * count, so an organization costs its events plus its buckets).
   */
  private advanceTo(t: number): void {
    const from = Math.max(this.clock, this.start);
    const to = Math.min(t, this.end);
    const count = this.licensed;
    if (from < to && count > 0) {
      if (count > this.peak) {
        this.peak = count;
        this.peakAt = from;
      }
      if (count > this.organization.capacity) this.overCapacityMs += to - from;
      const last = bucketOf(this.buckets, to - 1);
      for (let b = bucketOf(this.buckets, from); b <= last; b++) {
        if ((this.mostLicensed[b] as number) < count) this.mostLicensed[b] = count;
      }
    }
    this.clock = t;
  }

  /** Applies the current instant's events (rule 1): its revocations first, then its licences. */
  private settleInstant(): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    const t = this.instant;
    this.advanceTo(t);
    for (let i = 0; i < pending.length; i++) {
      const user = pending[i] as UserState;
      if (user.licensed && user.revokedNow && !user.assignedNow) this.revoke(user, t);
    }
    for (let i = 0; i < pending.length; i++) {
      const user = pending[i] as UserState;
      if (!user.licensed && user.assignedNow) {
        user.licensed = true;
        user.since = t;
        this.licensed++;
      }
      user.pending = false;
      user.assignedNow = false;
      user.revokedNow = false;
    }
    pending.length = 0;
  }

  private revoke(user: UserState, t: number): void {
    user.licensed = false;
    this.licensed--;
    if (t >= this.start) {
      if (!user.countedRevoked) {
        user.countedRevoked = true;
        this.revokedUsers++;
      }
      this.addLine(user, t, false);
    }
  }

  private addLine(user: UserState, revokedAt: Instant | null, beyondCapacity: boolean): void {
    const organization = this.organization;
    const isNew = user.since >= this.start;
    if (isNew && !user.countedNew) {
      user.countedNew = true;
      this.newUsers++;
    }
    this.lines.push({
      organizationId: organization.id,
      organizationName: organization.name,
      userId: user.userId,
      userName: user.userName,
      status:
        revokedAt !== null ? "Revoked" : beyondCapacity ? "Exceeded" : isNew ? "New" : "Licensed",
      licensedSince: user.since,
      revokedAt,
    });
  }
}

class EventOrderLicenseOverviewFold implements LicenseOverviewFold {
  private readonly interval: ReportingInterval;
  private readonly organizations: ReadonlyArray<Organization>;
  private readonly buckets: TimeBuckets;
  private readonly indexById = new Map<string, number>();
  private readonly summaries: Array<OrganizationSummary | undefined>;
  /** The organizationId of the events being read (undefined before the first event). */
  private organizationId: string | undefined = undefined;
  /** The organization being folded and its index; undefined while skipping an unlisted one. */
  private current: { readonly fold: OrganizationFold; readonly index: number } | undefined;

  constructor(options: LicenseOverviewOptions) {
    this.interval = options.interval;
    this.organizations = options.organizations;
    this.buckets = timeBuckets(
      options.interval.start,
      options.interval.end,
      options.timelineBuckets ?? defaultTimelineBuckets,
    );
    for (let i = 0; i < options.organizations.length; i++) {
      this.indexById.set((options.organizations[i] as Organization).id, i);
    }
    this.summaries = new Array(options.organizations.length).fill(undefined);
  }

  push(rows: ReadonlyArray<LicenseEventRow>): LicenseUserLine[] {
    const out: LicenseUserLine[] = [];
    const end = this.interval.end;
    const n = rows.length;
    for (let i = 0; i < n; i++) {
      const row = rows[i] as LicenseEventRow;
      if (row.at >= end) continue;
      if (row.organizationId !== this.organizationId) this.enterOrganization(row, out);
      this.current?.fold.add(row);
    }
    return out;
  }

  finish(): LicenseOverview {
    const lines: LicenseUserLine[] = [];
    this.completeOrganization(lines);
    this.organizationId = undefined;
    const summaries: OrganizationSummary[] = [];
    for (let i = 0; i < this.organizations.length; i++) {
      const organization = this.organizations[i] as Organization;
      summaries.push(this.summaries[i] ?? emptySummary(organization, this.buckets));
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
    this.current =
      index === undefined
        ? undefined
        : {
            fold: new OrganizationFold(
              this.organizations[index] as Organization,
              this.interval,
              this.buckets,
            ),
            index,
          };
  }

  private completeOrganization(out: LicenseUserLine[]): void {
    const current = this.current;
    if (current !== undefined) this.summaries[current.index] = current.fold.finish(out);
    this.current = undefined;
  }
}

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
