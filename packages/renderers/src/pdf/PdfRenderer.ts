/**
 * The PDF renderer: the tenant protection report and the license overview, as A4 landscape
 * documents with an embedded DejaVu Sans.
 *
 * Streaming: when the stream runs, the summaries are read and the first pages drawn; then each
 * chunk of rows the store yields is drawn and the pages pdfkit finished meanwhile are emitted.
 * Rows are pulled only when the consumer pulls bytes, so back-pressure reaches the store and
 * memory holds about one chunk of rows and the pages it fills. Each run draws a new document, so
 * running the stream twice gives the same bytes twice.
 *
 * The drawing modules (pdfkit, fontkit and their ~70 modules) are imported when a PDF is first
 * opened, not with this module: a process that only writes CSV never loads them.
 */

import {
  type LicenseOverviewContent,
  RenderError,
  type ReportRenderer,
  type StorageError,
  type TenantReportContent,
} from "@tally/core";
import { Effect, Stream } from "effect";
import type { RowPdf } from "./RowPdf.ts";

const renderError = (cause: unknown): RenderError =>
  new RenderError({
    format: "pdf",
    detail: cause instanceof Error ? cause.message : String(cause),
  });

/** Streams a PDF: opened once per run, rows drawn as they are pulled, then finished. */
const streamPdf = <A>(
  open: Effect.Effect<RowPdf<A>, RenderError | StorageError>,
  rows: Stream.Stream<A, StorageError>,
): Stream.Stream<Uint8Array, RenderError | StorageError> =>
  Stream.unwrap(
    Effect.map(open, (pdf) =>
      rows.pipe(
        Stream.mapAccumArrayEffect(
          () => pdf,
          (state, chunk) =>
            Effect.try({
              try: () => {
                state.add(chunk);
                return [state, state.take()] as const;
              },
              catch: renderError,
            }),
        ),
        Stream.concat(
          Stream.fromArrayEffect(
            Effect.try({
              try: () => {
                pdf.finish();
                return pdf.take();
              },
              catch: renderError,
            }),
          ),
        ),
      ),
    ),
  );

/**
 * Opens a PDF once its summaries are read, with the drawing function `load` imports on first
 * use (Node caches the module for the next PDF).
 */
const openPdf = <S, A>(
  summaries: Effect.Effect<S, StorageError>,
  load: () => Promise<(summaries: S) => RowPdf<A>>,
) =>
  Effect.flatMap(
    Effect.zip(Effect.tryPromise({ try: load, catch: renderError }), summaries),
    ([open, read]) => Effect.try({ try: () => open(read), catch: renderError }),
  );

const openTenant = (content: TenantReportContent) =>
  openPdf(content.summaries, async () => {
    const { openTenantReportPdf } = await import("./TenantReportPdf.ts");
    return (summaries) => openTenantReportPdf(content, summaries);
  });

const openLicense = (content: LicenseOverviewContent) =>
  openPdf(content.summaries, async () => {
    const { openLicenseOverviewPdf } = await import("./LicenseOverviewPdf.ts");
    return (summaries) => openLicenseOverviewPdf(content, summaries);
  });

/** Renders reports as PDF: same input, same bytes. */
export const PdfRenderer: ReportRenderer = {
  format: "pdf",
  contentType: "application/pdf",
  fileExtension: "pdf",
  renderTenantReport: (content) => streamPdf(openTenant(content), content.lines),
  renderLicenseOverview: (content) => streamPdf(openLicense(content), content.users),
};
