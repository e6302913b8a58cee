/**
 * The identity of a fact (a tenant, VM, period, organization, user or license event): the
 * caller's own id, 1 to 128 characters. Sending the same id again replaces the fact.
 */
import { Schema } from "effect";

/** A fact's id: 1 to 128 characters. */
export const FactId = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(128)).annotate({
  description: "1 to 128 characters",
});
/** A fact's id. */
export type FactId = typeof FactId.Type;
