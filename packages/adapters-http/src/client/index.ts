/**
 * @tally/adapters-http/client — a typed client of Tally's native API (`/v1`), made by effect's
 * `HttpApiClient` from the very definitions the server answers with: every method, its
 * parameters, body, answer and problems are typed, and a change to the API that a client would
 * notice does not compile. It runs wherever `fetch` does (nothing of the server is imported).
 *
 * ```ts
 * import { TallyClient } from "@tally/adapters-http/client"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const tally = yield* TallyClient
 *   const task = yield* tally.submitReport({
 *     payload: { type: "tenant-protection", tenantId: "acme", format: "csv" },
 *     headers: {},
 *   })
 *   return yield* tally.getTask({ params: { id: task.body.id } })
 * }).pipe(
 *   Effect.provide(
 *     TallyClient.layer({ baseUrl: "http://127.0.0.1:8080", credentials: { username: "admin", password: "admin" } }),
 *   ),
 * )
 * ```
 */
import { Context, type Effect, Layer } from "effect";
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http";
import { HttpApiClient } from "effect/http-api";
import { NativeApi } from "../api/TallyApi.ts";

export { Problem, problemKinds, problemTypeUri } from "../api/Problem.ts";
export * from "../api/Representations.ts";
export { NativeApi, TallyApi } from "../api/TallyApi.ts";

/** How the client proves who it is: an access token from `POST /v6/Token`, or HTTP Basic. */
export type TallyCredentials =
  | { readonly bearer: string }
  | { readonly username: string; readonly password: string };

/** Where Tally is and who is asking. */
export interface TallyClientOptions {
  /** e.g. `http://127.0.0.1:8080`, or `https://host/tally` when a service mounts Tally there. */
  readonly baseUrl: string;
  readonly credentials: TallyCredentials;
}

/** The typed client of the native API: one method per endpoint (`getTask`, `listReports`, …). */
export type TallyClientShape = HttpApiClient.ForApi<typeof NativeApi>;

const authenticate = (credentials: TallyCredentials) =>
  "bearer" in credentials
    ? HttpClientRequest.bearerToken(credentials.bearer)
    : HttpClientRequest.basicAuth(credentials.username, credentials.password);

/** A typed client of the native API over the `HttpClient` in the environment. */
export const makeTallyClient = (
  options: TallyClientOptions,
): Effect.Effect<TallyClientShape, never, HttpClient.HttpClient> =>
  HttpApiClient.make(NativeApi, {
    baseUrl: options.baseUrl,
    transformClient: HttpClient.mapRequest(authenticate(options.credentials)),
  });

/** The typed client as a service. */
export class TallyClient extends Context.Service<TallyClient, TallyClientShape>()(
  "tally/http/TallyClient",
) {
  /** The client over `fetch`. */
  static readonly layer = (options: TallyClientOptions): Layer.Layer<TallyClient> =>
    Layer.effect(TallyClient, makeTallyClient(options)).pipe(Layer.provide(FetchHttpClient.layer));
}
