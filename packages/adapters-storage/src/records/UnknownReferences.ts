/**
 * Periods name their VM and events their user. The schema declares no foreign key for these
 * two references: SQLite checks a foreign key row by row, which cost a third of the bulk
 * ingestion rate (a million periods on this machine: 87k rows/s with the foreign key, 133k
 * without; 156k with the batch check below, measured by bench/storageBench.ts). Instead
 * each upsert checks the batch's distinct VMs or users at once, inside its transaction, and
 * refuses the whole batch with a message naming the first row at fault. VMs and users are
 * never deleted, so a reference checked on the way in stays valid.
 */
import { type LicenseEvent, type ProtectionPeriod, StorageError } from "@tally/core";

/** The distinct values of `key` in `rows`. */
export const distinct = <A>(rows: ReadonlyArray<A>, key: (row: A) => string): Array<string> => [
  ...new Set(rows.map(key)),
];

/** ConstraintViolation for the first period whose VM is not in `knownVmIds`, if any. */
export const unknownVmOf = (
  operation: string,
  periods: ReadonlyArray<ProtectionPeriod>,
  knownVmIds: ReadonlySet<string>,
): StorageError | undefined => {
  const orphan = periods.find((period) => !knownVmIds.has(period.vmId));
  return orphan === undefined
    ? undefined
    : new StorageError({
        reason: "ConstraintViolation",
        operation,
        detail: `protection period '${orphan.id}' names VM '${orphan.vmId}', which does not exist`,
      });
};

/** ConstraintViolation for the first event whose user is not in `knownUserIds`, if any. */
export const unknownUserOf = (
  operation: string,
  events: ReadonlyArray<LicenseEvent>,
  knownUserIds: ReadonlySet<string>,
): StorageError | undefined => {
  const orphan = events.find((event) => !knownUserIds.has(event.userId));
  return orphan === undefined
    ? undefined
    : new StorageError({
        reason: "ConstraintViolation",
        operation,
        detail: `license event '${orphan.id}' names user '${orphan.userId}', who does not exist`,
      });
};
