/**
 * The fuzzer's oracle: what every answer to a hostile request must satisfy, whatever the request.
 *
 * - An answer comes, complete, in time — unless the request was broken at the connection level
 *   (lying or cut-short framing, a body streamed beyond the limit, CONNECT), where closing the
 *   connection is fair.
 * - No status of 500 or above: nothing a client sends is the server's fault.
 * - A 4xx with a body is RFC 9457 problem details (`application/problem+json`) with a `type`, a
 *   `title`, the same `status` and a non-empty `detail`; each entry of `errors` names a field,
 *   what was expected and what was given. The token endpoint's 400 is the OAuth 2 error JSON
 *   (`application/json` with `error` and `error_description`) carrying the same problem members.
 *   Node's own bare 4xx answers (unparseable request, 431, 417) carry no body and pass.
 * - An error answer is small (≤ 64 KiB): it names what was wrong without echoing it at length.
 * - A JSON success body parses.
 */
import type { HostileRequest } from "./HostileRequests.ts";
import type { WireResponse } from "./RawHttpExchange.ts";

/** The largest error answer: problem details quote what was given briefly, never at length. */
const maxProblemBytes = 64 * 1024;

const nonEmpty = (value: unknown): boolean => typeof value === "string" && value.trim() !== "";

const problemFault = (status: number, body: Record<string, unknown>): string | undefined => {
  if (!nonEmpty(body.detail)) return "problem without a non-empty detail";
  if (!nonEmpty(body.title)) return "problem without a title";
  if (!nonEmpty(body.type)) return "problem without a type";
  if (body.status !== status) return `problem status ${String(body.status)} ≠ HTTP ${status}`;
  if (body.errors !== undefined) {
    if (!Array.isArray(body.errors) || body.errors.length === 0)
      return "problem errors not a non-empty list";
    for (const issue of body.errors as Array<Record<string, unknown>>) {
      if (issue === null || typeof issue !== "object") return "problem error entry not an object";
      if (!nonEmpty(issue.field)) return "problem error entry without a field name";
      if (!nonEmpty(issue.expected))
        return `problem error on ${String(issue.field)} without expected`;
      if (!nonEmpty(issue.actual)) return `problem error on ${String(issue.field)} without actual`;
    }
  }
  if (body.errorCode !== undefined && !nonEmpty(body.errorCode)) return "empty errorCode";
  return undefined;
};

const parseObject = (body: Buffer): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** What is wrong with this answer to this request, or undefined when nothing is. */
export const judge = (request: HostileRequest, response: WireResponse): string | undefined => {
  if (response.outcome === "timeout") {
    return `no complete answer within ${Math.round(response.ms)} ms (status so far: ${response.status ?? "none"})`;
  }
  if (response.outcome !== "answered") {
    return request.mayGoUnanswered
      ? undefined
      : `connection ${response.outcome} without a complete answer (status so far: ${response.status ?? "none"})`;
  }
  const status = response.status;
  if (status === undefined || !Number.isInteger(status)) return "unparseable status line";
  if (status >= 500) return `status ${status}`;
  const contentType = (response.headers.get("content-type")?.[0] ?? "").toLowerCase();
  if (status >= 400 && response.body.length > maxProblemBytes) {
    return `a ${status} of ${response.body.length} bytes: an error answer echoes what was sent`;
  }
  if (status >= 400 && response.body.length > 0) {
    const body = parseObject(response.body);
    if (contentType.startsWith("application/problem+json")) {
      if (body === undefined) return "problem+json body that is not a JSON object";
      return problemFault(status, body);
    }
    if (status === 400 && contentType.startsWith("application/json") && body?.error !== undefined) {
      // The token endpoint's OAuth 2 error, which is problem details too.
      return nonEmpty(body.error) && nonEmpty(body.error_description)
        ? problemFault(status, body)
        : "OAuth error without error and error_description";
    }
    return `${status} with a ${contentType || "untyped"} body instead of application/problem+json`;
  }
  if (status < 300 && /json/.test(contentType) && request.method !== "HEAD") {
    try {
      JSON.parse(response.body.toString("utf8"));
    } catch {
      return `${status} ${contentType} body that does not parse`;
    }
  }
  return undefined;
};
