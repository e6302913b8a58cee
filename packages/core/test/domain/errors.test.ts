import { describe, expect, it } from "vitest";
import {
  ConflictError,
  ForbiddenError,
  LeaseLostError,
  NotFoundError,
  RenderError,
  StorageError,
  type StorageFailureReason,
  ValidationError,
} from "../../src/index.ts";

describe("the core's errors", () => {
  it("say every problem of a request, field by field, with what was expected and given", () => {
    const error = new ValidationError({
      issues: [
        { field: "from", expected: "a date", actual: '"soon"' },
        { field: "limit", expected: "an integer from 1 to 1000", actual: "0" },
      ],
    });
    expect(error.message).toBe(
      'from: expected a date, got "soon"; limit: expected an integer from 1 to 1000, got 0',
    );
    expect(ValidationError.single("to", "a date", '""')).toEqual(
      new ValidationError({ issues: [{ field: "to", expected: "a date", actual: '""' }] }),
    );
  });

  it("name what was not found, and give a refusal or a conflict its reason", () => {
    expect(new NotFoundError({ resource: "report", id: "r-1" }).message).toBe(
      "report 'r-1' was not found",
    );
    expect(new ForbiddenError({ reason: "only administrators may ingest VMs" }).message).toBe(
      "only administrators may ingest VMs",
    );
    expect(new ConflictError({ reason: "the task has already finished" }).message).toBe(
      "the task has already finished",
    );
  });

  it("say which storage operation failed, how, and why", () => {
    const error = new StorageError({ reason: "Busy", operation: "claimNext", detail: "locked" });
    expect(error.message).toBe("storage claimNext failed (Busy): locked");
    expect(new RenderError({ format: "pdf", detail: "font missing" }).message).toBe(
      "rendering pdf failed: font missing",
    );
  });

  it("deem a lost connection, a serialization failure, a deadlock and a busy store worth retrying, and nothing else", () => {
    const retryable = (reason: StorageFailureReason) =>
      new StorageError({ reason, operation: "replace", detail: "" }).isRetryable;
    expect(
      (
        [
          "ConnectionError",
          "SerializationFailure",
          "Deadlock",
          "Busy",
          "UniqueViolation",
          "ConstraintViolation",
          "InvalidInput",
          "Unknown",
        ] as const
      ).map(retryable),
    ).toEqual([true, true, true, true, false, false, false, false]);
  });

  it("tell a worker which lease it lost, and why when known", () => {
    expect(new LeaseLostError({ taskId: "t1", workerId: "w1" }).message).toBe(
      "task t1: worker w1 no longer holds the lease",
    );
    expect(new LeaseLostError({ taskId: "t1", workerId: "w1", reason: "it expired" }).message).toBe(
      "task t1: worker w1 no longer holds the lease: it expired",
    );
  });
});
