/**
 * Queued tasks for storage tests, made with the core's lifecycle (`newTask`).
 */
import { type Instant, newTask, type ReportTask } from "@tally/core";

/** 2024-03-31T00:00:00Z. */
export const T0: Instant = 1_711_843_200_000;

/** A queued tenant-report task created at `createdAt`. */
export const queuedTask = (id: string, createdAt: Instant = T0, maxAttempts = 3): ReportTask =>
  newTask({
    id,
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
    now: createdAt,
    maxAttempts,
    idempotencyKey: null,
  });
