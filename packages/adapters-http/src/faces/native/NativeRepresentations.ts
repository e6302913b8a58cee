/**
 * How the native API shows tasks and reports as JSON: instants in ISO 8601 UTC, the request a
 * task was made from in the same words the submission uses, and links to related resources.
 */
import type { ReportMeta, ReportRequest, ReportTask } from "@tally/core";
import { isoInstant, isoInstantOrNull } from "@tally/core";

/** The report kinds of the native API and the task types they stand for. */
export const reportKinds = {
  "tenant-protection": "CreateTenantReport",
  "license-overview": "CreateLicenseOverviewReport",
} as const;

/** A native report kind. */
export type ReportKind = keyof typeof reportKinds;

const kindOfRequest = (request: ReportRequest): ReportKind =>
  request._tag === "TenantReport" ? "tenant-protection" : "license-overview";

/** A stored request as the native API describes it. */
export const requestJson = (request: ReportRequest): Record<string, unknown> => {
  const common = {
    type: kindOfRequest(request),
    start: isoInstant(request.interval.start),
    end: isoInstant(request.interval.end),
    timezone: request.zone.spec,
    format: request.format,
    variant: request.variant,
    separator: request.separator,
  };
  if (request._tag === "TenantReport") {
    return {
      ...common,
      tenantId: request.tenant._tag === "OneTenant" ? request.tenant.tenantId : null,
      columns: request.columns,
    };
  }
  const organizations = request.organizations;
  return {
    ...common,
    tenantId: organizations._tag === "OrganizationsOfTenant" ? organizations.tenantId : null,
    organizationId: organizations._tag === "OneOrganization" ? organizations.organizationId : null,
  };
};

/** A task as the native API shows it. */
export const taskJson = (task: ReportTask): Record<string, unknown> => {
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
    links: {
      self: `/v1/tasks/${encodeURIComponent(task.id)}`,
      ...(reportId === null
        ? {}
        : {
            report: `/v1/reports/${encodeURIComponent(reportId)}`,
            content: `/v1/reports/${encodeURIComponent(reportId)}/content`,
          }),
    },
  };
};

/** A report's metadata as the native API shows it. */
export const reportJson = (meta: ReportMeta): Record<string, unknown> => ({
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
    self: `/v1/reports/${encodeURIComponent(meta.id)}`,
    content: `/v1/reports/${encodeURIComponent(meta.id)}/content`,
    task: `/v1/tasks/${encodeURIComponent(meta.taskId)}`,
  },
});
