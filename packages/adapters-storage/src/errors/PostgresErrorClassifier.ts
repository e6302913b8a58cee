/**
 * Classifies what pg throws into the core's StorageError reasons: server errors by SQLSTATE
 * (`code`), network failures by Node's errno codes, and pg's own connection messages.
 *
 * Every class of error that a value a client sent can cause is `InvalidInput`, never
 * `Unknown`: class 22, data exceptions (22021 a NUL or invalid UTF-8 in text, 22P02 text that
 * is no number, 22001 a string too long for its column, 22003 a number out of range,
 * 22007/22008 a malformed or out-of-range date and time, ...), and class 54, program limits
 * (54000: e.g. a key too large for its index). Whatever slips past the boundary's validation
 * is then still the caller's 400, not a 500.
 */
import { StorageError, type StorageFailureReason } from "@tally/core";
import {
  driverErrorCode,
  driverErrorMessage,
  networkErrorCodes,
  storageErrorFrom,
} from "./DriverError.ts";

/** pg's messages for a connection it lost or could not get (these errors carry no code). */
const connectionMessages =
  /connection terminated|connection ended|not queryable|timeout exceeded when trying to connect|client has encountered a connection error|client was closed|cannot use a pool after calling end/i;

/** The reason for a PostgreSQL SQLSTATE (e.g. `23505`) or a Node network error code. */
export const postgresFailureReason = (
  code: string | undefined,
  message = "",
): StorageFailureReason => {
  if (code === undefined) return connectionMessages.test(message) ? "ConnectionError" : "Unknown";
  if (networkErrorCodes.has(code)) return "ConnectionError";
  switch (code) {
    case "23505":
      return "UniqueViolation";
    case "40001":
      return "SerializationFailure";
    case "40P01":
      return "Deadlock";
    case "55P03": // lock_not_available (NOWAIT, lock_timeout)
    case "53300": // too_many_connections
      return "Busy";
    case "57P01": // admin_shutdown
    case "57P02": // crash_shutdown
    case "57P03": // cannot_connect_now (the server is starting up)
      return "ConnectionError";
  }
  if (code.startsWith("08")) return "ConnectionError"; // connection_exception class
  if (code.startsWith("23")) return "ConstraintViolation"; // foreign key, not null, check...
  if (code.startsWith("22")) return "InvalidInput"; // data_exception class
  if (code.startsWith("54")) return "InvalidInput"; // program_limit_exceeded class
  return "Unknown";
};

/** Turns anything thrown by the PostgreSQL adapter while doing `operation` into a StorageError. */
export const classifyPostgresError =
  (operation: string) =>
  (error: unknown): StorageError =>
    error instanceof StorageError
      ? error
      : storageErrorFrom(
          postgresFailureReason(driverErrorCode(error), driverErrorMessage(error)),
          operation,
          error,
        );
