/**
 * The two storage backends as the tests build them, for tests that run the same behaviour
 * against both: SQLite in a fresh temporary file, PostgreSQL in a fresh schema.
 */
import type { Layer } from "effect";
import type { StorageServices } from "../../src/index.ts";
import { freshSqliteStorage } from "./TemporaryDatabase.ts";
import { freshPostgresStorage } from "./TestPostgres.ts";

/** A backend: its name in test titles and how to build a fresh one. */
export interface Backend {
  readonly name: string;
  readonly makeLayer: () => Layer.Layer<StorageServices, unknown>;
}

/** SQLite and PostgreSQL. */
export const backends: ReadonlyArray<Backend> = [
  { name: "SQLite", makeLayer: freshSqliteStorage },
  { name: "PostgreSQL", makeLayer: freshPostgresStorage },
];
