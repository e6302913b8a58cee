/**
 * A PDF written page by page over pdfkit, for reports of any length: A4 landscape pages whose
 * content is composed as raw PDF operators (text in an `EmbeddedFace`, rectangles, rules) in a
 * `ContentBuffer` and handed to pdfkit when the page is complete; pdfkit serialises objects,
 * compresses the page, subsets and embeds the fonts, and writes the cross-reference table.
 *
 * Memory stays flat: pages are not buffered (`bufferPages: false`), so pdfkit writes each page
 * out when the next one starts, and `take` drains what it wrote (pdfkit's output is a Readable
 * that is read synchronously, in paused mode). The caller draws only what the consumer pulled,
 * so a slow consumer slows the drawing instead of filling memory.
 *
 * "Page N of M" on every page without knowing M in advance: each footer shows "Page N of " and
 * then a form XObject that all pages share; the form's content, the total, is written once at
 * the end. No second pass over the rows, no buffered pages.
 *
 * Reproducible: the info dictionary's dates are the report's generation time, its Subject names
 * the task, and pdfkit derives the document ID from the info dictionary (an MD5 of its entries),
 * so the same report gives the same bytes; compression is zlib's, deterministic.
 */
import PDFDocument from "pdfkit";
import { ContentBuffer } from "./ContentBuffer.ts";
import { EmbeddedFace, type PdfKitFont } from "./EmbeddedFace.ts";
import { boldFontFile, regularFontFile } from "./ReportFonts.ts";

/** A4 landscape, in points. */
export const PAGE_WIDTH = 841.89;
/** A4 landscape, in points. */
export const PAGE_HEIGHT = 595.28;
const MARGIN = 36;
const FOOTER_SIZE = 7;
const FOOTER_HEIGHT = 18;
const PAGE_TOTAL = "TallyPageTotal";

/** The parts of pdfkit's document (0.20.2) used beyond its typed API. */
interface PdfKitInternals {
  readonly _font: PdfKitFont;
  readonly page: {
    readonly fonts: Record<string, unknown>;
    readonly xobjects: Record<string, unknown>;
  };
  ref(data: Record<string, unknown>): { write(chunk: string | Uint8Array): void; end(): void };
  addContent(ops: Uint8Array): unknown;
  addPage(): unknown;
  registerFont(name: string, src: Uint8Array): unknown;
  font(name: string): unknown;
  end(): void;
  read(): Uint8Array | null;
}

/** What a document says about itself, and what its footer shows. */
export interface PdfDocumentInfo {
  readonly title: string;
  readonly taskId: string;
  /** Epoch ms; the PDF's creation and modification dates. */
  readonly generatedAt: number;
  /** Shown at the right of every page's footer (e.g. the report's name and zone). */
  readonly footer: string;
}

/** A PDF being written page by page; coordinates are points from the page's top-left corner. */
export class PdfCanvas {
  /** DejaVu Sans. */
  readonly regular: EmbeddedFace;
  /** DejaVu Sans Bold. */
  readonly bold: EmbeddedFace;
  /** Left edge of the content area. */
  readonly left = MARGIN;
  /** Right edge of the content area. */
  readonly right = PAGE_WIDTH - MARGIN;
  /** Top of the content area. */
  readonly top = MARGIN;
  /** Bottom of the content area (the footer is below). */
  readonly bottom = PAGE_HEIGHT - MARGIN - FOOTER_HEIGHT;
  /** The current page's content, in PDF coordinates (y up from the bottom). */
  readonly content = new ContentBuffer();
  /** Where the next thing goes, from the top of the page. */
  y = MARGIN;
  /** The current page's number, from 1. */
  pageNumber = 1;

  readonly #doc: PdfKitInternals;
  readonly #pageTotal: { write(chunk: string): void; end(): void };
  readonly #footer: string;
  #boxes = 0;

  constructor(info: PdfDocumentInfo) {
    const date = new Date(info.generatedAt);
    const doc = new PDFDocument({
      size: "A4",
      layout: "landscape",
      margin: MARGIN,
      bufferPages: false,
      compress: true,
      fontLayoutCache: false,
      displayTitle: true,
      info: {
        Title: info.title,
        Subject: `Tally report task ${info.taskId}`,
        Author: "Tally",
        Creator: "Tally",
        Producer: "Tally (PDFKit)",
        CreationDate: date,
        ModDate: date,
      },
    }) as unknown as PdfKitInternals;
    this.#doc = doc;
    doc.registerFont("TallyRegular", regularFontFile());
    doc.registerFont("TallyBold", boldFontFile());
    doc.font("TallyBold");
    this.bold = new EmbeddedFace(doc._font);
    doc.font("TallyRegular");
    this.regular = new EmbeddedFace(doc._font);
    this.#pageTotal = doc.ref({
      Type: "XObject",
      Subtype: "Form",
      BBox: [0, -FOOTER_SIZE, 20 * FOOTER_SIZE, 2 * FOOTER_SIZE],
      Resources: { Font: { [this.regular.id]: this.regular.ref() } },
    });
    this.#footer = info.footer;
    this.#startPage();
  }

  /** Room left on the current page below `y`. */
  get room(): number {
    return this.bottom - this.y;
  }

  /** The PDF y of the baseline of a line of `size` whose box starts at `top`. */
  baseline(face: EmbeddedFace, size: number, top: number): number {
    return PAGE_HEIGHT - top - (face.ascender * size) / 1000;
  }

  /**
   * Draws text with its line box's top-left corner at (x, top), cut with an ellipsis at
   * `maxWidth` points; returns the width drawn, in points.
   */
  text(
    face: EmbeddedFace,
    size: number,
    x: number,
    top: number,
    text: string,
    maxWidth = this.right - x,
  ): number {
    const out = this.content;
    out.ascii(`BT /${face.id} `);
    out.number(size);
    out.ascii(" Tf ");
    out.number(x);
    out.ascii(" ");
    out.number(this.baseline(face, size, top));
    out.ascii(" Td ");
    const width = face.fit(out, text, (maxWidth * 1000) / size);
    out.ascii(" Tj ET\n");
    return (width * size) / 1000;
  }

  /** Fills a rectangle (top-left corner, width, height) in a gray level from 0 (black) to 1. */
  fillRect(x: number, top: number, width: number, height: number, gray: number): void {
    const out = this.content;
    out.number(gray);
    out.ascii(" g ");
    out.number(x);
    out.ascii(" ");
    out.number(PAGE_HEIGHT - top - height);
    out.ascii(" ");
    out.number(width);
    out.ascii(" ");
    out.number(height);
    out.ascii(" re f 0 g\n");
  }

  /** Draws a horizontal rule at `top`. */
  rule(x1: number, x2: number, top: number, gray: number, width = 0.5): void {
    const out = this.content;
    const y = PAGE_HEIGHT - top;
    out.number(gray);
    out.ascii(" G ");
    out.number(width);
    out.ascii(" w ");
    out.number(x1);
    out.ascii(" ");
    out.number(y);
    out.ascii(" m ");
    out.number(x2);
    out.ascii(" ");
    out.number(y);
    out.ascii(" l S 0 G\n");
  }

  /**
   * Draws into a box whose top-left corner is at (x, top): `draw` writes operators in the box's
   * own coordinates (origin at its bottom-left corner, y up).
   */
  drawBox(x: number, top: number, height: number, draw: (out: ContentBuffer) => void): void {
    const out = this.content;
    out.ascii("q 1 0 0 1 ");
    out.number(x);
    out.ascii(" ");
    out.number(PAGE_HEIGHT - top - height);
    out.ascii(" cm\n");
    draw(out);
    out.ascii("Q\n");
  }

  /**
   * Places a box on the current page now and lets its content be drawn later, when the figures
   * it shows are known (a chart of a report that is still streaming): a form XObject, shown
   * here, whose content stream is written when the returned function is called — once, before
   * `finish`. Its coordinates are those of `drawBox`.
   */
  deferBox(
    x: number,
    top: number,
    width: number,
    height: number,
  ): (draw: (out: ContentBuffer) => void) => void {
    const name = `TallyBox${++this.#boxes}`;
    const form = this.#doc.ref({
      Type: "XObject",
      Subtype: "Form",
      BBox: [0, 0, width, height],
      Resources: {
        Font: { [this.regular.id]: this.regular.ref(), [this.bold.id]: this.bold.ref() },
      },
    });
    this.#doc.page.xobjects[name] = form;
    this.drawBox(x, top, height, (out) => out.ascii(`/${name} Do\n`));
    return (draw) => {
      const out = new ContentBuffer();
      draw(out);
      form.write(out.take());
      form.end();
    };
  }

  /** Ends the current page (with its footer) and starts the next one at the top. */
  newPage(): void {
    this.#endPage();
    this.#doc.addPage();
    this.pageNumber++;
    this.#startPage();
  }

  /** The bytes pdfkit has written since the last call. */
  take(): Array<Uint8Array> {
    const out: Array<Uint8Array> = [];
    for (let chunk = this.#doc.read(); chunk !== null; chunk = this.#doc.read()) out.push(chunk);
    return out;
  }

  /** Ends the last page, writes the page total and the document's trailer. */
  finish(): void {
    this.#endPage();
    const total = this.regular.hex(`${this.pageNumber}`);
    this.#pageTotal.write(`BT /${this.regular.id} ${FOOTER_SIZE} Tf ${total} Tj ET`);
    this.#pageTotal.end();
    this.#doc.end();
  }

  #startPage(): void {
    const page = this.#doc.page;
    page.fonts[this.regular.id] = this.regular.ref();
    page.fonts[this.bold.id] = this.bold.ref();
    page.xobjects[PAGE_TOTAL] = this.#pageTotal;
    this.y = this.top;
    // pdfkit flips the y axis when it starts a page; the same matrix again undoes it, so the
    // operators that follow are in plain PDF coordinates.
    this.content.ascii(`q 1 0 0 -1 0 ${PAGE_HEIGHT} cm\n`);
  }

  #endPage(): void {
    const face = this.regular;
    const out = this.content;
    const top = PAGE_HEIGHT - MARGIN - FOOTER_SIZE * 1.25;
    this.rule(this.left, this.right, top - 4, 0.6);
    out.ascii("0.3 g\n");
    const labelWidth = this.text(face, FOOTER_SIZE, this.left, top, `Page ${this.pageNumber} of `);
    out.ascii("q 1 0 0 1 ");
    out.number(this.left + labelWidth);
    out.ascii(" ");
    out.number(this.baseline(face, FOOTER_SIZE, top));
    out.ascii(` cm /${PAGE_TOTAL} Do Q\n`);
    const room = this.right - this.left - 120;
    const width =
      (face.fittedWidth(this.#footer, (room * 1000) / FOOTER_SIZE) * FOOTER_SIZE) / 1000;
    this.text(face, FOOTER_SIZE, this.right - width, top, this.#footer, room);
    out.ascii("0 g\nQ\n");
    this.#doc.addContent(out.take());
  }
}
