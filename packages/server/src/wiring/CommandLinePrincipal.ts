/**
 * Who the command line acts as. Whoever can run `tally` on the server can read its database
 * file or connection string anyway, so the command line is an administrator.
 */
import type { Principal } from "@tally/core";

/** The principal of `tally report`, `tally import` and `tally demo`. */
export const commandLinePrincipal: Principal = {
  id: "tally-cli",
  role: "Administrator",
  tenantId: null,
};
