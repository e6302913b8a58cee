/**
 * A route: method, path pattern, who may call it, which face it belongs to (that decides how
 * its errors are rendered), its handler, and its documentation (the OpenAPI document and the
 * reference page are generated from the same route table that serves requests).
 */
import type {
  AccountStore,
  Clock,
  IdGenerator,
  LicenseStore,
  Principal,
  ProtectionPeriodStore,
  ReportRenderers,
  ReportStore,
  TallySettings,
  TaskStore,
  TenantDirectory,
} from "@tally/core";
import type { Effect, Schema } from "effect";
import type { HttpServerRequest, HttpServerResponse } from "effect/http";
import type { RouteFailure } from "../problems/CoreErrorProblems.ts";

/** The core services the HTTP layer may use (the ports the use cases need, and accounts). */
export type CoreServices =
  | AccountStore
  | Clock
  | IdGenerator
  | LicenseStore
  | ProtectionPeriodStore
  | ReportRenderers
  | ReportStore
  | TallySettings
  | TaskStore
  | TenantDirectory;

/** The three HTTP faces; each renders errors its own way. */
export type Face = "virtualization" | "licensing" | "native";

/** HTTP methods routes use. */
export type Method = "GET" | "POST" | "PUT" | "DELETE";

/** What a public handler receives. */
export interface PublicInput {
  readonly request: HttpServerRequest.HttpServerRequest;
  readonly url: URL;
  /** Path parameters, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
}

/** What a handler of an authenticated route receives. */
export interface AuthenticatedInput extends PublicInput {
  readonly principal: Principal;
}

/** A JSON Schema fragment, or an effect Schema converted when the document is built. */
export type DocSchema = Schema.Top | { readonly jsonSchema: Record<string, unknown> };

/** A documented parameter. */
export interface ParameterDoc {
  readonly name: string;
  readonly in: "query" | "path" | "header";
  readonly required?: boolean;
  readonly description: string;
  readonly schema?: Record<string, unknown>;
}

/** A documented body, per media type. */
export interface ContentDoc {
  readonly [mediaType: string]: { readonly schema?: DocSchema; readonly example?: unknown };
}

/** A documented response. */
export interface ResponseDoc {
  readonly description: string;
  readonly content?: ContentDoc;
  /** Header name → description. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Documentation of one operation. */
export interface OperationDoc {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: ReadonlyArray<string>;
  readonly parameters?: ReadonlyArray<ParameterDoc>;
  readonly requestBody?: { readonly description?: string; readonly content: ContentDoc };
  /** Status code → response. Error statuses are rendered as problem details. */
  readonly responses: Readonly<Record<string, ResponseDoc>>;
}

interface RouteBase {
  readonly method: Method;
  /** e.g. `/v1/tasks/{id}`; `{name}` matches one path segment. */
  readonly path: string;
  readonly face: Face;
  /** Vendor paths are matched ignoring the case of literal segments. */
  readonly caseInsensitive?: boolean;
  readonly doc: OperationDoc;
}

/** A route anyone may call (token endpoint, health, API reference). */
export interface PublicRoute<R> extends RouteBase {
  readonly access: "public";
  readonly handle: (
    input: PublicInput,
  ) => Effect.Effect<HttpServerResponse.HttpServerResponse, RouteFailure, R>;
}

/** A route that needs credentials. */
export interface AuthenticatedRoute<R> extends RouteBase {
  readonly access: "authenticated";
  readonly handle: (
    input: AuthenticatedInput,
  ) => Effect.Effect<HttpServerResponse.HttpServerResponse, RouteFailure, R>;
}

/** Any route. */
export type Route<R = CoreServices> = PublicRoute<R> | AuthenticatedRoute<R>;
