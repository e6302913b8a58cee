/**
 * Bulk import of facts: a whole file's worth of one kind of fact, written in one transaction,
 * so that an import either lands whole or leaves nothing behind. It is what `tally import`
 * writes through; the core's ingestion use cases (and their ports' `upsert…` methods) remain
 * the way for everything else, batch by batch.
 *
 * The facts arrive already validated (`tally import` checks every field on the way in); the
 * importer checks what only the database knows — that a VM's tenant, a period's VM, a user's
 * organization and an event's user exist — and fails with `UnknownReferenceError` naming the
 * first fact at fault by the place its caller gave it (a line of the file). The writes follow
 * the ports' rules exactly: replace by id (the last of several with one id wins), a period
 * takes its VM's tenant and an event its user's organization, and a VM or user that moves
 * carries its periods or events along. Sending the same facts again changes nothing.
 *
 * Each backend writes by its fastest path: SQLite through prepared statements on a connection
 * of the import's own, PostgreSQL through `COPY FROM STDIN` into a temporary table and one
 * `INSERT … SELECT` per kind (see `SqliteFactImport.ts`, `PostgresFactImport.ts`).
 */
import type { FactCollection, factWireForms, StorageError } from "@tally/core";
import { Context, type Effect, Schema, type Stream } from "effect";

/** The kinds of fact an import carries: the core's collections (`factCollections`). */
export type FactKind = FactCollection;

/** The fact of each kind: what its wire form (`factWireForms`) decodes into. */
export type FactOf = {
  readonly [K in FactKind]: (typeof factWireForms)[K]["schema"]["Type"];
};

/** Consecutive facts of an import and, for each, its place in the source (a line number). */
export interface FactBatch<A> {
  readonly facts: ReadonlyArray<A>;
  readonly places: ReadonlyArray<number>;
}

/** A fact names another fact that does not exist (and is not in the import either). */
export class UnknownReferenceError extends Schema.TaggedError<UnknownReferenceError>()(
  "UnknownReferenceError",
  {
    /** The place of the first fact at fault, as its batch gave it. */
    place: Schema.Number,
    /** Its field that names the missing fact (`tenantId`, `vmId`, `organizationId`, `userId`). */
    field: Schema.String,
    /** The id it names. */
    id: Schema.String,
    /** What kind of fact is missing (`tenant`, `VM`, `organization`, `user`). */
    missing: Schema.String,
  },
) {
  override get message(): string {
    return `${this.field} '${this.id}' at ${this.place} names no known ${this.missing}`;
  }
}

/** Bulk import of one kind of fact, in one transaction. */
export class FactImport extends Context.Service<
  FactImport,
  {
    /**
     * Writes every fact of `batches` in one transaction and returns how many were written.
     * If `batches` fails, a reference is unknown or the database fails, nothing is written.
     */
    readonly importFacts: <K extends FactKind, E>(
      kind: K,
      batches: Stream.Stream<FactBatch<FactOf[K]>, E>,
    ) => Effect.Effect<number, StorageError | UnknownReferenceError | E>;
  }
>()("tally/adapters-storage/FactImport") {}
