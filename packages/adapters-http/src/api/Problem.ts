/**
 * RFC 9457 problem details, as every face answers errors: the kinds of problem Tally reports
 * (each a stable `type` URI explained at `/docs`), and the `Problem` body as a Schema, declared
 * on each endpoint at the statuses it may answer (so the OpenAPI document lists them and the
 * typed client decodes them). The license face adds the vendor's `message` and `errorCode`;
 * validation problems list each offending field in `errors`.
 */
import { FieldIssue } from "@tally/core";
import { Schema } from "effect";
import { HttpApiSchema } from "effect/http-api";

/** Status, title and meaning of each kind of problem. */
export const problemKinds = {
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
  "too-many-requests": {
    status: 429,
    title: "Too many failed logins",
    meaning:
      "The user name or the client address failed to log in too often; retry after `Retry-After` seconds.",
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
} as const satisfies Record<
  string,
  { readonly status: number; readonly title: string; readonly meaning: string }
>;

/** A kind of problem. */
export type ProblemKind = keyof typeof problemKinds;

/** The `type` URI of a problem kind: an anchor of the API reference page. */
export const problemTypeUri = (kind: ProblemKind): string => `/docs#problem-${kind}`;

/** The media type of every problem body. */
export const problemContentType = "application/problem+json";

/** An error answer, as RFC 9457 problem details. */
export class Problem extends Schema.Error<Problem>("Problem")(
  {
    type: Schema.String.annotate({ description: "The kind of problem: `/docs#problem-…`" }),
    title: Schema.String,
    status: Schema.Int,
    detail: Schema.String.annotate({ description: "What was wrong, for a person" }),
    instance: Schema.optionalKey(Schema.String),
    errors: Schema.optionalKey(
      Schema.Array(FieldIssue).annotate({
        description: "Validation problems: each field, what was expected and what was given",
      }),
    ),
    message: Schema.optionalKey(
      Schema.String.annotate({ description: "License face (v6): the vendor's message" }),
    ),
    errorCode: Schema.optionalKey(
      Schema.String.annotate({ description: "License face (v6): the vendor's error code" }),
    ),
  },
  { identifier: "Problem", description: "RFC 9457 problem details" },
) {}

/** The Problem answered with `status`, described for this endpoint. */
export const problemAt = (status: number, description: string) =>
  Problem.pipe(
    HttpApiSchema.status(status),
    HttpApiSchema.asJson({ contentType: problemContentType }),
  ).annotate({ description });

/** The problems any authenticated endpoint may answer besides its own. */
export const authenticationProblem = problemAt(
  401,
  "No, unknown or expired credentials (with `WWW-Authenticate`)",
);

/** The answer to a password login while its user name or address backs off after failures. */
export const throttledLoginProblem = problemAt(
  429,
  "Too many failed logins of this user name or from this address; retry after `Retry-After` seconds",
);
