/**
 * The TaskStore contract suite: what every TaskStore adapter — in-memory, SQLite,
 * PostgreSQL or a user's own — must do, run unchanged against each.
 *
 * ```ts
 * // sqlite-storage.test.ts — Tally's SQLite storage through this suite; put your own layer
 * // factory in its place. Each test gets a fresh store; the seed makes runs repeatable.
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { SqliteStorage } from "@tally/adapters-storage";
 * import { TaskStoreContract } from "@tally/core/testing";
 *
 * const directory = mkdtempSync(join(tmpdir(), "tally-contract-"));
 * let databases = 0;
 * const freshStore = () =>
 *   SqliteStorage.layer({ filename: join(directory, `${++databases}.sqlite`) });
 *
 * TaskStoreContract.suite("SqliteStorage", freshStore, { numRuns: 50, seed: 20261206 });
 * ```
 *
 * Every test builds a fresh layer (in its own scope, closed afterwards) and shares nothing
 * with other tests; property tests that need an empty store build one per run. The checks are
 * also exported one by one (`checks`) as functions that report pass or fail instead of
 * throwing, so that a test can prove that a broken store fails them.
 */
import { Effect, type Layer, Option, Result } from "effect";
import * as fc from "fast-check";
import { expect } from "vitest";
import { compareByCreation } from "../adapters/ListingOrder.ts";
import { compareCodePoints } from "../domain/CodePointOrder.ts";
import { StorageError } from "../domain/errors.ts";
import type { Instant } from "../domain/Instant.ts";
import type { ReportTask } from "../domain/ReportTask.ts";
import { taskStateTags } from "../domain/ReportTask.ts";
import { claimTask, newTask, renewLease, requestCancel } from "../domain/TaskLifecycle.ts";
import { type TaskQuery, TaskStore } from "../ports/TaskStore.ts";
import {
  type ContractCheck,
  type ContractSuiteOptions,
  fixedCaseFirst,
  registerContract,
  standaloneChecks,
} from "./ContractSuite.ts";
import { idArbitrary } from "./DomainArbitraries.ts";
import { codePointOrderedIds } from "./KnownCases.ts";
import { reportTaskArbitrary } from "./TaskArbitraries.ts";
import { emptyTaskStoreModel, taskStoreCommands } from "./TaskStoreModel.ts";
import { runEffect, withFreshService } from "./withFreshService.ts";

/** Builds a fresh TaskStore layer; called once per test (and per run of stateful properties). */
export type MakeTaskStoreLayer = () => Layer.Layer<TaskStore, unknown>;

type Store = TaskStore["Service"];
type Check = ContractCheck<MakeTaskStoreLayer>["run"];

const withStore = <A>(makeLayer: MakeTaskStoreLayer, use: (store: Store) => Promise<A>) =>
  withFreshService(makeLayer, TaskStore, use);

/** 2024-03-31T00:00:00Z, a day with a DST change in Europe. */
const T0: Instant = 1_711_843_200_000;
const leaseMs = 30_000;

/** A task with Unicode text in every free-form field. */
const sampleTask = (id: string, createdAt: Instant = T0): ReportTask =>
  newTask({
    id,
    type: "CreateTenantReport",
    request: {
      _tag: "TenantReport",
      interval: { start: T0 - 86_400_000, end: T0 },
      zone: { spec: "Local", resolved: { _tag: "Iana", name: "Europe/Berlin" } },
      tenant: { _tag: "OneTenant", tenantId: "Zürich 🏔 テナント" },
      format: "pdf",
      variant: "summary",
      columns: "extended",
      separator: ",",
    },
    principal: {
      id: "opérateur@example.org",
      role: "TenantOperator",
      tenantId: "Zürich 🏔 テナント",
    },
    tenantScope: "Zürich 🏔 テナント",
    now: createdAt,
    maxAttempts: 3,
    idempotencyKey: "clé-αβγ",
  });

const claimed = (task: ReportTask, workerId: string, now: Instant): ReportTask =>
  Result.getOrThrow(claimTask(task, { workerId, now, leaseMs }));

const insertAll = async (store: Store, tasks: ReadonlyArray<ReportTask>): Promise<void> => {
  for (const task of tasks) await runEffect(store.insert(task));
};

const getTask = async (store: Store, id: string): Promise<ReportTask | undefined> =>
  Option.getOrUndefined(await runEffect(store.get(id)));

const expectStorageError = (error: unknown, reason: StorageError["reason"]): void => {
  expect(error, "a StorageError").toBeInstanceOf(StorageError);
  expect((error as StorageError).reason).toBe(reason);
};

/** What a listing must return: the query applied to all tasks, in (createdAt, id) order. */
const expectedListing = (tasks: ReadonlyArray<ReportTask>, query: TaskQuery): Array<ReportTask> =>
  tasks
    .filter(
      (task) =>
        (query.tenantScope === undefined || task.tenantScope === query.tenantScope) &&
        (query.states === undefined || query.states.includes(task.state._tag)) &&
        (query.type === undefined || task.type === query.type) &&
        (query.createdFrom === undefined || task.createdAt >= query.createdFrom) &&
        (query.after === undefined || compareByCreation(task, query.after) > 0),
    )
    .sort(compareByCreation)
    .slice(0, query.limit);

/**
 * Ids whose first characters often sort differently by code point (the promised order) than
 * by UTF-16 code unit: U+FF5A comes before an emoji by code point, after it by code unit.
 */
const tieBreakingIdArbitrary = fc
  .tuple(fc.constantFrom("a", "Z", "\uFF5A", "😀", "\u{1D538}"), idArbitrary({ maxLength: 4 }))
  .map(([first, rest]) => first + rest);

/** Tasks created within a few milliseconds of each other, so that ids break many ties. */
const crowdedTasks = (maxLength: number) =>
  fc.uniqueArray(
    reportTaskArbitrary({
      id: tieBreakingIdArbitrary,
      tenantScopes: ["tenant-a", "tenant-b", null],
      minCreatedAt: T0,
      maxCreatedAt: T0 + 5,
    }),
    { selector: (task) => task.id, maxLength },
  );

const insertRoundTrip: Check = (makeLayer, runs) =>
  withStore(makeLayer, async (store) => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(reportTaskArbitrary(), async (generated) => {
        const task = { ...generated, id: `${run++}:${generated.id}` };
        await runEffect(store.insert(task));
        expect(await getTask(store, task.id)).toStrictEqual(task);
      }),
      runs,
    );
    expect(await runEffect(store.get("no-such-task")), "an unknown id").toEqual(Option.none());
  });

const duplicateId: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    const first = sampleTask("täsk-1");
    const second: ReportTask = { ...sampleTask("täsk-1", T0 + 1), maxAttempts: 7 };
    await runEffect(store.insert(first));
    expectStorageError(await runEffect(Effect.flip(store.insert(second))), "UniqueViolation");
    const key = { scope: "alice", key: "k-1", fingerprint: "fp-1" };
    const viaKey = await runEffect(Effect.flip(store.insertIdempotent(second, key)));
    expectStorageError(viaKey, "UniqueViolation");
    expect(await getTask(store, first.id), "the first task is kept").toStrictEqual(first);
    // The failed insert did not use up the key.
    const third = sampleTask("täsk-3");
    const outcome = await runEffect(store.insertIdempotent(third, key));
    expect(outcome).toStrictEqual({ _tag: "Created", task: third });
  });

const idempotentInsert: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    const [a, b, c, d] = ["a", "b", "c", "d"].map((id) => sampleTask(`task-${id}`));
    const key = { scope: "alice@example.org", key: "schlüssel-🔑", fingerprint: "fp-A" };
    expect(await runEffect(store.insertIdempotent(a as ReportTask, key))).toStrictEqual({
      _tag: "Created",
      task: a,
    });
    const again = await runEffect(
      store.insertIdempotent(b as ReportTask, { ...key, fingerprint: "fp-B" }),
    );
    expect(again, "the same key again: the first task and fingerprint").toStrictEqual({
      _tag: "Existing",
      task: a,
      fingerprint: "fp-A",
    });
    expect(await getTask(store, "task-b"), "the second task is not stored").toBeUndefined();
    const otherScope = await runEffect(
      store.insertIdempotent(c as ReportTask, { ...key, scope: "bob@example.org" }),
    );
    expect(otherScope, "the same key in another scope").toStrictEqual({ _tag: "Created", task: c });
    const otherKey = await runEffect(
      store.insertIdempotent(d as ReportTask, { ...key, key: "schlüssel-2" }),
    );
    expect(otherKey, "another key in the same scope").toStrictEqual({ _tag: "Created", task: d });
    const cancelled = Result.getOrThrow(requestCancel(a as ReportTask, { now: T0 + 5 }));
    expect(await runEffect(store.replace(cancelled))).toBe(true);
    const later = await runEffect(
      store.insertIdempotent(b as ReportTask, { ...key, fingerprint: "fp-B" }),
    );
    expect(later, "Existing carries the task as it is now").toStrictEqual({
      _tag: "Existing",
      task: cancelled,
      fingerprint: "fp-A",
    });
  });

const queryArbitrary = fc.record({
  tenantScope: fc.option(fc.constantFrom("tenant-a", "tenant-b", "tenant-c"), { nil: undefined }),
  states: fc.option(fc.subarray([...taskStateTags], { minLength: 1 }), { nil: undefined }),
  type: fc.option(
    fc.constantFrom("CreateTenantReport" as const, "CreateLicenseOverviewReport" as const),
    {
      nil: undefined,
    },
  ),
  createdFrom: fc.option(fc.integer({ min: T0 - 1, max: T0 + 6 }), { nil: undefined }),
  limit: fc.integer({ min: 1, max: 30 }),
});

/** Queued tasks created at the same instant whose ids order differently by code unit. */
const codePointTies = (): Array<ReportTask> =>
  [...codePointOrderedIds].reverse().map((id) => sampleTask(id, T0));

/** Fixed case: a listing breaks a createdAt tie by id in code point order, across pages. */
const listsTiesByCodePoint = (makeLayer: MakeTaskStoreLayer): Promise<void> =>
  withStore(makeLayer, async (store) => {
    await insertAll(store, codePointTies());
    const first = await runEffect(store.list({ limit: 2 }));
    const paged = [...first];
    for (let page = first; page.length > 0; ) {
      const last = page[page.length - 1] as ReportTask;
      page = await runEffect(store.list({ limit: 2, after: last }));
      paged.push(...page);
    }
    expect(
      paged.map((task) => task.id),
      "tasks created together, listed by id in code point order (not UTF-16 order)",
    ).toStrictEqual(codePointOrderedIds);
  });

/** Fixed case: claims break a createdAt tie by id in code point order. */
const claimsTiesByCodePoint = (makeLayer: MakeTaskStoreLayer): Promise<void> =>
  withStore(makeLayer, async (store) => {
    await insertAll(store, codePointTies());
    const order: Array<string> = [];
    for (const _ of codePointOrderedIds) {
      const next = await runEffect(store.claimNext((task) => claimed(task, "w", T0 + 1)));
      if (Option.isSome(next)) order.push(next.value.id);
    }
    expect(
      order,
      "tasks created together, claimed by id in code point order (not UTF-16 order)",
    ).toStrictEqual(codePointOrderedIds);
  });

const listFilters: Check = fixedCaseFirst(listsTiesByCodePoint, (makeLayer, runs) =>
  fc.assert(
    fc.asyncProperty(crowdedTasks(25), queryArbitrary, (tasks, query) =>
      withStore(makeLayer, async (store) => {
        await insertAll(store, tasks);
        const listed = await runEffect(store.list(query));
        expect(listed, "filtered, ordered by (createdAt, id), limited").toStrictEqual(
          expectedListing(tasks, query),
        );
        // Keyset pagination: pages of `limit` after the last task of the page before.
        const all = expectedListing(tasks, { ...query, limit: tasks.length });
        const paged: Array<ReportTask> = [];
        for (let page = await runEffect(store.list(query)); page.length > 0; ) {
          paged.push(...page);
          expect(paged.length, "pagination ends").toBeLessThanOrEqual(all.length);
          const last = page[page.length - 1] as ReportTask;
          const after = { createdAt: last.createdAt, id: last.id };
          page = await runEffect(store.list({ ...query, after }));
        }
        expect(
          paged.map((task) => task.id),
          "pages in order, each task once",
        ).toStrictEqual(all.map((task) => task.id));
      }),
    ),
    runs,
  ),
);

const claimOrder: Check = fixedCaseFirst(claimsTiesByCodePoint, (makeLayer, runs) =>
  fc.assert(
    fc.asyncProperty(crowdedTasks(15), (tasks) =>
      withStore(makeLayer, async (store) => {
        await insertAll(store, tasks);
        const queued = tasks.filter((task) => task.state._tag === "Queued").sort(compareByCreation);
        const now = T0 + 1_000;
        for (const expected of queued) {
          const seen: Array<ReportTask> = [];
          const result = await runEffect(
            store.claimNext((task) => {
              seen.push(task);
              return claimed(task, "wörker-1", now);
            }),
          );
          expect(seen.at(-1), "the transition receives the stored task").toStrictEqual(expected);
          const claimedTask = claimed(expected, "wörker-1", now);
          expect(Option.getOrUndefined(result), "the oldest queued task, claimed").toStrictEqual(
            claimedTask,
          );
          expect(await getTask(store, expected.id), "the claim is stored").toStrictEqual(
            claimedTask,
          );
        }
        const none = await runEffect(store.claimNext((task) => claimed(task, "wörker-1", now)));
        expect(none, "None once no task is queued").toEqual(Option.none());
      }),
    ),
    runs,
  ),
);

const claimNone: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    const transition = (task: ReportTask): ReportTask => claimed(task, "w", T0);
    expect(Option.isNone(await runEffect(store.claimNext(transition))), "an empty store").toBe(
      true,
    );
    const running = claimed(sampleTask("running"), "w", T0);
    const cancelled = Result.getOrThrow(requestCancel(sampleTask("cancelled"), { now: T0 }));
    await insertAll(store, [running, cancelled]);
    let calls = 0;
    const none = await runEffect(
      store.claimNext((task) => {
        calls++;
        return transition(task);
      }),
    );
    expect(none, "no queued task").toEqual(Option.none());
    expect(calls, "the transition is not applied").toBe(0);
    expect(await getTask(store, "running")).toStrictEqual(running);
    expect(await getTask(store, "cancelled")).toStrictEqual(cancelled);
  });

const concurrentClaims: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    const tasks = Array.from({ length: 50 }, (_, i) => sampleTask(`task-${i}`, T0 + (i % 7)));
    await insertAll(store, tasks);
    const claimAll = (workerId: string) =>
      Effect.gen(function* () {
        const mine: Array<ReportTask> = [];
        for (;;) {
          const next = yield* store.claimNext((task) => claimed(task, workerId, T0 + 100));
          if (Option.isNone(next)) return mine;
          mine.push(next.value);
        }
      });
    const perWorker = await runEffect(
      Effect.all(
        Array.from({ length: 8 }, (_, i) => claimAll(`worker-${i}`)),
        { concurrency: "unbounded" },
      ),
    );
    const ids = perWorker.flat().map((task) => task.id);
    expect([...ids].sort(), "every task claimed exactly once").toStrictEqual(
      tasks.map((task) => task.id).sort(),
    );
    for (const [i, mine] of perWorker.entries()) {
      for (const task of mine) {
        const stored = await getTask(store, task.id);
        expect(stored?.lease?.workerId, `${task.id} is held by its claimer`).toBe(`worker-${i}`);
        expect(stored?.attempts, `${task.id} was claimed once`).toBe(1);
      }
    }
  });

const replaceCompareAndSet: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    const task = sampleTask("cas");
    await runEffect(store.insert(task));
    const v1 = claimed(task, "worker-1", T0 + 10);
    expect(await runEffect(store.replace(v1)), "version 0 → 1").toBe(true);
    expect(await getTask(store, task.id)).toStrictEqual(v1);
    expect(await runEffect(store.replace(v1)), "the same version again").toBe(false);
    const rival = claimed(task, "worker-2", T0 + 11);
    expect(await runEffect(store.replace(rival)), "a rival's write of version 1").toBe(false);
    expect(await runEffect(store.replace({ ...v1, version: 3 })), "a skipped version").toBe(false);
    expect(await getTask(store, task.id), "refused writes change nothing").toStrictEqual(v1);
    const unknown = { ...claimed(sampleTask("ghost"), "worker-1", T0), version: 1 };
    expect(await runEffect(store.replace(unknown)), "an unknown task").toBe(false);
    expect(await getTask(store, "ghost"), "replace does not insert").toBeUndefined();
    const v2 = Result.getOrThrow(
      renewLease(v1, { workerId: "worker-1", now: T0 + 20, leaseMs, progress: 40 }),
    );
    expect(await runEffect(store.replace(v2)), "version 1 → 2").toBe(true);
    expect(await getTask(store, task.id)).toStrictEqual(v2);
  });

const concurrentReplace: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    const running = claimed(sampleTask("contended"), "worker-1", T0);
    await runEffect(store.insert(running));
    const writes = Array.from({ length: 8 }, (_, i) =>
      Result.getOrThrow(
        renewLease(running, { workerId: "worker-1", now: T0 + 1, leaseMs, progress: 10 + i }),
      ),
    );
    const outcomes = await runEffect(
      Effect.all(
        writes.map((write) => store.replace(write)),
        { concurrency: "unbounded" },
      ),
    );
    expect(outcomes.filter(Boolean).length, "exactly one writer of a version wins").toBe(1);
    const winner = writes[outcomes.indexOf(true)];
    expect(await getTask(store, running.id), "the winner's write is stored").toStrictEqual(winner);
  });

const expiredLeases: Check = (makeLayer, runs) =>
  fc
    .assert(
      fc.asyncProperty(
        crowdedTasks(20),
        fc.integer({ min: 0, max: 4 * 86_400_000 }),
        fc.integer({ min: 1, max: 25 }),
        (tasks, offset, limit) =>
          withStore(makeLayer, async (store) => {
            await insertAll(store, tasks);
            const now = T0 + offset;
            const expected = tasks
              .filter(
                (task) => task.state._tag === "Running" && (task.lease?.expiresAt ?? 0) <= now,
              )
              .sort(
                (a, b) =>
                  (a.lease?.expiresAt ?? 0) - (b.lease?.expiresAt ?? 0) ||
                  compareCodePoints(a.id, b.id),
              )
              .slice(0, limit);
            const listed = await runEffect(store.listExpiredLeases(now, limit));
            expect(listed, "expired leases, oldest first, at most limit").toStrictEqual(expected);
          }),
      ),
      runs,
    )
    .then(() =>
      withStore(makeLayer, async (store) => {
        const expiring = claimed(sampleTask("expiring"), "worker-1", T0);
        await runEffect(store.insert(expiring));
        const before = await runEffect(store.listExpiredLeases(T0 + leaseMs - 1, 10));
        expect(before, "a lease is valid until it expires").toStrictEqual([]);
        const at = await runEffect(store.listExpiredLeases(T0 + leaseMs, 10));
        expect(at, "a lease expired at exactly now is listed").toStrictEqual([expiring]);
      }),
    );

const copies: Check = (makeLayer) =>
  withStore(makeLayer, async (store) => {
    const original = sampleTask("copied");
    const inserted = sampleTask("copied");
    await runEffect(store.insert(inserted));
    Object.assign(inserted, { progress: 99 });
    Object.assign(inserted.request.interval, { start: 0 });
    const read = await getTask(store, "copied");
    expect(read, "changing the inserted object changes nothing stored").toStrictEqual(original);
    Object.assign(read as ReportTask, { attempts: 5 });
    Object.assign((read as ReportTask).principal, { id: "mallory" });
    const listed = await runEffect(store.list({ limit: 10 }));
    Object.assign(listed[0] as ReportTask, { version: 9 });
    expect(
      await getTask(store, "copied"),
      "changing a read task changes nothing stored",
    ).toStrictEqual(original);
  });

const modelBased: Check = (makeLayer, runs) =>
  fc.assert(
    fc.asyncProperty(
      fc.commands([...taskStoreCommands], { maxCommands: 50, size: "max" }),
      (commands) =>
        withStore(makeLayer, (store) =>
          fc.asyncModelRun(() => ({ model: emptyTaskStoreModel(), real: store }), commands),
        ),
    ),
    runs,
  );

/** Every check of the contract, by name, with the sentence the suite reports it under. */
const definitions = {
  insertRoundTrip: {
    title: "get returns an inserted task field for field, its request and Unicode text included",
    run: insertRoundTrip,
  },
  duplicateId: {
    title: "inserting an id that is already stored fails with UniqueViolation and keeps the first",
    run: duplicateId,
  },
  idempotentInsert: {
    title:
      "insertIdempotent creates once per scope and key, then returns the first task and fingerprint",
    run: idempotentInsert,
  },
  listFilters: {
    title:
      "list filters by tenant scope, states, type and creation time, ordered by (createdAt, id by code point), paged by keyset",
    run: listFilters,
  },
  claimOrder: {
    title:
      "claimNext claims the oldest queued task by (createdAt, id by code point) and stores the transition's result",
    run: claimOrder,
  },
  claimNone: {
    title: "claimNext returns None and changes nothing when no task is queued",
    run: claimNone,
  },
  concurrentClaims: {
    title: "eight concurrent claimers over fifty queued tasks claim each task exactly once",
    run: concurrentClaims,
  },
  replaceCompareAndSet: {
    title:
      "replace stores only the next version; stale, skipped or unknown versions change nothing",
    run: replaceCompareAndSet,
  },
  concurrentReplace: {
    title: "of concurrent writers of the same version exactly one wins",
    run: concurrentReplace,
  },
  expiredLeases: {
    title:
      "listExpiredLeases returns running tasks whose lease expired by now, oldest lease first, at most limit",
    run: expiredLeases,
  },
  copies: {
    title: "tasks go in and come out as copies: changing them changes nothing stored",
    run: copies,
  },
  modelBased: {
    title: "agrees with a simple model over random sequences of client and worker actions",
    run: modelBased,
  },
} as const satisfies Record<string, ContractCheck<MakeTaskStoreLayer>>;

/** The name of a check of the TaskStore contract. */
export type TaskStoreCheckName = keyof typeof definitions;

/**
 * Registers the contract as a vitest `describe` block named `name`: one test per check,
 * each against fresh layers from `makeLayer`.
 */
export const suite = (
  name: string,
  makeLayer: MakeTaskStoreLayer,
  options?: ContractSuiteOptions,
): void => registerContract(name, definitions, makeLayer, options);

/** Each check on its own, reporting pass or fail rather than throwing. */
export const checks = standaloneChecks(definitions);
