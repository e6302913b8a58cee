/**
 * Classifies what better-sqlite3 (and the file system, for report files) throws into the
 * core's StorageError reasons. Extended result codes come as `SQLITE_<PRIMARY>[_<EXTENDED>]`.
 * SQLite is lenient with values (any text, any size up to a gigabyte): the one the input can
 * break is `SQLITE_TOOBIG`, a string or blob beyond its length limit, which is `InvalidInput`.
 */
import { StorageError, type StorageFailureReason } from "@tally/core";
import { driverErrorCode, driverErrorMessage, storageErrorFrom } from "./DriverError.ts";

/** The reason for a SQLite result code such as `SQLITE_CONSTRAINT_UNIQUE` or `SQLITE_BUSY`. */
export const sqliteFailureReason = (
  code: string | undefined,
  message = "",
): StorageFailureReason => {
  if (code === undefined) {
    // better-sqlite3 throws TypeErrors of its own once the connection is closed.
    return /database connection is not open/i.test(message) ? "ConnectionError" : "Unknown";
  }
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    return "UniqueViolation";
  }
  if (code.startsWith("SQLITE_CONSTRAINT")) return "ConstraintViolation";
  // BUSY_SNAPSHOT: a read transaction's snapshot went stale before it could write; retry it.
  if (code === "SQLITE_BUSY_SNAPSHOT") return "SerializationFailure";
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return "Busy";
  if (code.startsWith("SQLITE_CANTOPEN") || code === "SQLITE_NOTADB") return "ConnectionError";
  if (code === "SQLITE_TOOBIG") return "InvalidInput";
  return "Unknown";
};

/** Turns anything thrown by the SQLite adapter while doing `operation` into a StorageError. */
export const classifySqliteError =
  (operation: string) =>
  (error: unknown): StorageError =>
    error instanceof StorageError
      ? error
      : storageErrorFrom(
          sqliteFailureReason(driverErrorCode(error), driverErrorMessage(error)),
          operation,
          error,
        );
