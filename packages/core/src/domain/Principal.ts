/**
 * Principals: who asks. Administrators see everything; tenant operators see one tenant.
 */
import { Schema } from "effect";

/** The role of a principal. */
export const Role = Schema.Literals(["Administrator", "TenantOperator"]);
/** The role of a principal. */
export type Role = typeof Role.Type;

/** An authenticated caller. `tenantId` is set exactly when the role is TenantOperator. */
export const Principal = Schema.Struct({
  id: Schema.String,
  role: Role,
  tenantId: Schema.NullOr(Schema.String),
});
/** An authenticated caller. `tenantId` is set exactly when the role is TenantOperator. */
export type Principal = typeof Principal.Type;
