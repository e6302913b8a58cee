/**
 * Tasks put straight into a test Tally's task store, with the creation time, tenant, type and
 * final state a listing test needs: the tasks a filter must leave out are then there for sure,
 * whatever the worker and the clock did.
 */
import {
  claimTask,
  newTask,
  type ReportRequest,
  type ReportTask,
  requestCancel,
  succeedTask,
  TaskStore,
  type TaskType,
} from "@tally/core";
import { Effect, Result } from "effect";
import type { TallyFixture } from "./TallyFixture.ts";

/** A task to store: its id, type, tenant, creation instant and final state. */
export interface StoredTaskInput {
  readonly id: string;
  readonly type: TaskType;
  /** The tenant the task belongs to (null: all tenants, the administrator's). */
  readonly tenantId: string | null;
  readonly createdAt: string;
  readonly state: "Succeeded" | "Cancelled";
}

const utc = { spec: "UTC", resolved: { _tag: "Fixed", offsetMinutes: 0 } } as const;
const interval = {
  start: Date.parse("2024-03-01T00:00:00Z"),
  end: Date.parse("2024-04-01T00:00:00Z"),
};

const requestOf = (input: StoredTaskInput): ReportRequest =>
  input.type === "CreateTenantReport"
    ? {
        _tag: "TenantReport",
        interval,
        zone: utc,
        tenant:
          input.tenantId === null
            ? { _tag: "AllTenants" }
            : { _tag: "OneTenant", tenantId: input.tenantId },
        format: "csv",
        variant: "detail",
        columns: "vendor",
        separator: ";",
      }
    : {
        _tag: "LicenseOverview",
        interval,
        zone: utc,
        organizations:
          input.tenantId === null
            ? { _tag: "AllOrganizations" }
            : { _tag: "OrganizationsOfTenant", tenantId: input.tenantId },
        format: "csv",
        variant: "users",
        separator: ";",
      };

/** The task as it is stored: created, then run to success or cancelled while queued. */
const taskOf = (input: StoredTaskInput): ReportTask => {
  const now = Date.parse(input.createdAt);
  const queued = newTask({
    id: input.id,
    type: input.type,
    request: requestOf(input),
    principal: { id: "admin", role: "Administrator", tenantId: null },
    tenantScope: input.tenantId,
    now,
    maxAttempts: 3,
    idempotencyKey: null,
  });
  if (input.state === "Cancelled") return Result.getOrThrow(requestCancel(queued, { now }));
  const workerId = "stored-task-worker";
  const running = Result.getOrThrow(claimTask(queued, { workerId, now, leaseMs: 60_000 }));
  return Result.getOrThrow(succeedTask(running, { workerId, now, reportId: `${input.id}-report` }));
};

/** Stores the tasks in the fixture's task store. */
export const storeTasks = (
  tally: TallyFixture,
  tasks: ReadonlyArray<StoredTaskInput>,
): Promise<void> =>
  tally.run(
    Effect.gen(function* () {
      const store = yield* TaskStore;
      for (const task of tasks) yield* store.insert(taskOf(task));
    }),
  );

/**
 * Tasks of every kind a listing filter tells apart: two tenants and all tenants, both types,
 * Succeeded and Cancelled, created before and after 2024-03-01 (in creation order).
 */
export const listingFixtureTasks: ReadonlyArray<StoredTaskInput> = [
  {
    id: "old-tenant-a",
    type: "CreateTenantReport",
    tenantId: "A",
    createdAt: "2024-01-10T00:00:00Z",
    state: "Succeeded",
  },
  {
    id: "old-tenant-b",
    type: "CreateTenantReport",
    tenantId: "B",
    createdAt: "2024-01-11T00:00:00Z",
    state: "Succeeded",
  },
  {
    id: "old-cancelled-a",
    type: "CreateTenantReport",
    tenantId: "A",
    createdAt: "2024-01-12T00:00:00Z",
    state: "Cancelled",
  },
  {
    id: "old-license-all",
    type: "CreateLicenseOverviewReport",
    tenantId: null,
    createdAt: "2024-01-13T00:00:00Z",
    state: "Succeeded",
  },
  {
    id: "new-tenant-a",
    type: "CreateTenantReport",
    tenantId: "A",
    createdAt: "2024-06-01T00:00:00Z",
    state: "Succeeded",
  },
  {
    id: "new-license-b",
    type: "CreateLicenseOverviewReport",
    tenantId: "B",
    createdAt: "2024-06-02T00:00:00Z",
    state: "Cancelled",
  },
];
