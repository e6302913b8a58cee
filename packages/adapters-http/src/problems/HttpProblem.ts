/**
 * RFC 9457 problem details as Tally answers them. Every error response of every face is an
 * `HttpProblem`: a status, a stable problem type, a title, a human-readable detail and, for
 * validation, the list of offending fields. Faces add their own members when rendering (the
 * license face adds the vendor's `message` and `errorCode`).
 */

import type { FieldIssue } from "@tally/core";
import { Data } from "effect";

/** The kinds of problem Tally reports; each has a stable `type` URI documented at `/docs`. */
export type ProblemKind =
  | "validation-failed"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "route-not-found"
  | "method-not-allowed"
  | "not-acceptable"
  | "unsupported-media-type"
  | "payload-too-large"
  | "range-not-satisfiable"
  | "conflict"
  | "report-not-ready"
  | "report-task-failed"
  | "service-unavailable"
  | "internal-error";

/** Status and title of each problem kind, and what it means (for the reference page). */
export const problemKinds: Readonly<
  Record<ProblemKind, { readonly status: number; readonly title: string; readonly meaning: string }>
> = {
  "validation-failed": {
    status: 400,
    title: "The request is not valid",
    meaning: "A parameter, header or body field is malformed; `errors` names each one.",
  },
  unauthorized: {
    status: 401,
    title: "Authentication is required",
    meaning: "No credentials, unknown credentials, or an expired token.",
  },
  forbidden: {
    status: 403,
    title: "Access is denied",
    meaning: "The caller may not do this (e.g. an operator asking for another tenant).",
  },
  "not-found": {
    status: 404,
    title: "The resource was not found",
    meaning: "It does not exist, has expired, or is not visible to the caller.",
  },
  "route-not-found": {
    status: 404,
    title: "No such endpoint",
    meaning: "No endpoint has this path.",
  },
  "method-not-allowed": {
    status: 405,
    title: "Method not allowed",
    meaning: "The path exists but not with this method; `Allow` lists the methods it has.",
  },
  "not-acceptable": {
    status: 406,
    title: "Cannot produce an acceptable representation",
    meaning: "None of the media types in `Accept` can be produced.",
  },
  "unsupported-media-type": {
    status: 415,
    title: "Unsupported media type",
    meaning: "The body's `Content-Type` (or, for a vendor report, the `Accept`) does not fit.",
  },
  "payload-too-large": {
    status: 413,
    title: "The request body is too large",
    meaning: "The body exceeds the configured limit.",
  },
  "range-not-satisfiable": {
    status: 416,
    title: "Range not satisfiable",
    meaning: "The requested byte range lies outside the content.",
  },
  conflict: {
    status: 409,
    title: "The request conflicts with the current state",
    meaning: "E.g. cancelling a finished task, or reusing an idempotency key for another request.",
  },
  "report-not-ready": {
    status: 503,
    title: "The report is not ready yet",
    meaning: "A synchronous report took longer than the wait limit; its task keeps running.",
  },
  "report-task-failed": {
    status: 500,
    title: "The report could not be generated",
    meaning: "The report's task failed or was cancelled; see the task for details.",
  },
  "service-unavailable": {
    status: 503,
    title: "The service is temporarily unavailable",
    meaning: "Storage is unreachable or busy; retry later.",
  },
  "internal-error": {
    status: 500,
    title: "Internal server error",
    meaning: "An unexpected error; it was logged. Nothing about it is revealed.",
  },
};

/** The `type` URI of a problem kind: an anchor of the API reference page. */
export const problemTypeUri = (kind: ProblemKind): string => `/docs#problem-${kind}`;

/** An error answer: rendered as `application/problem+json` by the face that raised it. */
export class HttpProblem extends Data.TaggedError("HttpProblem")<{
  readonly kind: ProblemKind;
  readonly detail: string;
  /** Overrides the kind's status (e.g. 500 for a task failure, 409 for a cancelled one). */
  readonly status?: number | undefined;
  readonly errors?: ReadonlyArray<FieldIssue> | undefined;
  /** Extra response headers (`WWW-Authenticate`, `Allow`, `Retry-After`, ...). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Extra members of the problem body. */
  readonly extensions?: Readonly<Record<string, unknown>> | undefined;
}> {
  /** The HTTP status this problem is answered with. */
  get httpStatus(): number {
    return this.status ?? problemKinds[this.kind].status;
  }
  override get message(): string {
    return this.detail;
  }
}

/**
 * Issues an answer lists (beyond them, one last issue counts the rest), and issues its
 * `detail` spells out: a batch of thousands of wrong items must not make an answer larger
 * than the request.
 */
const listedIssues = { errors: 100, detail: 10 } as const;

/** A 400 naming each field (the first 100): what was expected and what was given. */
export const validationProblem = (
  issues: ReadonlyArray<FieldIssue>,
  detail?: string,
): HttpProblem => {
  const errors =
    issues.length > listedIssues.errors + 1
      ? [
          ...issues.slice(0, listedIssues.errors),
          {
            field: "body",
            expected: "fewer problems",
            actual: `${issues.length - listedIssues.errors} more problems not listed`,
          },
        ]
      : issues;
  const spelled = issues
    .slice(0, listedIssues.detail)
    .map((i) => `${i.field}: expected ${i.expected}, got ${i.actual}`);
  if (issues.length > listedIssues.detail) {
    spelled.push(`and ${issues.length - listedIssues.detail} more (see errors)`);
  }
  return new HttpProblem({
    kind: "validation-failed",
    detail: detail ?? spelled.join("; "),
    errors,
  });
};

/** A 400 about a single field. */
export const fieldProblem = (field: string, expected: string, actual: string): HttpProblem =>
  validationProblem([{ field, expected, actual }]);

/** The problem body (without face-specific members). */
export const problemBody = (problem: HttpProblem, instance: string): Record<string, unknown> => {
  const body: Record<string, unknown> = {
    type: problemTypeUri(problem.kind),
    title: problemKinds[problem.kind].title,
    status: problem.httpStatus,
    detail: problem.detail,
    instance,
  };
  if (problem.errors !== undefined) body.errors = problem.errors;
  if (problem.extensions !== undefined) Object.assign(body, problem.extensions);
  return body;
};

/** How a value given by a client is quoted in an error message (short, never huge). */
export const describeActual = (value: unknown): string => {
  if (value === undefined) return "nothing";
  const text = typeof value === "string" ? JSON.stringify(value) : safeJson(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

const safeJson = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // Too deeply nested to print (String() of such an array overflows the stack too).
    return Array.isArray(value) ? "a deeply nested array" : `a deeply nested ${typeof value}`;
  }
};
