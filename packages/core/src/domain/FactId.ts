/**
 * The identity of a fact (a tenant, VM, period, organization or user or license event): the
 * caller's own id, 1 to 128 characters of storable text. Sending the same id again replaces the
 * fact.
 */
import { StorableText, storableTextRule } from "./StorableText.ts";

/** The longest id of a fact, and of anything a client names by id. */
export const maxIdLength = 128;

/** A fact's id: 1 to 128 characters of storable text. */
export const FactId = StorableText({ minLength: 1, maxLength: maxIdLength }).annotate({
  description: `1 to ${maxIdLength} characters; ${storableTextRule}`,
});
/** A fact's id. */
export type FactId = typeof FactId.Type;
