/**
 * Splits an upsert into statements for PostgreSQL. One `insert … on conflict do update` may
 * not touch a row twice, so a batch keeps only the last row of each id (as applying the rows
 * one by one would); rows then go in slices, each sent as column arrays through `unnest`.
 */

/** Rows per statement: large enough to amortise a round trip, small enough for memory. */
export const rowsPerStatement = 10_000;

/** The rows with each id only once, the last occurrence winning. */
export const lastOfEachId = <A extends { readonly id: string }>(
  rows: ReadonlyArray<A>,
): ReadonlyArray<A> => {
  const byId = new Map<string, A>();
  for (const row of rows) {
    byId.delete(row.id);
    byId.set(row.id, row);
  }
  return byId.size === rows.length ? rows : [...byId.values()];
};

/** Consecutive slices of at most `rowsPerStatement` rows. */
export function* slices<A>(rows: ReadonlyArray<A>): Generator<ReadonlyArray<A>> {
  for (let i = 0; i < rows.length; i += rowsPerStatement) yield rows.slice(i, i + rowsPerStatement);
}
