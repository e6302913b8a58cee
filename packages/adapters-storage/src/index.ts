/**
 * @tally/adapters-storage — Tally's storage adapters: SQLite (the embedded default, one file)
 * and PostgreSQL (several machines), both over one kysely schema with in-code migrations.
 * The server picks one with `makeStorageLayer(location)`.
 */
export * as ScryptPasswordHasher from "./accounts/ScryptPasswordHasher.ts";
export * from "./errors/PostgresErrorClassifier.ts";
export * from "./errors/SqliteErrorClassifier.ts";
export * from "./importing/FactImport.ts";
export * from "./postgres/PostgresDatabase.ts";
export * from "./postgres/PostgresStorage.ts";
export * from "./StorageLocation.ts";
export * from "./StoragePorts.ts";
export * from "./schema/Database.ts";
export * from "./schema/MigrationRunner.ts";
export * from "./schema/Migrations.ts";
export * from "./sqlite/SqliteDatabase.ts";
export * from "./sqlite/SqliteStorage.ts";
