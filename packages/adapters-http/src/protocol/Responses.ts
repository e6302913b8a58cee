/**
 * Successful responses in the forms the faces use: JSON and XML documents, never cached by
 * intermediaries (they are per-caller).
 */
import { HttpServerResponse } from "effect/http";

/** Response options shared by the constructors below. */
export interface ResponseOptions {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The headers of every document (built once: most responses add none). */
const noStore: Readonly<Record<string, string>> = { "cache-control": "no-store" };

const documentHeaders = (options: ResponseOptions): Readonly<Record<string, string>> =>
  options.headers === undefined ? noStore : { ...noStore, ...options.headers };

/** A JSON document. */
export const jsonResponse = (
  body: unknown,
  options: ResponseOptions = {},
): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(JSON.stringify(body), {
    status: options.status ?? 200,
    contentType: "application/json; charset=utf-8",
    headers: documentHeaders(options),
  });

/** An XML document. */
export const xmlResponse = (
  body: string,
  options: ResponseOptions = {},
): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(body, {
    status: options.status ?? 200,
    contentType: "application/xml; charset=utf-8",
    headers: documentHeaders(options),
  });
