/**
 * Maps the core's typed errors onto HTTP problems. This is the only place where domain
 * errors meet status codes (the core knows nothing of HTTP).
 */
import type {
  ConflictError,
  ForbiddenError,
  IllegalTransitionError,
  NotFoundError,
  StorageError,
  ValidationError,
} from "@tally/core";
import { HttpProblem, validationProblem } from "./HttpProblem.ts";

/** Core errors a use case may fail with that the HTTP layer answers. */
export type CoreFailure =
  | ValidationError
  | NotFoundError
  | ForbiddenError
  | ConflictError
  | IllegalTransitionError
  | StorageError;

/** Anything a route handler may fail with. */
export type RouteFailure = HttpProblem | CoreFailure;

/** What to answer for a failure, and whether it must be logged (server-side faults). */
export interface MappedFailure {
  readonly problem: HttpProblem;
  /** Set for failures the operator should see in the log; never sent to the client. */
  readonly logAs?: string | undefined;
}

const tagOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string"
    ? error._tag
    : undefined;

/** The problem for a handler's failure; unknown failures become a generic, logged 500. */
export const problemFromFailure = (error: unknown): MappedFailure => {
  if (error instanceof HttpProblem) return { problem: error };
  const e = error as Record<string, unknown>;
  switch (tagOf(error)) {
    case "ValidationError":
      return { problem: validationProblem((error as ValidationError).issues) };
    case "NotFoundError":
      return {
        problem: new HttpProblem({ kind: "not-found", detail: (error as NotFoundError).message }),
      };
    case "ForbiddenError":
      return {
        problem: new HttpProblem({ kind: "forbidden", detail: (error as ForbiddenError).reason }),
      };
    case "ConflictError":
      return {
        problem: new HttpProblem({ kind: "conflict", detail: (error as ConflictError).reason }),
      };
    case "IllegalTransitionError":
      return {
        problem: new HttpProblem({
          kind: "conflict",
          detail: (error as IllegalTransitionError).reason,
        }),
      };
    case "StorageError": {
      const storage = error as StorageError;
      return storage.isRetryable
        ? {
            problem: new HttpProblem({
              kind: "service-unavailable",
              detail: "storage is busy or unreachable; retry later",
              headers: { "retry-after": "1" },
            }),
            logAs: storage.message,
          }
        : { problem: internalProblem(), logAs: storage.message };
    }
    default:
      return { problem: internalProblem(), logAs: describeUnknown(e) };
  }
};

/** The generic 500: reveals nothing about what went wrong. */
export const internalProblem = (): HttpProblem =>
  new HttpProblem({
    kind: "internal-error",
    detail: "an unexpected error occurred; it has been logged",
  });

const describeUnknown = (error: unknown): string => {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
};
