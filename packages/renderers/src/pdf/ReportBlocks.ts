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

/** Labelled facts, one per line (a long value wraps onto up to three lines). */
export const drawFacts = (
  canvas: PdfCanvas,
  facts: ReadonlyArray<readonly [string, string]>,
): void => {
  const lineHeight = FACT_SIZE * 1.35;
  const valueLeft = canvas.left + FACT_LABEL_WIDTH;
  const valueRoom = ((canvas.right - valueLeft) * 1000) / FACT_SIZE;
  for (const [label, value] of facts) {
    const lines = canvas.regular.wrap(value, valueRoom, 3);
    if (canvas.room < lines.length * lineHeight) canvas.newPage();
    canvas.text(canvas.bold, FACT_SIZE, canvas.left, canvas.y, label, FACT_LABEL_WIDTH - 8);
    lines.forEach((line, i) => {
      canvas.text(canvas.regular, FACT_SIZE, valueLeft, canvas.y + i * lineHeight, line);
    });
    canvas.y += Math.max(1, lines.length) * lineHeight;
  }
  canvas.y += lineHeight * 0.5;
};

/** A line of plain text, e.g. "No protection periods in the interval." */
export const drawNote = (canvas: PdfCanvas, text: string): void => {
  if (canvas.room < FACT_SIZE * 2) canvas.newPage();
  canvas.y += FACT_SIZE * 0.5;
  canvas.text(canvas.regular, FACT_SIZE, canvas.left, canvas.y, text);
  canvas.y += FACT_SIZE * 1.5;
};
