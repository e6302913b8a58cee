/**
 * The TaskStore port on PostgreSQL, for several processes on several machines. A claim locks
 * the oldest queued row with `FOR UPDATE SKIP LOCKED` (claimers never wait for each other and
 * never take the same task) and stores its transition in the same transaction; `replace` is
 * one conditional UPDATE on the version.
 */
import { type IdempotentInsert, type ReportTask, TaskStore } from "@tally/core";
import { Option } from "effect";
import type { Kysely, Transaction } from "kysely";
import { expiredLeasesQuery, listTasksQuery, oldestQueuedQuery } from "../queries/TaskQueries.ts";
import { taskFromBody, taskRow } from "../records/TaskRecord.ts";
import type { Database } from "../schema/Database.ts";
import type { PostgresDatabase } from "./PostgresDatabase.ts";

/** Thrown inside a transaction to roll it back when another insert took the key first. */
class KeyTakenMeanwhile extends Error {}

const findKey = (db: Kysely<Database>, scope: string, key: string) =>
  db
    .selectFrom("idempotency_keys as k")
    .innerJoin("tasks as t", "t.id", "k.task_id")
    .select(["k.fingerprint", "t.body"])
    .where("k.scope", "=", scope)
    .where("k.idempotency_key", "=", key)
    .executeTakeFirst();

/** Stores `next` if the stored version is `expectedVersion`; true when it did. */
const replaceRow = async (
  db: Kysely<Database> | Transaction<Database>,
  next: ReportTask,
  expectedVersion: number,
): Promise<boolean> => {
  const { id: _id, ...columns } = taskRow(next);
  const result = await db
    .updateTable("tasks")
    .set(columns)
    .where("id", "=", next.id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
};

/** A TaskStore over a PostgreSQL database. */
export const makePostgresTaskStore = (database: PostgresDatabase): TaskStore["Service"] =>
  TaskStore.of({
    insert: (task) =>
      database.use("TaskStore.insert", async (db) => {
        await db.insertInto("tasks").values(taskRow(task)).execute();
      }),
    insertIdempotent: (task, key) =>
      database.use("TaskStore.insertIdempotent", async (db): Promise<IdempotentInsert> => {
        const existing = (found: { fingerprint: string; body: string }): IdempotentInsert => ({
          _tag: "Existing",
          task: taskFromBody(found.body),
          fingerprint: found.fingerprint,
        });
        try {
          return await db.transaction().execute(async (trx): Promise<IdempotentInsert> => {
            const found = await findKey(trx, key.scope, key.key);
            if (found !== undefined) return existing(found);
            await trx.insertInto("tasks").values(taskRow(task)).execute();
            // A concurrent insert of the same key makes this wait for it, then do nothing.
            const inserted = await trx
              .insertInto("idempotency_keys")
              .values({
                scope: key.scope,
                idempotency_key: key.key,
                fingerprint: key.fingerprint,
                task_id: task.id,
              })
              .onConflict((conflict) => conflict.columns(["scope", "idempotency_key"]).doNothing())
              .returning("task_id")
              .executeTakeFirst();
            if (inserted === undefined) throw new KeyTakenMeanwhile();
            return { _tag: "Created", task };
          });
        } catch (error) {
          if (!(error instanceof KeyTakenMeanwhile)) throw error;
          const found = await findKey(db, key.scope, key.key);
          if (found === undefined) throw new Error("idempotency key vanished after a conflict");
          return existing(found);
        }
      }),
    get: (id) =>
      database.use("TaskStore.get", async (db) => {
        const row = await db
          .selectFrom("tasks")
          .select("body")
          .where("id", "=", id)
          .executeTakeFirst();
        return row === undefined ? Option.none() : Option.some(taskFromBody(row.body));
      }),
    list: (query) =>
      database.use("TaskStore.list", async (db) => {
        const select = listTasksQuery(db, query);
        if (select === undefined) return [];
        return (await select.execute()).map((row) => taskFromBody(row.body));
      }),
    claimNext: (transition) =>
      database.use("TaskStore.claimNext", (db) =>
        db.transaction().execute(async (trx) => {
          const row = await oldestQueuedQuery(trx).forUpdate().skipLocked().executeTakeFirst();
          if (row === undefined) return Option.none();
          const task = taskFromBody(row.body);
          const next = transition(task);
          await replaceRow(trx, next, task.version);
          return Option.some(next);
        }),
      ),
    replace: (next) =>
      database.use("TaskStore.replace", (db) => replaceRow(db, next, next.version - 1)),
    listExpiredLeases: (now, limit) =>
      database.use("TaskStore.listExpiredLeases", async (db) =>
        (await expiredLeasesQuery(db, now, limit).execute()).map((row) => taskFromBody(row.body)),
      ),
  });
