/**
 * The renderers Tally ships, as the core's `ReportRenderers` service: CSV and PDF.
 */

import { type ReportRenderer, ReportRenderers } from "@tally/core";
import { Layer } from "effect";
import { CsvRenderer } from "./csv/CsvRenderer.ts";
import { PdfRenderer } from "./pdf/PdfRenderer.ts";

const byFormat: ReadonlyMap<string, ReportRenderer> = new Map([
  [CsvRenderer.format, CsvRenderer],
  [PdfRenderer.format, PdfRenderer],
]);

/** `ReportRenderers` with the CSV and the PDF renderer. */
export const ReportRenderersLive: Layer.Layer<ReportRenderers> = Layer.succeed(
  ReportRenderers,
  ReportRenderers.of({ forFormat: (format) => byFormat.get(format) }),
);
