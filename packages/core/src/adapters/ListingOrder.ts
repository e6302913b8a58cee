/**
 * The order the ports promise for listings: by `createdAt`, then by id in Unicode code point
 * order (see `CodePointOrder`), so that the in-memory stores, the SQL stores and the contract
 * suites page through tasks and reports alike.
 */
import { compareCodePoints } from "../domain/CodePointOrder.ts";
import type { Instant } from "../domain/Instant.ts";

/** Compares listing positions: by `createdAt`, then id by code point. */
export const compareByCreation = (
  a: { readonly createdAt: Instant; readonly id: string },
  b: { readonly createdAt: Instant; readonly id: string },
): number => a.createdAt - b.createdAt || compareCodePoints(a.id, b.id);
