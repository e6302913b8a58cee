/**
 * Sending a stored report: streamed from the report store (memory stays bounded), with a
 * strong `ETag` (the content's SHA-256, stable because rendering is deterministic),
 * `If-None-Match` → 304, `Range` → 206 or 416 (honouring `If-Range`), `Accept-Ranges`,
 * `Last-Modified` and `Content-Disposition`.
 */
import { type Principal, type ReportMeta, readReport } from "@tally/core";
import { Effect, Stream } from "effect";
import { type HttpServerRequest, HttpServerResponse } from "effect/http";
import { HttpProblem } from "../problems/HttpProblem.ts";
import { contentRange, decideRange, unsatisfiedRange } from "./ByteRanges.ts";
import { attachment } from "./ContentDisposition.ts";

/** The strong entity tag of a report. */
export const reportEtag = (meta: ReportMeta): string => `"${meta.sha256}"`;

const etagMatches = (header: string, etag: string): boolean =>
  header
    .split(",")
    .map((t) => t.trim())
    .some((t) => t === "*" || t === etag || t === `W/${etag}`);

/** How to send it. */
export interface DownloadOptions {
  /** The `Content-Type` to send (the negotiated one, or the report's own). */
  readonly contentType: string;
  /** Extra headers (e.g. `X-Tally-Report-Id`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The response for a report the principal may read (its metadata already fetched). */
export const reportDownload = (
  principal: Principal,
  meta: ReportMeta,
  request: HttpServerRequest.HttpServerRequest,
  options: DownloadOptions,
) =>
  Effect.gen(function* () {
    const etag = reportEtag(meta);
    const common: Record<string, string> = {
      etag,
      "last-modified": new Date(meta.createdAt).toUTCString(),
      "accept-ranges": "bytes",
      "cache-control": "private, no-cache",
      "content-disposition": attachment(meta.fileName),
      ...options.headers,
    };
    const ifNoneMatch = request.headers["if-none-match"];
    if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, etag)) {
      return HttpServerResponse.empty({ status: 304, headers: common });
    }
    const ifRange = request.headers["if-range"];
    const rangeHeader =
      ifRange === undefined || ifRange.trim() === etag ? request.headers.range : undefined;
    const decision = decideRange(rangeHeader, meta.byteSize);
    if (decision._tag === "Unsatisfiable") {
      return yield* new HttpProblem({
        kind: "range-not-satisfiable",
        detail: `the range ${rangeHeader} lies outside the report's ${meta.byteSize} bytes`,
        headers: { "content-range": unsatisfiedRange(meta.byteSize), "accept-ranges": "bytes" },
      });
    }
    const range = decision._tag === "Partial" ? decision.range : undefined;
    const download = yield* readReport(principal, meta.id, range);
    const content = download.content.pipe(
      Stream.tapError((error) =>
        Effect.logError(`streaming report ${meta.id} failed: ${error.message}`),
      ),
    );
    return range === undefined
      ? HttpServerResponse.stream(content, {
          status: 200,
          contentType: options.contentType,
          contentLength: meta.byteSize,
          headers: common,
        })
      : HttpServerResponse.stream(content, {
          status: 206,
          contentType: options.contentType,
          contentLength: range.end - range.start + 1,
          headers: { ...common, "content-range": contentRange(range, meta.byteSize) },
        });
  });
