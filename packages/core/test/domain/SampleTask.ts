/**
 * A queued report task for tests of the lifecycle and of what applies it: task `t1`, a CSV
 * tenant report on all tenants over the day before 2024-01-01, created by an administrator.
 */
import type { ReportTask } from "../../src/domain/ReportTask.ts";
import { newTask } from "../../src/domain/TaskLifecycle.ts";

/** 2024-01-01T00:00:00Z, when the sample task is created. */
export const T0 = 1_704_067_200_000;

/** A new Queued task `t1` created at T0, allowing `maxAttempts` claims (default 3). */
export const sampleQueuedTask = (maxAttempts = 3): ReportTask =>
  newTask({
    id: "t1",
    type: "CreateTenantReport",
    request: {
      _tag: "TenantReport",
      interval: { start: T0 - 86_400_000, end: T0 },
      zone: { spec: "UTC", resolved: { _tag: "Fixed", offsetMinutes: 0 } },
      tenant: { _tag: "AllTenants" },
      format: "csv",
      variant: "detail",
      columns: "vendor",
      separator: ";",
    },
    principal: { id: "admin", role: "Administrator", tenantId: null },
    tenantScope: null,
    now: T0,
    maxAttempts,
    idempotencyKey: null,
  });
