/**
 * The blocks a report page is made of besides tables: the title, a section heading, a list of
 * labelled facts (the report's parameters, the totals) and a note. Each block moves the canvas's
 * `y` below itself and starts a new page when it does not fit.
 */
import type { PdfCanvas } from "./PdfCanvas.ts";

const TITLE_SIZE = 18;
const HEADING_SIZE = 12;
const FACT_SIZE = 9;
const FACT_LABEL_WIDTH = 150;

/** The document's title, at the top of the first page. */
export const drawTitle = (canvas: PdfCanvas, title: string): void => {
  canvas.text(canvas.bold, TITLE_SIZE, canvas.left, canvas.y, title);
  canvas.y += TITLE_SIZE * 1.5;
};

/** A section heading, kept on one page with at least `keepWith` points of what follows. */
export const drawHeading = (canvas: PdfCanvas, text: string, keepWith = 60): void => {
  if (canvas.room < HEADING_SIZE * 2 + keepWith) canvas.newPage();
  else if (canvas.y > canvas.top) canvas.y += HEADING_SIZE * 0.6;
  canvas.text(canvas.bold, HEADING_SIZE, canvas.left, canvas.y, text);
  canvas.y += HEADING_SIZE * 1.6;
};

/** Where a list of facts goes and how large: defaults are the page's width and 9 pt. */
export interface FactLayout {
  readonly left?: number;
  readonly right?: number;
  readonly labelWidth?: number;
  readonly size?: number;
}

/** Labelled facts, one per line (a long value wraps onto up to three lines). */
export const drawFacts = (
  canvas: PdfCanvas,
  facts: ReadonlyArray<readonly [string, string]>,
  layout: FactLayout = {},
): void => {
  const size = layout.size ?? FACT_SIZE;
  const left = layout.left ?? canvas.left;
  const labelWidth = layout.labelWidth ?? FACT_LABEL_WIDTH;
  const lineHeight = size * 1.35;
  const valueLeft = left + labelWidth;
  const valueRoom = (((layout.right ?? canvas.right) - valueLeft) * 1000) / size;
  for (const [label, value] of facts) {
    const lines = canvas.regular.wrap(value, valueRoom, 3);
    if (canvas.room < lines.length * lineHeight) canvas.newPage();
    canvas.text(canvas.bold, size, left, canvas.y, label, labelWidth - 8);
    lines.forEach((line, i) => {
      canvas.text(
        canvas.regular,
        size,
        valueLeft,
        canvas.y + i * lineHeight,
        line,
        (valueRoom * size) / 1000,
      );
    });
    canvas.y += Math.max(1, lines.length) * lineHeight;
  }
  canvas.y += lineHeight * 0.5;
};

/** A paragraph of small grey text across the page (an explanation under a table). */
export const drawParagraph = (canvas: PdfCanvas, text: string, size = 7): void => {
  const lineHeight = size * 1.3;
  const lines = canvas.regular.wrap(text, ((canvas.right - canvas.left) * 1000) / size, 12);
  if (canvas.room < lines.length * lineHeight + size) canvas.newPage();
  canvas.y += size * 0.4;
  canvas.content.ascii("0.35 g\n");
  lines.forEach((line, i) => {
    canvas.text(canvas.regular, size, canvas.left, canvas.y + i * lineHeight, line);
  });
  canvas.content.ascii("0 g\n");
  canvas.y += lines.length * lineHeight + size * 0.6;
};

/** A line of plain text, e.g. "No protection periods in the interval." */
export const drawNote = (canvas: PdfCanvas, text: string): void => {
  if (canvas.room < FACT_SIZE * 2) canvas.newPage();
  canvas.y += FACT_SIZE * 0.5;
  canvas.text(canvas.regular, FACT_SIZE, canvas.left, canvas.y, text);
  canvas.y += FACT_SIZE * 1.5;
};
