/**
 * @tally/adapters-http — Tally's HTTP faces over the core's use cases, on effect's HttpApi: the
 * first vendor's virtualization reports API (face 1), the second vendor's license overview API
 * (face 2), the native `/v1` API, authentication (Bearer tokens, HTTP Basic) and authorization,
 * the OpenAPI 3.1 document and the reference page. The API definition itself (`TallyApi`) and
 * the typed client of the native API are in `@tally/adapters-http/client`.
 */
export { TallyApi } from "./api/TallyApi.ts";
export {
  type HttpApp,
  HttpLive,
  HttpRouterRoutes,
  makeHttpApp,
  TallyRoutes,
} from "./HttpApp.ts";
export { defaultHttpOptions, type HttpOptions, resolveHttpOptions } from "./HttpOptions.ts";
export { type LoopbackServer, nodeHttpServerOptions, serveOnLoopback } from "./LoopbackServer.ts";
export { type MountOptions, mountTally, type TallyNodeHandler } from "./mounting/NodeMount.ts";
export { tokenHash } from "./server/auth/TokenService.ts";
export type { CoreServices } from "./server/CoreServices.ts";
export { toVendorTask, type VendorTask } from "./server/vendor/VendorTask.ts";
export { vendorState, vendorStateMap } from "./server/vendor/VendorTaskState.ts";
