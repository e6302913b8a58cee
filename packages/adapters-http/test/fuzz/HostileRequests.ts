/**
 * fast-check arbitraries of hostile HTTP requests against every endpoint of Tally's three
 * faces — the vendor API 2.0 (`/api/2.0/virtualization/…`), the vendor API v6 (`/v6/Token`,
 * `/v6/Reports/GenerateLicenseOverview`) and the native `/v1` API (reports, tasks, ingestion,
 * fact reads, health, OpenAPI, docs) — for fuzzing a running server over a real socket.
 *
 * A request starts as a plausible one for its endpoint (right method, path, credentials, content
 * type and a body or query drawn from what the server holds), and then zero to four mutations
 * spoil it: wrong types and malformed dates and zones in fields, bodies that are malformed,
 * truncated, huge or of the wrong content type, wrong methods, path tricks, repeated query
 * parameters and headers, bad `Authorization` shapes, `Range` and `Idempotency-Key` garbage,
 * lying framing. A request that is wrong in one place only reaches the code behind the parser;
 * one wrong everywhere tests the parser.
 *
 * Ids of tasks and reports, access tokens and refresh tokens are not known when a request is
 * generated: they appear as `Reference`s that the driver fills in, when it sends the request,
 * from what earlier responses revealed.
 */
import fc from "fast-check";
import { plausibleDraft } from "./EndpointDrafts.ts";
import { copyDraft, finishDraft } from "./RequestDraft.ts";
import { requestMutation } from "./RequestMutations.ts";

/** A user the server knows, with the right password. */
export interface FuzzAccount {
  readonly username: string;
  readonly password: string;
}

/** What the fuzzer knows of the server it attacks: accounts, the ids of its facts, its limits. */
export interface FuzzWorld {
  readonly accounts: ReadonlyArray<FuzzAccount>;
  readonly tenantIds: ReadonlyArray<string>;
  readonly vmIds: ReadonlyArray<string>;
  readonly organizationIds: ReadonlyArray<string>;
  readonly userIds: ReadonlyArray<string>;
  /** The server's JSON and form body limit, in bytes. */
  readonly maxBodyBytes: number;
  /** The server's CSV body limit, in bytes. */
  readonly maxCsvBodyBytes: number;
  /**
   * How often a body beyond the limit is really streamed (0–1); otherwise only a
   * `Content-Length` beyond it is declared. Streaming 64 MiB is slow against a real server.
   */
  readonly streamedHugeBodies: number;
}

/** Something only the server's earlier answers can tell; `pick` chooses among those seen. */
export type Reference =
  | { readonly ref: "task" | "report" | "refreshToken"; readonly pick: number }
  | { readonly ref: "accessToken"; readonly username: string; readonly pick: number };

/** Text with references filled in when the request is sent. */
export type Template = ReadonlyArray<string | Reference>;

/** A header line: a name and value, or a raw line as given (broken syntax on purpose). */
export type HeaderLine =
  | { readonly name: string; readonly value: Template }
  | { readonly raw: string };

/** The body: text (UTF-8), raw bytes, or `size` bytes of a repeated filler (streamed). */
export type BodyPlan =
  | { readonly _tag: "Text"; readonly text: Template }
  | { readonly _tag: "Bytes"; readonly bytes: Uint8Array }
  | { readonly _tag: "Filler"; readonly size: number; readonly unit: string };

/**
 * How the body's length is told: a true `Content-Length`, chunked, not at all, lying
 * `Content-Length` values, a true length with the body cut short, or broken chunking.
 */
export type Framing =
  | { readonly _tag: "Length" }
  | { readonly _tag: "Chunked" }
  | { readonly _tag: "Omitted" }
  | { readonly _tag: "Declared"; readonly values: ReadonlyArray<string> }
  | { readonly _tag: "CutShort"; readonly keepFraction: number }
  | { readonly _tag: "BrokenChunks"; readonly raw: string };

/** One generated request. */
export interface HostileRequest {
  /** The endpoint it started from, e.g. `POST /v1/reports`. */
  readonly endpoint: string;
  /** The mutations applied, e.g. `bad-date(start)`, `two-authorization`. */
  readonly tricks: ReadonlyArray<string>;
  readonly method: string;
  readonly target: Template;
  readonly version: string;
  readonly headers: ReadonlyArray<HeaderLine>;
  readonly body: BodyPlan;
  readonly framing: Framing;
  /**
   * True when a closed or reset connection is a fair answer: the request is broken at the
   * connection level (lying or cut-short framing, CONNECT), or its body is larger than a socket
   * buffer — a server may answer such a request before reading the body (413, or Node's own 400
   * and 431) and close, and the close resets the connection while the client is still sending,
   * which can discard the answer.
   */
  readonly mayGoUnanswered: boolean;
}

/** Hostile requests against every endpoint, each spoiled by zero to four mutations. */
export const hostileRequest = (world: FuzzWorld): fc.Arbitrary<HostileRequest> =>
  fc
    .tuple(
      plausibleDraft(world),
      fc.oneof(
        { weight: 1, arbitrary: fc.constant([]) },
        {
          weight: 3,
          arbitrary: fc.array(requestMutation(world), { minLength: 1, maxLength: 4 }),
        },
      ),
    )
    .map(([base, spoilers]) => {
      const draft = copyDraft(base);
      for (const spoiler of spoilers) spoiler.apply(draft);
      return finishDraft(draft);
    });
