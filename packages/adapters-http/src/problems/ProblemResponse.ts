/**
 * Renders an `HttpProblem` as an `application/problem+json` response, the way each face
 * wants it: the license face (second vendor) adds the vendor's `message` and `errorCode`.
 */
import { HttpServerResponse } from "effect/http";
import type { Face } from "../routing/Route.ts";
import { type HttpProblem, type ProblemKind, problemBody } from "./HttpProblem.ts";

/** The second vendor's `errorCode` for each problem kind. */
export const licensingErrorCodes: Readonly<Record<ProblemKind, string>> = {
  "validation-failed": "ParameterValidationFailure",
  unauthorized: "Unauthorized",
  forbidden: "ResourceAccessDenied",
  "not-found": "ResourceNotFound",
  "route-not-found": "ResourceNotFound",
  "method-not-allowed": "MethodNotAllowed",
  "not-acceptable": "NotAcceptable",
  "unsupported-media-type": "UnsupportedMediaType",
  "payload-too-large": "PayloadTooLarge",
  "range-not-satisfiable": "RangeNotSatisfiable",
  conflict: "Conflict",
  "report-not-ready": "OperationTimeout",
  "report-task-failed": "ReportGenerationFailed",
  "service-unavailable": "ServiceUnavailable",
  "internal-error": "InternalServerError",
};

/** The problem body a face sends. */
export const faceProblemBody = (
  face: Face,
  problem: HttpProblem,
  instance: string,
): Record<string, unknown> => {
  const body = problemBody(problem, instance);
  if (face === "licensing") {
    body.message = problem.detail;
    body.errorCode = licensingErrorCodes[problem.kind];
  }
  return body;
};

/** The response for a problem. */
export const problemResponse = (
  face: Face,
  problem: HttpProblem,
  instance: string,
): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(JSON.stringify(faceProblemBody(face, problem, instance)), {
    status: problem.httpStatus,
    contentType: "application/problem+json",
    headers: { "cache-control": "no-store", ...problem.headers },
  });
