/**
 * A table drawn straight into a `PdfCanvas`: a header row repeated at the top of every page the
 * table reaches, then rows that never overflow their columns. With `maxLines: 1` (the detail
 * tables) every row is one line high, so rows per page are fixed and a cell that does not fit is
 * cut with an ellipsis; with more lines (the summary tables) a cell wraps at spaces and only its
 * last line is cut.
 */
import type { EmbeddedFace } from "./EmbeddedFace.ts";
import type { PdfCanvas } from "./PdfCanvas.ts";

/** A column: its title, alignment, and a fixed width in points or a share of what is left. */
export interface PdfColumn {
  readonly title: string;
  readonly align?: "left" | "right";
  readonly width?: number;
  readonly weight?: number;
}

/** Type size and how many lines a cell may take. */
export interface PdfTableStyle {
  readonly size: number;
  readonly maxLines: number;
}

const PAD_X = 3;
const PAD_Y = 1.75;
const LINE_FACTOR = 1.22;
const HEADER_GRAY = 0.86;
const STRIPE_GRAY = 0.95;

/** A table in progress on a canvas. */
export class PdfTable {
  readonly #canvas: PdfCanvas;
  readonly #columns: ReadonlyArray<PdfColumn>;
  readonly #size: number;
  readonly #maxLines: number;
  readonly #lineHeight: number;
  readonly #left: Array<number> = [];
  readonly #width: Array<number> = [];
  /** The widest text a cell may hold, in thousandths of an em. */
  readonly #room: Array<number> = [];
  readonly #alignRight: Array<boolean> = [];
  #rowIndex = 0;

  constructor(canvas: PdfCanvas, columns: ReadonlyArray<PdfColumn>, style: PdfTableStyle) {
    this.#canvas = canvas;
    this.#columns = columns;
    this.#size = style.size;
    this.#maxLines = style.maxLines;
    this.#lineHeight = style.size * LINE_FACTOR;
    const total = canvas.right - canvas.left;
    const fixed = columns.reduce((sum, c) => sum + (c.width ?? 0), 0);
    const weights = columns.reduce(
      (sum, c) => sum + (c.width === undefined ? (c.weight ?? 1) : 0),
      0,
    );
    let x = canvas.left;
    for (const column of columns) {
      const width =
        column.width ?? (weights === 0 ? 0 : ((total - fixed) * (column.weight ?? 1)) / weights);
      this.#left.push(x);
      this.#width.push(width);
      this.#room.push((Math.max(0, width - 2 * PAD_X) * 1000) / style.size);
      this.#alignRight.push(column.align === "right");
      x += width;
    }
  }

  /** The height of a one-line row. */
  get rowHeight(): number {
    return this.#lineHeight + 2 * PAD_Y;
  }

  /**
   * Starts the table at the canvas's `y`: on a new page when the header and one row do not fit.
   */
  begin(): void {
    if (this.#canvas.room < 3 * this.rowHeight) this.#canvas.newPage();
    this.#header();
  }

  /** Draws a row of plain-text cells, in column order; `bold` for a totals row (ruled above). */
  row(cells: ReadonlyArray<string>, bold = false): void {
    if (this.#maxLines === 1) this.#singleLineRow(cells, bold);
    else this.#wrappedRow(cells, bold);
  }

  #breakPageFor(height: number): void {
    if (this.#canvas.y + height > this.#canvas.bottom) {
      this.#canvas.newPage();
      this.#header();
    }
  }

  #background(height: number, bold: boolean): void {
    const canvas = this.#canvas;
    if (bold) canvas.rule(canvas.left, canvas.right, canvas.y, 0.3);
    else if (this.#rowIndex++ % 2 === 1) {
      canvas.fillRect(canvas.left, canvas.y, canvas.right - canvas.left, height, STRIPE_GRAY);
    }
  }

  /** Where a cell's text starts, given the width it will take (thousandths of an em). */
  #cellX(column: number, width: number): number {
    const left = this.#left[column] as number;
    return this.#alignRight[column]
      ? left + (this.#width[column] as number) - PAD_X - (width * this.#size) / 1000
      : left + PAD_X;
  }

  /** One text object for the whole row: the first cell placed absolutely, the others relative. */
  #singleLineRow(cells: ReadonlyArray<string>, bold: boolean): void {
    const canvas = this.#canvas;
    const height = this.rowHeight;
    this.#breakPageFor(height);
    this.#background(height, bold);
    const face = bold ? canvas.bold : canvas.regular;
    const out = canvas.content;
    let lastX = 0;
    let first = true;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i] as string;
      if (cell.length === 0) continue;
      const room = this.#room[i] as number;
      const x = this.#cellX(i, this.#alignRight[i] ? face.fittedWidth(cell, room) : 0);
      if (first) {
        out.ascii(`BT /${face.id} `);
        out.number(this.#size);
        out.ascii(" Tf ");
        out.number(x);
        out.ascii(" ");
        out.number(canvas.baseline(face, this.#size, canvas.y + PAD_Y));
      } else {
        out.ascii(" ");
        out.number(x - lastX);
        out.ascii(" 0");
      }
      out.ascii(" Td ");
      face.fit(out, cell, room);
      out.ascii(" Tj");
      lastX = x;
      first = false;
    }
    if (!first) out.ascii(" ET\n");
    canvas.y += height;
  }

  #wrappedRow(cells: ReadonlyArray<string>, bold: boolean): void {
    const canvas = this.#canvas;
    const face = bold ? canvas.bold : canvas.regular;
    const lines = cells.map((cell, i) =>
      cell.length === 0 ? [] : face.wrap(cell, this.#room[i] as number, this.#maxLines),
    );
    const height = Math.max(1, ...lines.map((l) => l.length)) * this.#lineHeight + 2 * PAD_Y;
    this.#breakPageFor(height);
    this.#background(height, bold);
    this.#drawLines(face, lines);
    canvas.y += height;
  }

  #drawLines(face: EmbeddedFace, lines: ReadonlyArray<ReadonlyArray<string>>): void {
    const canvas = this.#canvas;
    const size = this.#size;
    lines.forEach((cellLines, i) => {
      const room = this.#room[i] as number;
      cellLines.forEach((line, lineIndex) => {
        const x = this.#cellX(i, face.fittedWidth(line, room));
        const top = canvas.y + PAD_Y + lineIndex * this.#lineHeight;
        canvas.text(face, size, x, top, line, (room * size) / 1000);
      });
    });
  }

  #header(): void {
    const canvas = this.#canvas;
    const face = canvas.bold;
    const lines = this.#columns.map((column, i) =>
      face.wrap(column.title, this.#room[i] as number, 2),
    );
    const height = Math.max(1, ...lines.map((l) => l.length)) * this.#lineHeight + 2 * PAD_Y;
    canvas.fillRect(canvas.left, canvas.y, canvas.right - canvas.left, height, HEADER_GRAY);
    this.#drawLines(face, lines);
    canvas.y += height;
    this.#rowIndex = 0;
  }
}
