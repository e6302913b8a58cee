/**
 * Every port Tally's use cases need, in memory, as one layer: for tests, demos and embedding
 * Tally in one process. Each build starts empty and shares nothing with another build.
 *
 * Renderers are not included (they live in `@tally/renderers`, or your own). To change the
 * clock, ids or settings, merge your layer after this one (the later service wins), e.g.
 * `Layer.merge(InMemory.layer, Layer.succeed(TallySettings, mySettings))`.
 */
import { Layer } from "effect";
import { AccountStore } from "../ports/AccountStore.ts";
import type { Clock } from "../ports/Clock.ts";
import type { IdGenerator } from "../ports/IdGenerator.ts";
import type { LicenseStore } from "../ports/LicenseStore.ts";
import type { ProtectionPeriodStore } from "../ports/ProtectionPeriodStore.ts";
import type { ReportStore } from "../ports/ReportStore.ts";
import { defaultTallySettings, TallySettings } from "../ports/TallySettings.ts";
import type { TaskStore } from "../ports/TaskStore.ts";
import type { TenantDirectory } from "../ports/TenantDirectory.ts";
import { makeInMemoryAccountStore } from "./InMemoryAccountStore.ts";
import * as InMemoryFacts from "./InMemoryFacts.ts";
import * as InMemoryReportStore from "./InMemoryReportStore.ts";
import * as InMemoryTaskStore from "./InMemoryTaskStore.ts";
import * as SequentialIdGenerator from "./SequentialIdGenerator.ts";
import * as SystemClock from "./SystemClock.ts";

/** The stores of every kind of data. */
export type InMemoryStores =
  | TenantDirectory
  | ProtectionPeriodStore
  | LicenseStore
  | TaskStore
  | ReportStore
  | AccountStore;

/** Fresh, empty in-memory stores: facts, tasks, reports and accounts. */
export const stores: Layer.Layer<InMemoryStores> = Layer.mergeAll(
  InMemoryFacts.layer,
  InMemoryTaskStore.layer,
  InMemoryReportStore.layer,
  Layer.sync(AccountStore, makeInMemoryAccountStore),
);

/**
 * The stores plus the system clock, sequential ids (`task-000001`, ...: deterministic, but
 * guessable — a server exposed to callers supplies random ones) and the default settings.
 */
export const layer: Layer.Layer<InMemoryStores | Clock | IdGenerator | TallySettings> =
  Layer.mergeAll(
    stores,
    SystemClock.layer,
    SequentialIdGenerator.layer,
    Layer.succeed(TallySettings, defaultTallySettings),
  );
