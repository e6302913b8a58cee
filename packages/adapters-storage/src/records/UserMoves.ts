/**
 * Users who changed organization in one upsert batch, grouped by (from, to), so that their
 * events move with one statement per group: events have no index on user_id, and each group
 * scans its old organization's part of the report index once.
 */

/** One group: users who moved from one organization to the same other one. */
export interface UserMove {
  readonly from: string;
  readonly to: string;
  readonly userIds: ReadonlyArray<string>;
}

/** Collects moves while a batch is upserted; the last move of a user wins. */
export class UserMoves {
  private readonly byUser = new Map<string, { readonly from: string; readonly to: string }>();

  /** Notes that `userId` belonged to `from` and now belongs to `to` (no-op when equal). */
  record(userId: string, from: string, to: string): void {
    const earlier = this.byUser.get(userId);
    const origin = earlier === undefined ? from : earlier.from;
    if (origin === to) this.byUser.delete(userId);
    else this.byUser.set(userId, { from: origin, to });
  }

  /** The moves grouped by (from, to). */
  groups(): Array<UserMove> {
    const groups = new Map<string, { from: string; to: string; userIds: Array<string> }>();
    for (const [userId, move] of this.byUser) {
      const key = JSON.stringify([move.from, move.to]);
      let group = groups.get(key);
      if (group === undefined) {
        group = { from: move.from, to: move.to, userIds: [] };
        groups.set(key, group);
      }
      group.userIds.push(userId);
    }
    return [...groups.values()];
  }
}
