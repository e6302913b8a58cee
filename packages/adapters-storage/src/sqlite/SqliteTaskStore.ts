/**
 * The TaskStore port on SQLite. Every write is one IMMEDIATE transaction: a claim reads the
 * oldest queued task and stores its transition while holding the database's write lock, so
 * claimers in other processes on the same file wait (busy timeout) and never get the same task.
 */
import { type ReportTask, TaskStore } from "@tally/core";
import { Option } from "effect";
import { expiredLeasesQuery, listTasksQuery, oldestQueuedQuery } from "../queries/TaskQueries.ts";
import { taskFromBody, taskRow } from "../records/TaskRecord.ts";
import type { TasksTable } from "../schema/Database.ts";
import type { SqliteDatabase } from "./SqliteDatabase.ts";

const insertTaskSql = `insert into tasks
  (id, type, state, tenant_scope, created_at, lease_expires_at, version, idempotency_key, body)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
/** Compare-and-set: the last parameter is the version the stored task must have. */
const replaceTaskSql = `update tasks set type = ?, state = ?, tenant_scope = ?, created_at = ?,
  lease_expires_at = ?, version = ?, idempotency_key = ?, body = ? where id = ? and version = ?`;
const taskBodySql = "select body from tasks where id = ?";
const findKeySql =
  "select fingerprint, task_id from idempotency_keys where scope = ? and idempotency_key = ?";
const insertKeySql =
  "insert into idempotency_keys (scope, idempotency_key, fingerprint, task_id) values (?, ?, ?, ?)";

const insertParameters = (row: TasksTable) => [
  row.id,
  row.type,
  row.state,
  row.tenant_scope,
  row.created_at,
  row.lease_expires_at,
  row.version,
  row.idempotency_key,
  row.body,
];

const replaceParameters = (row: TasksTable, expectedVersion: number) => [
  row.type,
  row.state,
  row.tenant_scope,
  row.created_at,
  row.lease_expires_at,
  row.version,
  row.idempotency_key,
  row.body,
  row.id,
  expectedVersion,
];

/** A TaskStore over an open SQLite database. */
export const makeSqliteTaskStore = (database: SqliteDatabase): TaskStore["Service"] => {
  const storedTask = (id: string): ReportTask | undefined => {
    const row = database.statement(taskBodySql).get(id) as { body: string } | undefined;
    return row === undefined ? undefined : taskFromBody(row.body);
  };
  return TaskStore.of({
    insert: (task) =>
      database.use("TaskStore.insert", (db) => {
        db.statement(insertTaskSql).run(...insertParameters(taskRow(task)));
      }),
    insertIdempotent: (task, key) =>
      database.use("TaskStore.insertIdempotent", (db) =>
        db.writeTransaction(() => {
          const existing = db.statement(findKeySql).get(key.scope, key.key) as
            | { fingerprint: string; task_id: string }
            | undefined;
          if (existing !== undefined) {
            const first = storedTask(existing.task_id);
            if (first !== undefined) {
              return { _tag: "Existing", task: first, fingerprint: existing.fingerprint } as const;
            }
          }
          db.statement(insertTaskSql).run(...insertParameters(taskRow(task)));
          db.statement(insertKeySql).run(key.scope, key.key, key.fingerprint, task.id);
          return { _tag: "Created", task } as const;
        }),
      ),
    get: (id) => database.use("TaskStore.get", () => Option.fromNullishOr(storedTask(id))),
    list: (query) =>
      database.use("TaskStore.list", (db) => {
        const select = listTasksQuery(db.kysely, query);
        return select === undefined ? [] : db.all(select).map((row) => taskFromBody(row.body));
      }),
    claimNext: (transition) =>
      database.use("TaskStore.claimNext", (db) =>
        db.writeTransaction(() => {
          const row = db.first(oldestQueuedQuery(db.kysely));
          if (row === undefined) return Option.none();
          const task = taskFromBody(row.body);
          const next = transition(task);
          db.statement(replaceTaskSql).run(...replaceParameters(taskRow(next), task.version));
          return Option.some(next);
        }),
      ),
    replace: (next) =>
      database.use(
        "TaskStore.replace",
        (db) =>
          db.statement(replaceTaskSql).run(...replaceParameters(taskRow(next), next.version - 1))
            .changes === 1,
      ),
    listExpiredLeases: (now, limit) =>
      database.use("TaskStore.listExpiredLeases", (db) =>
        db.all(expiredLeasesQuery(db.kysely, now, limit)).map((row) => taskFromBody(row.body)),
      ),
  });
};
