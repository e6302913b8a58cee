/**
 * Rendering report content from outside a worker: what a service that embeds the core calls
 * with the content of `tenantReport` or `licenseOverview` (from `@tally/core`).
 *
 * ```ts
 * import { InMemory, licenseOverview, type Principal } from "@tally/core";
 * import { writeReportFile } from "@tally/renderers";
 * import { Effect } from "effect";
 *
 * const admin: Principal = { id: "me", role: "Administrator", tenantId: null };
 * const year = { start: Date.UTC(2024, 0, 1), end: Date.UTC(2025, 0, 1), zone: "Local" };
 * const program = Effect.gen(function* () {
 *   const overview = yield* licenseOverview(admin, year);
 *   return yield* writeReportFile(overview, "licenses-2024.pdf", "pdf");
 * });
 * Effect.runPromise(program.pipe(Effect.provide(InMemory.layer)));
 * ```
 */
import { createWriteStream } from "node:fs";
import type {
  LicenseOverviewContent,
  RenderError,
  ReportFormat,
  StorageError,
  TenantReportContent,
} from "@tally/core";
import { Effect, Stream } from "effect";
import { CsvRenderer } from "./csv/CsvRenderer.ts";
import { PdfRenderer } from "./pdf/PdfRenderer.ts";

/** Report content of either kind. */
export type AnyReportContent = TenantReportContent | LicenseOverviewContent;

/**
 * The report's bytes in `format` (default: the format its request names). Each run reads the
 * stores afresh, so the stream may be run again, e.g. once as CSV and once as PDF.
 */
export const renderReport = (
  content: AnyReportContent,
  format: ReportFormat = content.request.format,
): Stream.Stream<Uint8Array, RenderError | StorageError> => {
  const renderer = format === "pdf" ? PdfRenderer : CsvRenderer;
  return content.request._tag === "TenantReport"
    ? renderer.renderTenantReport(inFormat(content as TenantReportContent, format))
    : renderer.renderLicenseOverview(inFormat(content as LicenseOverviewContent, format));
};

/** The content with its request asking for `format` (a PDF has both summary and detail). */
const inFormat = <C extends AnyReportContent>(content: C, format: ReportFormat): C => {
  if (content.request.format === format) return content;
  const request = { ...content.request, format };
  if (format === "pdf") Object.assign(request, { variant: pdfVariant(content) });
  return { ...content, request };
};

const pdfVariant = (content: AnyReportContent): string =>
  content.request._tag === "TenantReport" ? "detail" : "users";

/** A file could not be written. */
export class ReportFileError extends Error {
  override readonly name = "ReportFileError";
}

/**
 * Renders the report into a file at `path`, streaming (memory stays bounded however long the
 * report), and returns the number of bytes written.
 */
export const writeReportFile = (
  content: AnyReportContent,
  path: string,
  format?: ReportFormat,
): Effect.Effect<number, RenderError | StorageError | ReportFileError> =>
  Effect.acquireUseRelease(
    Effect.sync(() =>
      // Failures reach the write and end callbacks; without a listener an open error would
      // also be thrown as an unhandled 'error' event.
      createWriteStream(path).on("error", () => undefined),
    ),
    (file) =>
      Stream.runFoldEffect(
        renderReport(content, format),
        () => 0,
        (written: number, chunk) =>
          Effect.callback<number, ReportFileError>((resume) => {
            file.write(chunk, (error) =>
              resume(
                error
                  ? Effect.fail(new ReportFileError(`cannot write ${path}: ${error.message}`))
                  : Effect.succeed(written + chunk.length),
              ),
            );
          }),
      ).pipe(
        Effect.tap(() =>
          Effect.callback<void, ReportFileError>((resume) => {
            file.end((error?: Error | null) =>
              resume(
                error
                  ? Effect.fail(new ReportFileError(`cannot write ${path}: ${error.message}`))
                  : Effect.void,
              ),
            );
          }),
        ),
      ),
    (file) => Effect.sync(() => file.destroy()),
  );
