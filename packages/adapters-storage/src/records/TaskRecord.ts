/**
 * A task as a table row: the columns queries filter and order by, and the whole task as JSON
 * (encoded and decoded with the core's `ReportTask` schema, so a stored task is always valid).
 */
import { ReportTask } from "@tally/core";
import { Schema } from "effect";
import type { TasksTable } from "../schema/Database.ts";

const encodeTask = Schema.encodeSync(ReportTask);
const decodeTask = Schema.decodeUnknownSync(ReportTask);

/** The row that stores `task`. */
export const taskRow = (task: ReportTask): TasksTable => ({
  id: task.id,
  type: task.type,
  state: task.state._tag,
  tenant_scope: task.tenantScope,
  created_at: task.createdAt,
  lease_expires_at: task.lease === null ? null : task.lease.expiresAt,
  version: task.version,
  idempotency_key: task.idempotencyKey,
  body: JSON.stringify(encodeTask(task)),
});

/** The task stored in a row's `body`. */
export const taskFromBody = (body: string): ReportTask => decodeTask(JSON.parse(body));
