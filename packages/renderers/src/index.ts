/**
 * @tally/renderers — report content in, bytes out: `CsvRenderer` (the vendor's CSV and the
 * native variants, hand-written and checked against fast-csv) and `PdfRenderer` (pdfkit, an
 * embedded DejaVu Sans, streamed page by page), and the `ReportRenderers` layer with both.
 */
export { CsvRenderer } from "./csv/CsvRenderer.ts";
export { PdfRenderer } from "./pdf/PdfRenderer.ts";
export * from "./RenderReport.ts";
export { ReportRenderersLive } from "./ReportRenderersLive.ts";
