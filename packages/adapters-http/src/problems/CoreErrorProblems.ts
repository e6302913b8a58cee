/**
 * Maps the core's typed errors onto HTTP problems. This is the only place where domain
 * errors meet status codes (the core knows nothing of HTTP). Errors are matched on their tags,
 * exhaustively: a new kind of failure does not compile until it is given an answer.
 */
import {
  type ConflictError,
  type ForbiddenError,
  fieldIssuesOf,
  type IllegalTransitionError,
  isStorableText,
  type NotFoundError,
  quoteGiven,
  type StorageError,
  storableTextRule,
  type ValidationError,
} from "@tally/core";
import type { HttpApiError } from "effect/http-api";
import { HttpProblem, validationProblem } from "./HttpProblem.ts";

/** Core errors a use case may fail with that the HTTP layer answers. */
export type CoreFailure =
  | ValidationError
  | NotFoundError
  | ForbiddenError
  | ConflictError
  | IllegalTransitionError
  | StorageError;

/** Anything a handler may fail with: a problem, a core error, or a parameter HttpApi refused. */
export type RouteFailure = HttpProblem | CoreFailure | HttpApiError.HttpApiSchemaError;

/** What to answer for a failure, and whether it must be logged (server-side faults). */
export interface MappedFailure {
  readonly problem: HttpProblem;
  /** Set for failures the operator should see in the log; never sent to the client. */
  readonly logAs?: string | undefined;
}

/** The values a request's parameters had, to quote in a refusal. */
export interface GivenParameters {
  readonly params: unknown;
  readonly query: unknown;
  readonly headers: unknown;
}

/** The problem for a handler's failure. */
export const problemFromFailure = (
  failure: RouteFailure,
  given: GivenParameters,
): MappedFailure => {
  switch (failure._tag) {
    case "HttpProblem":
      return { problem: failure };
    case "ValidationError":
      return { problem: validationProblem(failure.issues) };
    case "NotFoundError":
      return { problem: new HttpProblem({ kind: "not-found", detail: failure.message }) };
    case "ForbiddenError":
      return { problem: new HttpProblem({ kind: "forbidden", detail: failure.reason }) };
    case "ConflictError":
    case "IllegalTransitionError":
      return { problem: new HttpProblem({ kind: "conflict", detail: failure.reason }) };
    case "StorageError":
      if (failure.reason === "InvalidInput") return refusedByStorage(failure, given);
      return failure.isRetryable
        ? {
            problem: new HttpProblem({
              kind: "service-unavailable",
              detail: "storage is busy or unreachable; retry later",
              headers: { "retry-after": "1" },
            }),
            logAs: failure.message,
          }
        : { problem: internalProblem(), logAs: failure.message };
    case "HttpApiSchemaError":
      return parameterProblem(failure, given);
  }
};

/** What storage can hold, for a refusal of a value it could not. */
const storableValue = `a value every storage backend can hold (text with ${storableTextRule}, numbers and dates within range)`;

/** The first path or query parameter whose text no backend can store, with its value. */
const unstorableParameter = (
  given: GivenParameters,
): { readonly field: string; readonly value: string } | undefined => {
  for (const parameters of [given.params, given.query]) {
    if (parameters === null || typeof parameters !== "object") continue;
    for (const [field, value] of Object.entries(parameters)) {
      const values: ReadonlyArray<unknown> = Array.isArray(value) ? value : [value];
      const bad = values.find((v) => typeof v === "string" && !isStorableText(v));
      if (typeof bad === "string") return { field, value: bad };
    }
  }
  return undefined;
};

/**
 * Input the database refused (`InvalidInput`: a value the boundary's validation let through)
 * is the caller's 400 all the same, never a 500: naming the parameter when one holds text no
 * backend can store, else the request. Logged, since validation should have caught it first.
 */
const refusedByStorage = (failure: StorageError, given: GivenParameters): MappedFailure => {
  const parameter = unstorableParameter(given);
  return {
    problem: validationProblem([
      parameter === undefined
        ? {
            field: "request",
            expected: storableValue,
            actual: "a value the database refused",
          }
        : { field: parameter.field, expected: storableValue, actual: quoteGiven(parameter.value) },
    ]),
    logAs: `input the validation let through: ${failure.message}`,
  };
};

/**
 * A path, query or header parameter HttpApi could not decode: a 400 naming each one. (Bodies
 * are read by Tally itself; a response that does not encode is Tally's fault: a logged 500.)
 */
const parameterProblem = (
  error: HttpApiError.HttpApiSchemaError,
  given: GivenParameters,
): MappedFailure => {
  switch (error.kind) {
    case "Params":
    case "Query":
    case "Headers":
    case "Payload": {
      const input =
        error.kind === "Params"
          ? given.params
          : error.kind === "Headers"
            ? given.headers
            : given.query;
      return { problem: validationProblem(fieldIssuesOf(error.cause.issue, input)) };
    }
    case "Body":
    case "ResponseHeaders":
      return {
        problem: internalProblem(),
        logAs: `response did not encode: ${error.cause.message}`,
      };
  }
};

/** The generic 500: reveals nothing about what went wrong. */
export const internalProblem = (): HttpProblem =>
  new HttpProblem({
    kind: "internal-error",
    detail: "an unexpected error occurred; it has been logged",
  });
