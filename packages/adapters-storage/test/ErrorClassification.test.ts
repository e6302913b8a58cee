/**
 * Driver errors are classified at the adapters' edge into the core's StorageError reasons.
 * These tests feed the classifiers fake driver errors shaped like better-sqlite3's SqliteError,
 * pg's DatabaseError and Node's system errors; no database is needed.
 */
import { StorageError, type StorageFailureReason } from "@tally/core";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyPostgresError, classifySqliteError } from "../src/index.ts";

/** An error as a driver throws it: an Error with a `code`. */
const driverError = (code: string | undefined, message: string): Error => {
  const error = new Error(message);
  if (code !== undefined) Object.assign(error, { code });
  return error;
};

/** A TypeError like better-sqlite3's once its connection is closed. */
const closedConnection = new TypeError("The database connection is not open");

describe("classifySqliteError", () => {
  const cases: ReadonlyArray<readonly [Error, StorageFailureReason, boolean]> = [
    [
      driverError("SQLITE_CONSTRAINT_UNIQUE", "UNIQUE constraint failed: tasks.id"),
      "UniqueViolation",
      false,
    ],
    [
      driverError("SQLITE_CONSTRAINT_PRIMARYKEY", "PRIMARY KEY constraint failed"),
      "UniqueViolation",
      false,
    ],
    [
      driverError("SQLITE_CONSTRAINT_FOREIGNKEY", "FOREIGN KEY constraint failed"),
      "ConstraintViolation",
      false,
    ],
    [
      driverError("SQLITE_CONSTRAINT_NOTNULL", "NOT NULL constraint failed"),
      "ConstraintViolation",
      false,
    ],
    [
      driverError("SQLITE_CONSTRAINT_CHECK", "CHECK constraint failed: kind"),
      "ConstraintViolation",
      false,
    ],
    [driverError("SQLITE_BUSY", "database is locked"), "Busy", true],
    [driverError("SQLITE_BUSY_TIMEOUT", "database is locked"), "Busy", true],
    [driverError("SQLITE_LOCKED", "database table is locked"), "Busy", true],
    [driverError("SQLITE_BUSY_SNAPSHOT", "database is locked"), "SerializationFailure", true],
    [driverError("SQLITE_CANTOPEN", "unable to open database file"), "ConnectionError", true],
    [driverError("SQLITE_NOTADB", "file is not a database"), "ConnectionError", true],
    [closedConnection, "ConnectionError", true],
    [driverError("SQLITE_TOOBIG", "string or blob too big"), "InvalidInput", false],
    [driverError("SQLITE_IOERR_WRITE", "disk I/O error"), "Unknown", false],
    [driverError("ENOSPC", "no space left on device"), "Unknown", false],
    [driverError(undefined, "something else"), "Unknown", false],
  ];

  it.each(cases)("classifies %s as %s (retryable: %s)", (error, reason, retryable) => {
    const classified = classifySqliteError("TaskStore.insert")(error);
    expect(classified).toBeInstanceOf(StorageError);
    expect(classified.reason).toBe(reason);
    expect(classified.isRetryable).toBe(retryable);
    expect(classified.operation).toBe("TaskStore.insert");
  });

  it("keeps the driver's code and message in the detail, and nothing else of the error", () => {
    const error = Object.assign(driverError("SQLITE_BUSY", "database is locked"), {
      connection: { secret: "do not leak" },
    });
    const classified = classifySqliteError("ReportStore.put")(error);
    expect(classified.detail).toBe("SQLITE_BUSY: database is locked");
    expect(JSON.stringify(classified)).not.toContain("do not leak");
  });

  it("passes a StorageError through unchanged", () => {
    const original = new StorageError({ reason: "Busy", operation: "x", detail: "y" });
    expect(classifySqliteError("other")(original)).toBe(original);
  });
});

describe("classifyPostgresError", () => {
  const cases: ReadonlyArray<readonly [Error, StorageFailureReason, boolean]> = [
    [
      driverError("23505", 'duplicate key value violates unique constraint "tasks_pkey"'),
      "UniqueViolation",
      false,
    ],
    [
      driverError("23503", "insert or update violates foreign key constraint"),
      "ConstraintViolation",
      false,
    ],
    [
      driverError("23502", 'null value in column "organization_id" violates not-null constraint'),
      "ConstraintViolation",
      false,
    ],
    [driverError("23514", "new row violates check constraint"), "ConstraintViolation", false],
    [
      driverError("40001", "could not serialize access due to concurrent update"),
      "SerializationFailure",
      true,
    ],
    [driverError("40P01", "deadlock detected"), "Deadlock", true],
    [driverError("55P03", "could not obtain lock on row"), "Busy", true],
    [driverError("53300", "sorry, too many clients already"), "Busy", true],
    [driverError("08006", "connection failure"), "ConnectionError", true],
    [driverError("08001", "could not establish connection"), "ConnectionError", true],
    [
      driverError("57P01", "terminating connection due to administrator command"),
      "ConnectionError",
      true,
    ],
    [driverError("57P03", "the database system is starting up"), "ConnectionError", true],
    [driverError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432"), "ConnectionError", true],
    [driverError("ECONNRESET", "read ECONNRESET"), "ConnectionError", true],
    [driverError("ETIMEDOUT", "connect ETIMEDOUT"), "ConnectionError", true],
    [driverError("ENOTFOUND", "getaddrinfo ENOTFOUND db.example"), "ConnectionError", true],
    [driverError(undefined, "Connection terminated unexpectedly"), "ConnectionError", true],
    [driverError(undefined, "timeout exceeded when trying to connect"), "ConnectionError", true],
    [driverError("42P01", 'relation "tasks" does not exist'), "Unknown", false],
    [driverError("22P02", "invalid input syntax for type bigint"), "InvalidInput", false],
    [
      driverError("22021", 'invalid byte sequence for encoding "UTF8": 0x00'),
      "InvalidInput",
      false,
    ],
    [driverError("54000", "index row size 9616 exceeds maximum 2704"), "InvalidInput", false],
    [driverError("42883", "operator does not exist: text = bigint"), "Unknown", false],
  ];

  it.each(cases)("classifies %s as %s (retryable: %s)", (error, reason, retryable) => {
    const classified = classifyPostgresError("TaskStore.claimNext")(error);
    expect(classified).toBeInstanceOf(StorageError);
    expect(classified.reason).toBe(reason);
    expect(classified.isRetryable).toBe(retryable);
  });

  it("classifies every SQLSTATE of the connection-exception class 08 as ConnectionError", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Z]{3}$/), (rest) => {
        const classified = classifyPostgresError("op")(driverError(`08${rest}`, "lost"));
        expect(classified.reason).toBe("ConnectionError");
      }),
      { numRuns: 200 },
    );
  });

  it("classifies every integrity-constraint SQLSTATE but 23505 as ConstraintViolation", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Z]{3}$/), (rest) => {
        fc.pre(rest !== "505");
        expect(classifyPostgresError("op")(driverError(`23${rest}`, "x")).reason).toBe(
          "ConstraintViolation",
        );
      }),
      { numRuns: 200 },
    );
  });

  it("classifies every data exception (class 22) and program limit (class 54) as InvalidInput, never retried", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("22", "54"),
        fc.stringMatching(/^[0-9A-Z]{3}$/),
        (dataClass, rest) => {
          const classified = classifyPostgresError("op")(driverError(`${dataClass}${rest}`, "x"));
          expect(classified.reason).toBe("InvalidInput");
          expect(classified.isRetryable).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("turns anything thrown, even a non-error, into a StorageError with a readable detail", () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true }), (thrown) => {
        const classified = classifyPostgresError("op")(thrown);
        expect(classified).toBeInstanceOf(StorageError);
        expect(typeof classified.detail).toBe("string");
        expect(classifySqliteError("op")(thrown)).toBeInstanceOf(StorageError);
      }),
      { numRuns: 200 },
    );
  });
});
