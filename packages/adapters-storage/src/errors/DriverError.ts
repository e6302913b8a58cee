/**
 * What the classifiers read from a driver's error: its code and message, and nothing else, so
 * that no raw driver object (with its connection, query text or parameters) reaches callers.
 */
import { StorageError, type StorageFailureReason } from "@tally/core";

/** The `code` property of a thrown value (SQLite result code, SQLSTATE, Node errno), if any. */
export const driverErrorCode = (error: unknown): string | undefined => {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { readonly code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
};

/** The message of a thrown value (even one that cannot be turned into a string). */
export const driverErrorMessage = (error: unknown): string => {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
};

/** A StorageError for `operation`, its detail being the driver's code and message. */
export const storageErrorFrom = (
  reason: StorageFailureReason,
  operation: string,
  error: unknown,
): StorageError => {
  const code = driverErrorCode(error);
  const message = driverErrorMessage(error);
  return new StorageError({
    reason,
    operation,
    detail: code === undefined || message.includes(code) ? message : `${code}: ${message}`,
  });
};

/** Node's error codes for a network peer that cannot be reached or went away. */
export const networkErrorCodes: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
]);
