/**
 * RFC 9457 problem details as Tally answers them. Every error response of every face is an
 * `HttpProblem`: a status, a stable problem type, a title, a human-readable detail and, for
 * validation, the list of offending fields. Faces add their own members when rendering (the
 * license face adds the vendor's `message` and `errorCode`).
 */

import type { FieldIssue } from "@tally/core";
import { Data } from "effect";
import { type ProblemKind, problemKinds, problemTypeUri } from "../api/Problem.ts";

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
