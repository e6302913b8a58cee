/**
 * The row limit of a listing. SQLite reads a negative LIMIT as "no limit" and PostgreSQL
 * rejects it; the ports' in-memory adapters return nothing, so both databases do too.
 */

/** `limit` as a whole number of rows, at least zero. */
export const pageLimit = (limit: number): number =>
  Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
