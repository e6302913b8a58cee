/**
 * The first vendor's task states, and how Tally's task states map onto them.
 *
 * | Tally task                          | Vendor state |
 * |-------------------------------------|--------------|
 * | `Queued`                            | `Queued`     |
 * | `Running`                           | `Running`    |
 * | `Running` with a cancel requested   | `Stopping`   |
 * | `Succeeded`                         | `Completed`  |
 * | `Failed`                            | `Failed`     |
 * | `Cancelled`                         | `Canceled`   |
 *
 * The vendor's `Created` and `Starting` never occur: a Tally task is queued the moment it is
 * created, and a worker's claim makes it running in one step. Filtering by them matches
 * nothing.
 */
import type { ReportTask, TaskStateTag } from "@tally/core";
import type { VendorTaskState } from "../../api/Representations.ts";

/**
 * The map from Tally's task states to the vendor's (documented above and in the README).
 * `Running` maps to `Stopping` when a cancellation has been requested.
 */
export const vendorStateMap: Readonly<
  Record<
    TaskStateTag,
    { readonly vendorState: VendorTaskState; readonly whenCancelRequested?: VendorTaskState }
  >
> = {
  Queued: { vendorState: "Queued" },
  Running: { vendorState: "Running", whenCancelRequested: "Stopping" },
  Succeeded: { vendorState: "Completed" },
  Failed: { vendorState: "Failed" },
  Cancelled: { vendorState: "Canceled" },
};

/** The vendor state of a task. */
export const vendorState = (task: ReportTask): VendorTaskState => {
  const entry = vendorStateMap[task.state._tag];
  return task.cancelRequested && entry.whenCancelRequested !== undefined
    ? entry.whenCancelRequested
    : entry.vendorState;
};

/** The Tally state tags a vendor state can come from (empty for `Created` and `Starting`). */
export const tallyStatesOf = (state: VendorTaskState): ReadonlyArray<TaskStateTag> => {
  switch (state) {
    case "Queued":
      return ["Queued"];
    case "Running":
    case "Stopping":
      return ["Running"];
    case "Completed":
      return ["Succeeded"];
    case "Failed":
      return ["Failed"];
    case "Canceled":
      return ["Cancelled"];
    case "Created":
    case "Starting":
      return [];
  }
};
