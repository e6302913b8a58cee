/**
 * How the native API shows tasks and reports (the `TaskJson`, `ReportJson` and `RequestJson`
 * Schemas): instants in ISO 8601 UTC, the request a task was made from in the same words the
 * submission uses, and links to related resources.
 */
import {
  isoInstant,
  isoInstantOrNull,
  type ReportMeta,
  type ReportRequest,
  type ReportTask,
} from "@tally/core";
import type { ReportJson, RequestJson, TaskJson } from "../../api/Representations.ts";
import type { Paths } from "../Paths.ts";

/** A stored request as the native API describes it. */
export const requestJson = (request: ReportRequest): RequestJson => {
  const common = {
    start: isoInstant(request.interval.start),
    end: isoInstant(request.interval.end),
    timezone: request.zone.spec,
    format: request.format,
    variant: request.variant,
    separator: request.separator,
  };
  if (request._tag === "TenantReport") {
    return {
      type: "tenant-protection",
      ...common,
      tenantId: request.tenant._tag === "OneTenant" ? request.tenant.tenantId : null,
      columns: request.columns,
    };
  }
  const organizations = request.organizations;
  return {
    type: "license-overview",
    ...common,
    tenantId: organizations._tag === "OrganizationsOfTenant" ? organizations.tenantId : null,
    organizationId: organizations._tag === "OneOrganization" ? organizations.organizationId : null,
  };
};

/** A task as the native API shows it. */
export const taskJson = (task: ReportTask, paths: Paths): TaskJson => {
  const reportId = task.state._tag === "Succeeded" ? task.state.reportId : null;
  return {
    id: task.id,
    type: task.type,
    state: task.state._tag,
    cancelRequested: task.cancelRequested,
    progress: task.progress,
    attempts: task.attempts,
    maxAttempts: task.maxAttempts,
    createdAt: isoInstant(task.createdAt),
    startedAt: isoInstantOrNull(task.startedAt),
    finishedAt: isoInstantOrNull(task.finishedAt),
    stateChangedAt: isoInstant(task.stateChangedAt),
    changedAt: isoInstant(task.changedAt),
    reportId,
    error: task.state._tag === "Failed" ? task.state.error : null,
    requestedBy: task.principal.id,
    request: requestJson(task.request),
    links:
      reportId === null
        ? { self: paths.task(task.id) }
        : {
            self: paths.task(task.id),
            report: paths.report(reportId),
            content: paths.reportContent(reportId),
          },
  };
};

/** A report's metadata as the native API shows it. */
export const reportJson = (meta: ReportMeta, paths: Paths): ReportJson => ({
  id: meta.id,
  taskId: meta.taskId,
  type: meta.type,
  format: meta.format,
  contentType: meta.contentType,
  fileName: meta.fileName,
  createdAt: isoInstant(meta.createdAt),
  expiresAt: isoInstant(meta.expiresAt),
  rowCount: meta.rowCount,
  byteSize: meta.byteSize,
  sha256: meta.sha256,
  request: requestJson(meta.request),
  links: {
    self: paths.report(meta.id),
    content: paths.reportContent(meta.id),
    task: paths.task(meta.taskId),
  },
});
