/**
 * A table drawn straight into a `PdfCanvas`: a header row repeated at the top of every page the
 * table reaches, then rows that never overflow their columns. A cell that does not fit wraps at
 * spaces onto up to `maxLines` lines (only text longer than that is cut, with an ellipsis);
 * a row whose cells all fit on one line — nearly every row — takes the fast path: one text
 * object for the whole row. A fixed-width column is widened to its title's longest word, so a
 * header never breaks inside a word.
 *
 * Rows may be grouped (`group`): a group's heading (a tenant, an organization) is kept on one
 * page with the table header and its first rows, and repeated, "continued", at the top of every
 * further page the group reaches.
 */
import type { ContentBuffer } from "./ContentBuffer.ts";
import type { EmbeddedFace } from "./EmbeddedFace.ts";
import type { PdfCanvas } from "./PdfCanvas.ts";
import type { Rgb } from "./PdfChart.ts";

/** A column: its title, alignment, and a fixed width in points or a share of what is left. */
export interface PdfColumn {
  readonly title: string;
  readonly align?: "left" | "right";
  readonly width?: number;
  readonly weight?: number;
  /**
   * The column is sized for its widest text (date-times, figures), so its cells are not measured
   * to decide whether a row wraps (they are still cut, never overflow, should one not fit).
   */
  readonly sized?: boolean;
}

/** Type size and how many lines a cell may take. */
export interface PdfTableStyle {
  readonly size: number;
  readonly maxLines: number;
}

/** How a row is drawn: bold (a totals row, ruled above) and colours of single cells. */
export interface PdfRowStyle {
  readonly bold?: boolean;
  /** A colour per cell (undefined: black), in column order. */
  readonly colors?: ReadonlyArray<Rgb | undefined>;
}

const PAD_X = 3;
const PAD_Y = 1.75;
const LINE_FACTOR = 1.22;
const HEADER_GRAY = 0.86;
const STRIPE_GRAY = 0.95;
const HEADER_LINES = 3;

const setColor = (out: ContentBuffer, color: Rgb | undefined): void => {
  if (color === undefined) {
    out.ascii(" 0 g");
    return;
  }
  out.ascii(" ");
  out.number(color[0]);
  out.ascii(" ");
  out.number(color[1]);
  out.ascii(" ");
  out.number(color[2]);
  out.ascii(" rg");
};

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
  /** Columns whose cells may need wrapping (not `sized`). */
  readonly #measured: Array<number> = [];
  #rowIndex = 0;
  /** The current group's heading, repeated after a page break; null outside a group. */
  #group: string | null = null;

  constructor(canvas: PdfCanvas, columns: ReadonlyArray<PdfColumn>, style: PdfTableStyle) {
    this.#canvas = canvas;
    this.#columns = columns;
    this.#size = style.size;
    this.#maxLines = style.maxLines;
    this.#lineHeight = style.size * LINE_FACTOR;
    const total = canvas.right - canvas.left;
    const longestWord = (title: string) =>
      Math.max(...title.split(" ").map((word) => canvas.bold.measure(word)));
    const fixedWidths = columns.map((c) =>
      c.width === undefined
        ? undefined
        : Math.max(c.width, (longestWord(c.title) * style.size) / 1000 + 2 * PAD_X + 0.5),
    );
    const fixed = fixedWidths.reduce<number>((sum, w) => sum + (w ?? 0), 0);
    const weights = columns.reduce(
      (sum, c) => sum + (c.width === undefined ? (c.weight ?? 1) : 0),
      0,
    );
    let x = canvas.left;
    columns.forEach((column, i) => {
      const width =
        fixedWidths[i] ?? (weights === 0 ? 0 : ((total - fixed) * (column.weight ?? 1)) / weights);
      this.#left.push(x);
      this.#width.push(width);
      this.#room.push((Math.max(0, width - 2 * PAD_X) * 1000) / style.size);
      this.#alignRight.push(column.align === "right");
      if (column.sized !== true) this.#measured.push(i);
      x += width;
    });
  }

  /** The height of a one-line row. */
  get rowHeight(): number {
    return this.#lineHeight + 2 * PAD_Y;
  }

  /** The height of a group heading. */
  get groupHeight(): number {
    return this.#lineHeight * 1.2 + 2 * PAD_Y + 2;
  }

  /**
   * Starts the table at the canvas's `y`: on a new page when the header and `keepRows` rows (and
   * `extra` points, e.g. a first group heading) do not fit.
   */
  begin(keepRows = 2, extra = 0): void {
    if (this.#canvas.room < 2 * this.rowHeight + keepRows * this.rowHeight + extra) {
      this.#canvas.newPage();
    }
    this.#header();
  }

  /**
   * Starts a group of rows under a heading, kept on one page with at least two rows; the heading
   * is repeated, "continued", on the pages the group continues on.
   */
  group(heading: string): void {
    this.#group = null;
    if (this.#canvas.y + this.groupHeight + 2 * this.rowHeight > this.#canvas.bottom) {
      this.#canvas.newPage();
      this.#header();
    }
    this.#group = heading;
    this.#groupHeading(heading);
  }

  /**
   * Names what the rows belong to when a heading above the table already says it: nothing is
   * drawn now, but pages the table continues on start with the heading, "continued".
   */
  continues(heading: string): void {
    this.#group = heading;
  }

  /** Draws a row of plain-text cells, in column order. */
  row(cells: ReadonlyArray<string>, style: PdfRowStyle = {}): void {
    const bold = style.bold === true;
    const face = bold ? this.#canvas.bold : this.#canvas.regular;
    if (this.#maxLines === 1 || this.#fitsOneLine(face, cells)) {
      this.#singleLineRow(cells, bold, style.colors);
    } else {
      this.#wrappedRow(cells, bold, style.colors);
    }
  }

  #fitsOneLine(face: EmbeddedFace, cells: ReadonlyArray<string>): boolean {
    const measured = this.#measured;
    for (let m = 0; m < measured.length; m++) {
      const i = measured[m] as number;
      const cell = cells[i] as string;
      if (cell.length > 0 && face.measure(cell) > (this.#room[i] as number)) return false;
    }
    return true;
  }

  #breakPageFor(height: number): void {
    if (this.#canvas.y + height > this.#canvas.bottom) {
      this.#canvas.newPage();
      this.#header();
      if (this.#group !== null) this.#groupHeading(`${this.#group} (continued)`);
    }
  }

  #groupHeading(text: string): void {
    const canvas = this.#canvas;
    const size = this.#size * 1.1;
    canvas.text(canvas.bold, size, canvas.left + PAD_X, canvas.y + 2 + PAD_Y, text);
    canvas.y += this.groupHeight;
    canvas.rule(canvas.left, canvas.right, canvas.y - 0.5, 0.6, 0.4);
    this.#rowIndex = 0;
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
  #singleLineRow(
    cells: ReadonlyArray<string>,
    bold: boolean,
    colors: ReadonlyArray<Rgb | undefined> | undefined,
  ): void {
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
      out.ascii(" Td");
      const color = colors?.[i];
      if (color !== undefined) setColor(out, color);
      out.ascii(" ");
      face.fit(out, cell, room);
      out.ascii(" Tj");
      if (color !== undefined) setColor(out, undefined);
      lastX = x;
      first = false;
    }
    if (!first) out.ascii(" ET\n");
    canvas.y += height;
  }

  #wrappedRow(
    cells: ReadonlyArray<string>,
    bold: boolean,
    colors: ReadonlyArray<Rgb | undefined> | undefined,
  ): void {
    const canvas = this.#canvas;
    const face = bold ? canvas.bold : canvas.regular;
    const lines = cells.map((cell, i) =>
      cell.length === 0 ? [] : face.wrap(cell, this.#room[i] as number, this.#maxLines),
    );
    const height = Math.max(1, ...lines.map((l) => l.length)) * this.#lineHeight + 2 * PAD_Y;
    this.#breakPageFor(height);
    this.#background(height, bold);
    this.#drawLines(face, lines, colors);
    canvas.y += height;
  }

  #drawLines(
    face: EmbeddedFace,
    lines: ReadonlyArray<ReadonlyArray<string>>,
    colors: ReadonlyArray<Rgb | undefined> | undefined,
  ): void {
    const canvas = this.#canvas;
    const size = this.#size;
    lines.forEach((cellLines, i) => {
      const room = this.#room[i] as number;
      const color = colors?.[i];
      if (color !== undefined) {
        setColor(canvas.content, color);
        canvas.content.ascii("\n");
      }
      cellLines.forEach((line, lineIndex) => {
        const x = this.#cellX(i, face.fittedWidth(line, room));
        const top = canvas.y + PAD_Y + lineIndex * this.#lineHeight;
        canvas.text(face, size, x, top, line, (room * size) / 1000);
      });
      if (color !== undefined) canvas.content.ascii(" 0 g\n");
    });
  }

  #header(): void {
    const canvas = this.#canvas;
    const face = canvas.bold;
    const lines = this.#columns.map((column, i) =>
      face.wrap(column.title, this.#room[i] as number, HEADER_LINES),
    );
    const height = Math.max(1, ...lines.map((l) => l.length)) * this.#lineHeight + 2 * PAD_Y;
    canvas.fillRect(canvas.left, canvas.y, canvas.right - canvas.left, height, HEADER_GRAY);
    this.#drawLines(face, lines, undefined);
    canvas.y += height;
    this.#rowIndex = 0;
  }
}
