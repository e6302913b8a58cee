/**
 * The ReportRenderer port: report content in, bytes out, one renderer per format.
 */
import { Context, type Effect, type Stream } from "effect";
import type { RenderError, StorageError } from "../domain/errors.ts";
import type { Instant } from "../domain/Instant.ts";
import type {
  LicenseUserLine,
  OrganizationSummary,
  TenantReportLine,
  TenantSummary,
} from "../domain/ReportContent.ts";
import type {
  LicenseOverviewRequest,
  ReportFormat,
  TenantReportRequest,
} from "../domain/ReportRequest.ts";

/**
 * A tenant protection report to render. `summaries` and `lines` are lazy and may each be run
 * once (a PDF runs the summaries first, then the lines); both read the store afresh.
 */
export interface TenantReportContent {
  readonly taskId: string;
  readonly request: TenantReportRequest;
  /** The instant the report is "as of": ongoing periods end here; PDF dates come from it. */
  readonly generatedAt: Instant;
  /** Tenant display name when the filter is one tenant. */
  readonly tenantName: string | null;
  readonly summaries: Effect.Effect<ReadonlyArray<TenantSummary>, StorageError>;
  readonly lines: Stream.Stream<TenantReportLine, StorageError>;
}

/** A license overview report to render (same laziness as `TenantReportContent`). */
export interface LicenseOverviewContent {
  readonly taskId: string;
  readonly request: LicenseOverviewRequest;
  readonly generatedAt: Instant;
  readonly summaries: Effect.Effect<ReadonlyArray<OrganizationSummary>, StorageError>;
  readonly users: Stream.Stream<LicenseUserLine, StorageError>;
}

/** Renders reports of one format. Same input, byte-identical output. */
export interface ReportRenderer {
  readonly format: ReportFormat;
  /** e.g. `text/csv; charset=utf-8`, `application/pdf`. */
  readonly contentType: string;
  /** Without the dot: `csv`, `pdf`. */
  readonly fileExtension: string;
  readonly renderTenantReport: (
    content: TenantReportContent,
  ) => Stream.Stream<Uint8Array, RenderError | StorageError>;
  readonly renderLicenseOverview: (
    content: LicenseOverviewContent,
  ) => Stream.Stream<Uint8Array, RenderError | StorageError>;
}

/** The renderers available, by format. */
export class ReportRenderers extends Context.Service<
  ReportRenderers,
  { readonly forFormat: (format: ReportFormat) => ReportRenderer | undefined }
>()("tally/core/ReportRenderers") {}
