/**
 * Renders an `HttpProblem` as an `application/problem+json` response, the way each face
 * wants it: the license face (second vendor) adds the vendor's `message` and `errorCode`.
 */
import { HttpServerResponse } from "effect/http";
import { type ProblemKind, problemContentType } from "../api/Problem.ts";
import { type HttpProblem, problemBody } from "./HttpProblem.ts";

/** The three HTTP faces; each renders errors its own way. */
export type Face = "virtualization" | "licensing" | "native";

/** The face of an API group. */
export const faceOfGroup = (group: string): Face =>
  group === "virtualization" || group === "licensing" ? group : "native";

/** The face whose error format applies to a path no endpoint matched. */
export const faceOfPath = (path: string): Face => {
  const lower = path.toLowerCase();
  if (lower.startsWith("/api/2.0/")) return "virtualization";
  if (lower.startsWith("/v6/")) return "licensing";
  return "native";
};

/** The second vendor's `errorCode` for each problem kind. */
export const licensingErrorCodes: Readonly<Record<ProblemKind, string>> = {
  "validation-failed": "ParameterValidationFailure",
  unauthorized: "Unauthorized",
  forbidden: "ResourceAccessDenied",
  "not-found": "ResourceNotFound",
  "route-not-found": "ResourceNotFound",
  "method-not-allowed": "MethodNotAllowed",
  "not-acceptable": "NotAcceptable",
  "too-many-requests": "TooManyRequests",
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
    contentType: problemContentType,
    headers: { "cache-control": "no-store", ...problem.headers },
  });
