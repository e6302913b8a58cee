/**
 * A task as a table row: the columns queries filter and order by, and the whole task as JSON
 * (encoded and decoded with the core's `ReportTask` schema, so a stored task is always valid).
 *
 * Clients poll their tasks, so the same body is read again and again, and the schema decode
 * costs about as much again as parsing. A body is therefore decoded with the schema once;
 * when the decoded task written back as JSON is the very same text (the schema has no
 * transformations, so every body Tally wrote is), the text is remembered as valid, and the
 * next read of it is a plain `JSON.parse`: the same value, and still a fresh copy per read
 * (the TaskStore contract: changing a read task changes nothing stored).
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

/** How many bodies are remembered as valid (a few hundred KiB of text). */
const rememberedBodies = 256;
const validBodies = new Set<string>();

/** The task stored in a row's `body`. */
export const taskFromBody = (body: string): ReportTask => {
  if (validBodies.has(body)) return JSON.parse(body) as ReportTask;
  const task = decodeTask(JSON.parse(body));
  if (JSON.stringify(task) === body) {
    if (validBodies.size >= rememberedBodies) {
      const oldest = validBodies.values().next();
      if (oldest.done !== true) validBodies.delete(oldest.value);
    }
    validBodies.add(body);
  }
  return task;
};
