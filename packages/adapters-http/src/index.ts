/**
 * @tally/adapters-http — Tally's HTTP faces over the core's use cases: the first vendor's
 * virtualization reports API (face 1), the second vendor's license overview API (face 2), the
 * native `/v1` API, authentication (Bearer tokens, HTTP Basic) and authorization.
 */
export {
  decoyPasswordHash,
  hashPassword,
  scryptParameters,
  verifyPassword,
} from "./auth/PasswordHashing.ts";
export { tokenHash } from "./auth/TokenService.ts";
export { toVendorTask, type VendorTask } from "./faces/virtualization/VendorTask.ts";
export {
  type VendorTaskState,
  vendorState,
  vendorStateMap,
  vendorTaskStates,
} from "./faces/virtualization/VendorTaskState.ts";
export {
  type HttpApp,
  HttpLive,
  HttpRouterRoutes,
  makeHttpApp,
  type TallyHttpApp,
} from "./HttpApp.ts";
export { defaultHttpOptions, type HttpOptions, resolveHttpOptions } from "./HttpOptions.ts";
export { type LoopbackServer, nodeHttpServerOptions, serveOnLoopback } from "./LoopbackServer.ts";
export type { CoreServices } from "./routing/Route.ts";
