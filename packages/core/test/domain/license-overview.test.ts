import { Effect, Stream } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareCodePoints } from "../../src/domain/CodePointOrder.ts";
import type { LicenseEventRow, Organization } from "../../src/domain/License.ts";
import {
  defaultTimelineBuckets,
  type LicenseOverview,
  type LicenseOverviewOptions,
  licenseUserLines,
  makeLicenseOverviewFold,
  summarizeOrganizations,
} from "../../src/domain/LicenseOverviewFold.ts";
import type { LicenseUserLine, OrganizationSummary } from "../../src/domain/ReportContent.ts";
import { timeBuckets } from "../../src/domain/TimeBuckets.ts";

// Events happen at integer instants in [0, 31); the brute force steps through every instant.
const LAST_EVENT = 30;

interface Scenario {
  readonly events: LicenseEventRow[];
  readonly options: LicenseOverviewOptions;
}

const byStoreOrder = (a: LicenseEventRow, b: LicenseEventRow): number =>
  compareCodePoints(a.organizationId, b.organizationId) ||
  a.at - b.at ||
  compareCodePoints(a.userId, b.userId) ||
  compareCodePoints(a.eventId, b.eventId);

const organizationIds = ["o1", "o2", "\uFFFDo", "\u{1F600}o", "unlisted"];

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    organizations: fc.uniqueArray(
      fc.record({
        id: fc.constantFrom(...organizationIds.slice(0, 4)),
        capacity: fc.integer({ min: 0, max: 3 }),
      }),
      { selector: (o) => o.id, maxLength: 4 },
    ),
    events: fc.array(
      fc.record({
        organizationId: fc.constantFrom(...organizationIds),
        user: fc.constantFrom("u1", "u2", "u3", "U4", "\u{1F600}u"),
        kind: fc.constantFrom<LicenseEventRow["kind"]>("assigned", "assigned", "revoked"),
        at: fc.integer({ min: 0, max: LAST_EVENT }),
      }),
      { maxLength: 40 },
    ),
    start: fc.integer({ min: 0, max: 25 }),
    length: fc.integer({ min: 0, max: 15 }),
    timelineBuckets: fc.integer({ min: 1, max: 20 }),
  })
  .map(({ organizations, events, start, length, timelineBuckets }) => ({
    events: events
      .map((e, i) => ({
        organizationId: e.organizationId,
        userId: `${e.user}@${e.organizationId}`,
        userName: `User ${e.user}`,
        eventId: `e${String(i).padStart(3, "0")}`,
        kind: e.kind,
        at: e.at,
      }))
      .sort(byStoreOrder),
    options: {
      interval: { start, end: start + length },
      timelineBuckets,
      organizations: organizations
        .map((o) => ({ id: o.id, name: `Org ${o.id}`, capacity: o.capacity, tenantId: null }))
        .sort((a, b) => compareCodePoints(a.id, b.id)),
    },
  }));

const overview = (
  events: ReadonlyArray<LicenseEventRow>,
  options: LicenseOverviewOptions,
): LicenseOverview => {
  const fold = makeLicenseOverviewFold(options);
  const lines = fold.push(events);
  const rest = fold.finish();
  return { lines: [...lines, ...rest.lines], summaries: rest.summaries };
};

/**
 * The overview by simulation: the licensed users after every instant, from which licences,
 * lines, statuses and figures are read off by the rules' own words. Shares no code with the fold
 * but the time-bucket layout (tested on its own).
 */
const bruteForce = (events: ReadonlyArray<LicenseEventRow>, options: LicenseOverviewOptions) => {
  const { start, end } = options.interval;
  const buckets = timeBuckets(start, end, options.timelineBuckets ?? defaultTimelineBuckets);
  const lines: LicenseUserLine[] = [];
  const summaries: OrganizationSummary[] = [];
  for (const organization of options.organizations) {
    const own = events.filter((e) => e.organizationId === organization.id && e.at < end);
    const users = [...new Set(own.map((e) => e.userId))].sort(compareCodePoints);
    const names = new Map(own.map((e) => [e.userId, e.userName]));
    // licensedAfter[x + 1]: who holds a licence after the events of instant x (index 0: x = -1).
    const licensedAfter: Array<Set<string>> = [new Set()];
    const opened: Array<{ userId: string; since: number; until: number | null }> = [];
    const current = new Map<string, (typeof opened)[number]>();
    for (let x = 0; x <= LAST_EVENT; x++) {
      const now = own.filter((e) => e.at === x);
      const assigned = new Set(now.filter((e) => e.kind === "assigned").map((e) => e.userId));
      const revoked = new Set(now.filter((e) => e.kind === "revoked").map((e) => e.userId));
      const holding = new Set(licensedAfter[x] as Set<string>);
      for (const u of users) {
        if (holding.has(u) && revoked.has(u) && !assigned.has(u)) {
          holding.delete(u);
          (current.get(u) as (typeof opened)[number]).until = x;
          current.delete(u);
        }
        if (!holding.has(u) && assigned.has(u)) {
          const licence = { userId: u, since: x, until: null };
          holding.add(u);
          opened.push(licence);
          current.set(u, licence);
        }
      }
      licensedAfter.push(holding);
    }
    const countAt = (x: number): number =>
      (licensedAfter[Math.max(0, Math.min(x, LAST_EVENT) + 1)] as Set<string>).size;
    const instants: number[] = [];
    for (let x = start; x < end; x++) instants.push(x);
    const heldAt = (licence: (typeof opened)[number], x: number) =>
      licence.since <= x && (licence.until === null || x < licence.until);
    const revokedWithin = (licence: (typeof opened)[number]) =>
      licence.until !== null && licence.until >= start && licence.until < end;
    // Seats at the end: the licences held at the last instant, earliest first, ties by user.
    const seats = opened
      .filter((l) => instants.length > 0 && heldAt(l, end - 1))
      .sort((a, b) => a.since - b.since || compareCodePoints(a.userId, b.userId));
    const ownLines: LicenseUserLine[] = [];
    for (const licence of opened) {
      if (!instants.some((x) => heldAt(licence, x)) && !revokedWithin(licence)) continue;
      const seat = seats.indexOf(licence);
      ownLines.push({
        organizationId: organization.id,
        organizationName: organization.name,
        userId: licence.userId,
        userName: names.get(licence.userId) as string,
        status: revokedWithin(licence)
          ? "Revoked"
          : seat >= organization.capacity
            ? "Exceeded"
            : licence.since >= start
              ? "New"
              : "Licensed",
        licensedSince: licence.since,
        revokedAt: revokedWithin(licence) ? licence.until : null,
      });
    }
    ownLines.sort(
      (a, b) => compareCodePoints(a.userId, b.userId) || a.licensedSince - b.licensedSince,
    );
    lines.push(...ownLines);
    let peak = 0;
    let peakAt: number | null = null;
    for (const x of instants) {
      if (countAt(x) > peak) {
        peak = countAt(x);
        peakAt = x;
      }
    }
    const percent = (count: number) =>
      organization.capacity === 0
        ? null
        : Number(((count / organization.capacity) * 100).toFixed(2));
    const licensedAtEnd = countAt(end - 1);
    const mostLicensed: number[] = [];
    for (let b = 0; b < buckets.count; b++) {
      const within = instants.filter(
        (x) => x >= start + b * buckets.size && x < start + (b + 1) * buckets.size,
      );
      mostLicensed.push(Math.max(0, ...within.map(countAt)));
    }
    summaries.push({
      organizationId: organization.id,
      organizationName: organization.name,
      capacity: organization.capacity,
      licensedAtEnd,
      newUsers: new Set(
        opened.filter((l) => l.since >= start && l.since < end).map((l) => l.userId),
      ).size,
      revokedUsers: new Set(ownLines.filter((l) => l.status === "Revoked").map((l) => l.userId))
        .size,
      exceededUsers: ownLines.filter((l) => l.status === "Exceeded").length,
      peakLicensed: peak,
      peakAt,
      usagePercent: percent(licensedAtEnd),
      peakUsagePercent: percent(peak),
      overCapacityMs: instants.filter((x) => countAt(x) > organization.capacity).length,
      licensedOverTime: { buckets, mostLicensed },
    });
  }
  return { lines, summaries };
};

const organization = (id: string, capacity: number): Organization => ({
  id,
  name: `Org ${id}`,
  capacity,
  tenantId: null,
});

const event = (
  userId: string,
  kind: LicenseEventRow["kind"],
  at: number,
  organizationId = "o1",
): LicenseEventRow => ({
  organizationId,
  userId,
  userName: `User ${userId}`,
  eventId: `${userId}-${kind}-${at}`,
  kind,
  at,
});

describe("folding license events into a license overview", () => {
  it("agrees with a brute-force simulation of every instant", () => {
    fc.assert(
      fc.property(scenarioArb, ({ events, options }) => {
        expect(overview(events, options)).toEqual(bruteForce(events, options));
      }),
      { numRuns: 300 },
    );
  });

  it("does not count a licence revoked exactly at the interval's start in its peak", () => {
    // Found by the brute-force property above (seed 633610214): licensed on [0, 2), interval [2, 3).
    const events = [
      {
        organizationId: "o1",
        userId: "u3@o1",
        userName: "User u3",
        eventId: "e000",
        kind: "assigned" as const,
        at: 0,
      },
      {
        organizationId: "o1",
        userId: "u3@o1",
        userName: "User u3",
        eventId: "e001",
        kind: "revoked" as const,
        at: 2,
      },
    ];
    const options = {
      interval: { start: 2, end: 3 },
      organizations: [{ id: "o1", name: "Org o1", capacity: 0, tenantId: null }],
    };
    const result = overview(events, options);
    expect(result).toEqual(bruteForce(events, options));
    expect(result.summaries[0]).toMatchObject({ peakLicensed: 0, peakAt: null, revokedUsers: 1 });
    // The revocation is an event of the interval: it has its Revoked line.
    expect(result.lines.map((l) => [l.status, l.licensedSince, l.revokedAt])).toEqual([
      ["Revoked", 0, 2],
    ]);
  });

  it("gives the same overview however the events are chunked, pushed or streamed", async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArb,
        fc.array(fc.nat({ max: 40 }), { maxLength: 6 }),
        async ({ events, options }, cuts) => {
          const expected = overview(events, options);
          const points = [...new Set(cuts.map((c) => c % (events.length + 1)))].sort(
            (a, b) => a - b,
          );
          const chunks = [...points, events.length].map((p, i, all) =>
            events.slice(i === 0 ? 0 : (all[i - 1] as number), p),
          );
          const fold = makeLicenseOverviewFold(options);
          const pushed = chunks.flatMap((c) => fold.push(c));
          const rest = fold.finish();
          expect({ lines: [...pushed, ...rest.lines], summaries: rest.summaries }).toEqual(
            expected,
          );
          const lineStream = licenseUserLines(Stream.fromArrays(...chunks), options);
          expect(await Effect.runPromise(Stream.runCollect(lineStream))).toEqual(expected.lines);
          expect(await Effect.runPromise(Stream.runCollect(lineStream))).toEqual(expected.lines);
          const summaries = summarizeOrganizations(Stream.fromArrays(...chunks), options);
          expect(await Effect.runPromise(summaries)).toEqual(expected.summaries);
          expect(await Effect.runPromise(summaries)).toEqual(expected.summaries);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("completes an organization's lines as soon as the events move to the next one", () => {
    const fold = makeLicenseOverviewFold({
      interval: { start: 0, end: 100 },
      organizations: [organization("o1", 5), organization("o2", 5)],
    });
    expect(fold.push([event("a", "assigned", 10, "o1")])).toEqual([]);
    expect(fold.push([event("b", "assigned", 10, "o2")]).map((l) => l.userId)).toEqual(["a"]);
    expect(fold.finish().lines.map((l) => l.userId)).toEqual(["b"]);
  });

  describe("examples", () => {
    const interval = { start: 100, end: 200 };
    const run = (events: LicenseEventRow[], capacity = 2) =>
      overview(events, { interval, organizations: [organization("o1", capacity)] });

    it("marks the licences beyond capacity at the end Exceeded: the latest ones", () => {
      const { lines, summaries } = run([
        event("a", "assigned", 50),
        event("b", "assigned", 120),
        event("c", "assigned", 130),
        event("d", "assigned", 130),
      ]);
      expect(lines.map((l) => [l.userId, l.status])).toEqual([
        ["a", "Licensed"],
        ["b", "New"],
        ["c", "Exceeded"],
        ["d", "Exceeded"],
      ]);
      expect(summaries[0]).toMatchObject({
        licensedAtEnd: 4,
        newUsers: 3,
        exceededUsers: 2,
        usagePercent: 200,
        peakUsagePercent: 200,
        overCapacityMs: 70,
      });
    });

    it("moves a licence beyond capacity within it when an earlier one is revoked", () => {
      const { lines, summaries } = run([
        event("a", "assigned", 110),
        event("b", "assigned", 120),
        event("c", "assigned", 130),
        event("a", "revoked", 140),
      ]);
      expect(lines.map((l) => [l.userId, l.status, l.licensedSince, l.revokedAt])).toEqual([
        ["a", "Revoked", 110, 140],
        ["b", "New", 120, null],
        ["c", "New", 130, null],
      ]);
      expect(summaries[0]).toMatchObject({
        licensedAtEnd: 2,
        newUsers: 3,
        revokedUsers: 1,
        exceededUsers: 0,
        peakLicensed: 3,
        peakAt: 130,
        usagePercent: 100,
        peakUsagePercent: 150,
        overCapacityMs: 10,
      });
    });

    it("lists a user licensed before the interval as Licensed since that instant", () => {
      const { lines, summaries } = run([event("a", "assigned", 50), event("b", "assigned", 150)]);
      expect(lines.map((l) => [l.userId, l.status, l.licensedSince])).toEqual([
        ["a", "Licensed", 50],
        ["b", "New", 150],
      ]);
      expect(summaries[0]).toMatchObject({ newUsers: 1, peakLicensed: 2, peakAt: 150 });
    });

    it("shows a user revoked within the interval as Revoked, with the revocation instant", () => {
      const { lines, summaries } = run([event("a", "assigned", 50), event("a", "revoked", 160)]);
      expect(lines).toEqual([
        {
          organizationId: "o1",
          organizationName: "Org o1",
          userId: "a",
          userName: "User a",
          status: "Revoked",
          licensedSince: 50,
          revokedAt: 160,
        },
      ]);
      expect(summaries[0]).toMatchObject({
        licensedAtEnd: 0,
        revokedUsers: 1,
        peakLicensed: 1,
        peakAt: 100,
        usagePercent: 0,
        peakUsagePercent: 50,
        overCapacityMs: 0,
      });
    });

    it("leaves out users whose licence ended before the interval or begins after it", () => {
      const { lines, summaries } = run([
        event("a", "assigned", 10),
        event("a", "revoked", 20),
        event("b", "assigned", 250),
      ]);
      expect(lines).toEqual([]);
      expect(summaries[0]).toMatchObject({ licensedAtEnd: 0, peakLicensed: 0, peakAt: null });
    });

    it("gives one line per licence to a user licensed twice within the interval", () => {
      const { lines, summaries } = run([
        event("a", "assigned", 110),
        event("a", "revoked", 120),
        event("a", "assigned", 130),
      ]);
      expect(lines.map((l) => [l.status, l.licensedSince, l.revokedAt])).toEqual([
        ["Revoked", 110, 120],
        ["New", 130, null],
      ]);
      expect(summaries[0]).toMatchObject({ newUsers: 1, revokedUsers: 1, licensedAtEnd: 1 });
    });

    it("counts a user revoked twice within the interval once among the revoked users", () => {
      const { lines, summaries } = run([
        event("a", "assigned", 110),
        event("a", "revoked", 120),
        event("a", "assigned", 130),
        event("a", "revoked", 140),
      ]);
      expect(lines.map((l) => [l.status, l.licensedSince, l.revokedAt])).toEqual([
        ["Revoked", 110, 120],
        ["Revoked", 130, 140],
      ]);
      expect(summaries[0]).toMatchObject({ newUsers: 1, revokedUsers: 1, licensedAtEnd: 0 });
    });

    it("ranks seats by when the current licence began, not by when the user first appeared", () => {
      // a appears first, but its licence at the end began after b's: b keeps the one seat.
      const { lines, summaries } = run(
        [
          event("a", "assigned", 110),
          event("b", "assigned", 120),
          event("a", "revoked", 130),
          event("a", "assigned", 140),
        ],
        1,
      );
      expect(lines.map((l) => [l.userId, l.status, l.licensedSince, l.revokedAt])).toEqual([
        ["a", "Revoked", 110, 130],
        ["a", "Exceeded", 140, null],
        ["b", "New", 120, null],
      ]);
      expect(summaries[0]).toMatchObject({ licensedAtEnd: 2, exceededUsers: 1, newUsers: 2 });
    });

    it("orders a user's licences by when they began, also before 1970", () => {
      const { lines } = overview(
        [
          event("a", "assigned", -250),
          event("a", "revoked", -240),
          event("a", "assigned", -230),
          event("a", "revoked", -220),
          event("a", "assigned", -210),
        ],
        { interval: { start: -300, end: -100 }, organizations: [organization("o1", 2)] },
      );
      expect(lines.map((l) => [l.status, l.licensedSince, l.revokedAt])).toEqual([
        ["Revoked", -250, -240],
        ["Revoked", -230, -220],
        ["New", -210, null],
      ]);
    });

    it("names a user as its latest event row does (a user renamed while the report reads)", () => {
      const { lines } = run([
        event("a", "assigned", 110),
        { ...event("a", "revoked", 120), userName: "Renamed a" },
        { ...event("a", "assigned", 130), userName: "Renamed a" },
      ]);
      expect(lines.map((l) => [l.userName, l.licensedSince])).toEqual([
        ["Renamed a", 110],
        ["Renamed a", 130],
      ]);
    });

    it("ignores a repeated assignment and a revocation of an unlicensed user", () => {
      const { lines } = run([
        event("a", "revoked", 105),
        event("a", "assigned", 110),
        event("a", "assigned", 120),
      ]);
      expect(lines.map((l) => [l.licensedSince, l.revokedAt])).toEqual([[110, null]]);
    });

    it("keeps a licence revoked and re-assigned at one instant unbroken", () => {
      const { lines } = run([
        event("a", "assigned", 50),
        event("a", "assigned", 150),
        event("a", "revoked", 150),
      ]);
      expect(lines.map((l) => [l.status, l.licensedSince, l.revokedAt])).toEqual([
        ["Licensed", 50, null],
      ]);
    });

    it("frees a seat revoked at an instant for an assignment at the same instant", () => {
      const { lines, summaries } = run(
        [event("b", "assigned", 50), event("a", "assigned", 150), event("b", "revoked", 150)],
        1,
      );
      expect(lines.map((l) => [l.userId, l.status])).toEqual([
        ["a", "New"],
        ["b", "Revoked"],
      ]);
      expect(summaries[0]).toMatchObject({ peakLicensed: 1, overCapacityMs: 0 });
    });

    it("gives the most users licensed at once in each time bucket", () => {
      const { summaries } = overview(
        [
          event("a", "assigned", 50),
          event("b", "assigned", 125),
          event("b", "revoked", 126),
          event("c", "assigned", 170),
        ],
        { interval, organizations: [organization("o1", 1)], timelineBuckets: 4 },
      );
      expect(summaries[0]?.licensedOverTime).toEqual({
        buckets: { start: 100, end: 200, size: 50, count: 2 },
        mostLicensed: [2, 2],
      });
      const quarterHours = overview([event("a", "assigned", 150)], {
        interval: { start: 0, end: 3 * 86_400_000 },
        organizations: [organization("o1", 1)],
      }).summaries[0]?.licensedOverTime;
      // Three days in at most 400 buckets: the shortest readable step is 15 minutes.
      expect(quarterHours?.buckets.size).toBe(15 * 60_000);
      expect(quarterHours?.mostLicensed).toHaveLength(288);
      expect(new Set(quarterHours?.mostLicensed)).toEqual(new Set([1]));
    });

    it("does not carry a count past a bucket boundary where it drops", () => {
      // Buckets [100, 150) and [150, 200): a's licence ends exactly where the second begins.
      const { summaries } = overview([event("a", "assigned", 110), event("a", "revoked", 150)], {
        interval,
        organizations: [organization("o1", 1)],
        timelineBuckets: 2,
      });
      expect(summaries[0]?.licensedOverTime.mostLicensed).toEqual([1, 0]);
    });

    it("lists organizations without events with zeros, and skips unlisted organizations", () => {
      const { lines, summaries } = overview(
        [event("a", "assigned", 110, "o0"), event("b", "assigned", 110, "o2")],
        {
          interval,
          organizations: [organization("o1", 3), organization("o2", 0)],
          timelineBuckets: 2,
        },
      );
      expect(lines.map((l) => [l.organizationId, l.userId, l.status])).toEqual([
        ["o2", "b", "Exceeded"],
      ]);
      const buckets = { start: 100, end: 200, size: 50, count: 2 };
      expect(summaries).toEqual([
        {
          organizationId: "o1",
          organizationName: "Org o1",
          capacity: 3,
          licensedAtEnd: 0,
          newUsers: 0,
          revokedUsers: 0,
          exceededUsers: 0,
          peakLicensed: 0,
          peakAt: null,
          usagePercent: 0,
          peakUsagePercent: 0,
          overCapacityMs: 0,
          licensedOverTime: { buckets, mostLicensed: [0, 0] },
        },
        {
          organizationId: "o2",
          organizationName: "Org o2",
          capacity: 0,
          licensedAtEnd: 1,
          newUsers: 1,
          revokedUsers: 0,
          exceededUsers: 1,
          peakLicensed: 1,
          peakAt: 110,
          usagePercent: null,
          peakUsagePercent: null,
          overCapacityMs: 90,
          licensedOverTime: { buckets, mostLicensed: [1, 1] },
        },
      ]);
    });

    it("rounds the usage percentages to two decimals", () => {
      const { summaries } = run([event("a", "assigned", 110), event("b", "assigned", 120)], 3);
      expect(summaries[0]?.usagePercent).toBe(66.67);
      expect(summaries[0]?.peakUsagePercent).toBe(66.67);
    });

    it("refuses events out of store order, naming the event", () => {
      expect(() => run([event("a", "assigned", 150), event("b", "assigned", 120)])).toThrow(
        /out of store order.*"b-assigned-120" of organization "o1" has at 120 after at 150/,
      );
      expect(() =>
        overview([event("a", "assigned", 110, "o2"), event("a", "assigned", 110, "o1")], {
          interval,
          organizations: [organization("o1", 1), organization("o2", 1)],
        }),
      ).toThrow(/organizationId after "o2"/);
    });
  });
});
