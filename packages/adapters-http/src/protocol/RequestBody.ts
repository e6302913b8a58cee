/**
 * Reading request bodies safely: a byte limit (413 beyond it, checked against
 * `Content-Length` first and while streaming), a required media type (415 otherwise), strict
 * UTF-8, and JSON or form parsing whose failures name what was wrong (400).
 */
import { describeGiven } from "@tally/core";
import { Effect, Stream } from "effect";
import type { HttpServerRequest } from "effect/http";
import { fieldProblem, HttpProblem } from "../problems/HttpProblem.ts";
import { isJsonMediaType, mediaTypeOf } from "./ContentNegotiation.ts";

const tooLarge = (limit: number): HttpProblem =>
  new HttpProblem({
    kind: "payload-too-large",
    detail: `the request body exceeds the limit of ${limit} bytes`,
    headers: { connection: "close" },
  });

/** The whole body, at most `limit` bytes. */
export const readBodyBytes = (
  request: HttpServerRequest.HttpServerRequest,
  limit: number,
): Effect.Effect<Uint8Array, HttpProblem> =>
  Effect.suspend(() => {
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) return Effect.fail(tooLarge(limit));
    const chunks: Array<Uint8Array> = [];
    let total = 0;
    return Stream.runForEachArray(request.stream, (array) => {
      for (const chunk of array) {
        total += chunk.length;
        if (total > limit) return Effect.fail(tooLarge(limit));
        chunks.push(chunk);
      }
      return Effect.void;
    }).pipe(
      Effect.mapError((error) =>
        error instanceof HttpProblem
          ? error
          : fieldProblem("body", "a readable request body", "a body that could not be read"),
      ),
      Effect.map(() => {
        if (chunks.length === 1) return chunks[0] as Uint8Array;
        const out = new Uint8Array(total);
        let offset = 0;
        for (const chunk of chunks) {
          out.set(chunk, offset);
          offset += chunk.length;
        }
        return out;
      }),
    );
  });

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The body as UTF-8 text (400 if it is not valid UTF-8). */
export const decodeUtf8 = (bytes: Uint8Array): Effect.Effect<string, HttpProblem> =>
  Effect.try({
    try: () => utf8.decode(bytes),
    catch: () => fieldProblem("body", "UTF-8 text", "bytes that are not valid UTF-8"),
  });

/** 415 unless the body's media type is one of `accepted`. */
export const unsupportedMediaType = (
  contentType: string | undefined,
  accepted: ReadonlyArray<string>,
): HttpProblem =>
  new HttpProblem({
    kind: "unsupported-media-type",
    detail: `Content-Type must be ${accepted.join(" or ")}, got ${contentType === undefined ? "none" : describeGiven(contentType)}`,
    headers: { "accept-post": accepted.join(", ") },
  });

/**
 * How deeply a request document may nest arrays and objects (Tally's are two levels deep). A
 * body of `[[[…]]]` within the size limit would otherwise become millions of nested arrays:
 * seconds of blocked event loop and hundreds of MiB per request.
 */
export const maxJsonDepth = 32;

/** Whether `text` nests arrays and objects deeper than `max` (brackets in strings skipped). */
const nestsDeeperThan = (text: string, max: number): boolean => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
};

/** Parses JSON text; a syntax error or too deep a nesting is a 400 naming the body. */
export const parseJsonText = (text: string): Effect.Effect<unknown, HttpProblem> =>
  Effect.suspend(() =>
    nestsDeeperThan(text, maxJsonDepth)
      ? Effect.fail(
          fieldProblem(
            "body",
            `a JSON document nested at most ${maxJsonDepth} levels deep`,
            "a document nested deeper",
          ),
        )
      : Effect.try({
          try: () => JSON.parse(text) as unknown,
          catch: (error) =>
            fieldProblem(
              "body",
              "a well-formed JSON document",
              error instanceof Error ? `malformed JSON (${error.message})` : "malformed JSON",
            ),
        }),
  );

/** Reads a JSON body (`application/json` or `+json` required; an empty body is a 400). */
export const readJsonBody = (
  request: HttpServerRequest.HttpServerRequest,
  limit: number,
): Effect.Effect<unknown, HttpProblem> =>
  Effect.gen(function* () {
    const contentType = request.headers["content-type"];
    if (!isJsonMediaType(mediaTypeOf(contentType))) {
      return yield* unsupportedMediaType(contentType, ["application/json"]);
    }
    const text = yield* Effect.flatMap(readBodyBytes(request, limit), decodeUtf8);
    if (text.trim() === "") {
      return yield* fieldProblem("body", "a JSON document", "an empty body");
    }
    return yield* parseJsonText(text);
  });

/** Reads an `application/x-www-form-urlencoded` body. */
export const readFormBody = (
  request: HttpServerRequest.HttpServerRequest,
  limit: number,
): Effect.Effect<URLSearchParams, HttpProblem> =>
  Effect.gen(function* () {
    const contentType = request.headers["content-type"];
    if (mediaTypeOf(contentType) !== "application/x-www-form-urlencoded") {
      return yield* unsupportedMediaType(contentType, ["application/x-www-form-urlencoded"]);
    }
    const text = yield* Effect.flatMap(readBodyBytes(request, limit), decodeUtf8);
    return new URLSearchParams(text);
  });
