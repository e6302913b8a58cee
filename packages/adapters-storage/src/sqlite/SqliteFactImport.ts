/**
 * FactImport on SQLite: the whole import in one IMMEDIATE transaction on a connection of its
 * own, each fact written by the same prepared statement the stores use (`SqliteFactWrites`),
 * each reference checked as its fact arrives (the last id found is remembered, so a file of
 * periods grouped by VM looks each VM up once). SQLite has one writer at a time: while an
 * import runs, other writers to the file wait (up to their busy timeout); readers, report
 * streams included, go on reading the last committed state.
 */
import type { StorageError } from "@tally/core";
import type SqliteDriver from "better-sqlite3";
import { Effect, Exit, Stream } from "effect";
import { classifySqliteError } from "../errors/SqliteErrorClassifier.ts";
import {
  type FactBatch,
  FactImport,
  type FactKind,
  type FactOf,
  UnknownReferenceError,
} from "../importing/FactImport.ts";
import type { SqliteDatabase } from "./SqliteDatabase.ts";
import { makeSqliteFactWriter, type SqliteFactWriter } from "./SqliteFactWrites.ts";

/**
 * Page cache of the import's connection (KiB). Facts sorted by id append to both of a table's
 * B-trees, for which SQLite's default 2 MiB is enough; an unsorted file touches pages all over,
 * and 16 MiB keeps the upper levels of every index in memory.
 */
const importCacheKiB = 2 * 1024;

/** Checks that `id` exists, remembering the last id found. */
const referenceCheck = (
  exists: (id: string) => boolean,
  field: string,
  missing: string,
): ((id: string, place: number) => void) => {
  let lastFound: string | undefined;
  return (id, place) => {
    if (id === lastFound) return;
    if (!exists(id)) throw new UnknownReferenceError({ place, field, id, missing });
    lastFound = id;
  };
};

/** Writes the facts of one batch of `kind`; throws UnknownReferenceError for a missing reference. */
type BatchWriter<K extends FactKind> = (batch: FactBatch<FactOf[K]>) => void;

/** Writes each fact of a batch, after checking the fact its `reference` names (null: none). */
const checkedWrites =
  <A>(
    exists: (id: string) => boolean,
    field: string,
    missing: string,
    reference: (fact: A) => string | null,
    write: (fact: A) => void,
  ) =>
  (): ((batch: FactBatch<A>) => void) => {
    const check = referenceCheck(exists, field, missing);
    return ({ facts, places }) => {
      for (let i = 0; i < facts.length; i++) {
        const fact = facts[i] as A;
        const id = reference(fact);
        if (id !== null) check(id, places[i] as number);
        write(fact);
      }
    };
  };

/** Writes each fact of a batch (no reference to check). */
const plainWrites =
  <A>(write: (fact: A) => void) =>
  (): ((batch: FactBatch<A>) => void) =>
  (batch) => {
    for (const fact of batch.facts) write(fact);
  };

const batchWriters = (
  write: SqliteFactWriter,
): { readonly [K in FactKind]: () => BatchWriter<K> } => ({
  tenants: plainWrites(write.tenant),
  vms: checkedWrites(write.tenantExists, "tenantId", "tenant", (vm) => vm.tenantId, write.vm),
  "protection-periods": checkedWrites(write.vmExists, "vmId", "VM", (p) => p.vmId, write.period),
  organizations: plainWrites(write.organization),
  users: checkedWrites(
    write.organizationExists,
    "organizationId",
    "organization",
    (u) => u.organizationId,
    write.user,
  ),
  "license-events": checkedWrites(write.userExists, "userId", "user", (e) => e.userId, write.event),
});

/** What a failed write throws: an unknown reference as is, anything else classified. */
const classify = (error: unknown): StorageError | UnknownReferenceError =>
  error instanceof UnknownReferenceError ? error : classifySqliteError("FactImport.import")(error);

/** A FactImport writing to `database`'s file. */
export const makeSqliteFactImport = (database: SqliteDatabase): FactImport["Service"] =>
  FactImport.of({
    importFacts: <K extends FactKind, E>(
      kind: K,
      batches: Stream.Stream<FactBatch<FactOf[K]>, E>,
    ): Effect.Effect<number, StorageError | UnknownReferenceError | E> =>
      Effect.acquireUseRelease(
        Effect.try({
          try: () => {
            const connection = database.openWriter(importCacheKiB);
            try {
              connection.prepare("BEGIN IMMEDIATE").run();
            } catch (error) {
              connection.close();
              throw error;
            }
            return connection;
          },
          catch: classify,
        }),
        (connection: SqliteDriver.Database) => {
          const statements = new Map<string, SqliteDriver.Statement>();
          const write = makeSqliteFactWriter((sql) => {
            let statement = statements.get(sql);
            if (statement === undefined) {
              statement = connection.prepare(sql);
              statements.set(sql, statement);
            }
            return statement;
          });
          const writeBatch = batchWriters(write)[kind]() as BatchWriter<K>;
          let count = 0;
          return Stream.runForEach(batches, (batch) =>
            Effect.try({
              try: () => {
                writeBatch(batch);
                count += batch.facts.length;
              },
              catch: classify,
            }),
          ).pipe(
            Effect.andThen(
              Effect.try({
                try: () => {
                  write.finish();
                  connection.prepare("COMMIT").run();
                  return count;
                },
                catch: classify,
              }),
            ),
          );
        },
        (connection, exit) =>
          Effect.sync(() => {
            try {
              if (Exit.isFailure(exit) && connection.inTransaction) {
                connection.prepare("ROLLBACK").run();
              }
            } finally {
              connection.close();
            }
          }),
      ),
  });
