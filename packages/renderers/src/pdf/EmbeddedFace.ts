/**
 * Text in an embedded font, fast: a face measures, truncates and wraps strings and writes them
 * as the hex glyph strings a PDF content stream shows (`<0012002f> Tj`).
 *
 * Why not pdfkit's `doc.text`: it runs fontkit's full layout for every word and caches each
 * distinct word for the life of the document; on a 100k-row table that is ~100 pages/s and
 * hundreds of MiB. A report's cells need no shaping (Latin, Cyrillic and Greek are drawn glyph by
 * glyph; no kerning), so a face maps each code point to a glyph once, keeps that in a table whose
 * size is bounded by the font's glyph count, and then a cell costs a loop over its characters
 * that writes bytes into the page's `ContentBuffer`.
 *
 * This reaches into pdfkit's EmbeddedFont (its fontkit font, subset, widths and ToUnicode
 * table) exactly as pdfkit's own `encode` does, so the font is subset and embedded by pdfkit and
 * copy-paste and `pdftotext` work. The fields used are typed in `PdfKitFont`; pdfkit is pinned to
 * an exact version because of it, and the PDF tests would catch a change.
 */
import type { ContentBuffer } from "./ContentBuffer.ts";

/** A fontkit glyph, as far as a face reads it. */
interface FontkitGlyph {
  readonly id: number;
  readonly advanceWidth: number;
  readonly codePoints: ReadonlyArray<number>;
}

/** The parts of pdfkit's EmbeddedFont (0.20.2) that a face uses. */
export interface PdfKitFont {
  /** The font's resource name in content streams, e.g. `F2`. */
  readonly id: string;
  readonly font: { glyphForCodePoint(codePoint: number): FontkitGlyph };
  readonly subset: { includeGlyph(glyphId: number): number };
  readonly widths: Array<number | undefined>;
  readonly unicode: Array<ReadonlyArray<number> | undefined>;
  /** 1000 / unitsPerEm. */
  readonly scale: number;
  /** Ascender in thousandths of an em. */
  readonly ascender: number;
  /** The font dictionary's reference (registering it makes pdfkit embed the font). */
  ref(): unknown;
}

interface Glyph {
  /** The glyph id in the embedded subset. */
  readonly id: number;
  /** Advance width in thousandths of an em. */
  readonly width: number;
}

const ELLIPSIS = 0x2026;
const SPACE = 0x20;
const REPLACEMENT = 0xfffd;

/**
 * The code point at `index` of a string (well-formed surrogate pairs combined; a lone surrogate
 * is U+FFFD; control characters are drawn as spaces). Astral code points take two code units.
 */
const codePointAt = (text: string, index: number): number => {
  const unit = text.charCodeAt(index);
  if (unit < 0x20 || (unit >= 0x7f && unit < 0xa0)) return SPACE;
  if (unit < 0xd800 || unit > 0xdfff) return unit;
  if (unit <= 0xdbff && index + 1 < text.length) {
    const low = text.charCodeAt(index + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return ((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
  }
  return REPLACEMENT;
};

/** Measures, fits and writes text in one embedded font. */
export class EmbeddedFace {
  readonly #font: PdfKitFont;
  /** Glyphs of code points below U+3000 by index; the rest in a map. */
  readonly #low: Array<Glyph | undefined> = [];
  readonly #high = new Map<number, Glyph>();
  readonly #ellipsis: Glyph;

  constructor(font: PdfKitFont) {
    this.#font = font;
    this.#ellipsis = this.#glyph(ELLIPSIS);
  }

  /** The resource name to select this font with (`/F2 7 Tf`). */
  get id(): string {
    return this.#font.id;
  }

  /** The font dictionary reference, for a page's or form's resources. */
  ref(): unknown {
    return this.#font.ref();
  }

  /** Ascender above the baseline, in thousandths of an em. */
  get ascender(): number {
    return this.#font.ascender;
  }

  #glyph(codePoint: number): Glyph {
    let glyph = codePoint < 0x3000 ? this.#low[codePoint] : this.#high.get(codePoint);
    if (glyph === undefined) {
      const font = this.#font;
      const source = font.font.glyphForCodePoint(codePoint);
      const id = font.subset.includeGlyph(source.id);
      const width = source.advanceWidth * font.scale;
      if (font.widths[id] == null) font.widths[id] = width;
      if (font.unicode[id] == null) font.unicode[id] = source.codePoints;
      glyph = { id, width };
      if (codePoint < 0x3000) this.#low[codePoint] = glyph;
      else this.#high.set(codePoint, glyph);
    }
    return glyph;
  }

  /** The width of a text in thousandths of an em. */
  measure(text: string): number {
    let width = 0;
    for (let i = 0; i < text.length; i++) {
      const codePoint = codePointAt(text, i);
      if (codePoint >= 0x10000) i++;
      width += this.#glyph(codePoint).width;
    }
    return width;
  }

  /** The width `fit` would give the text in `maxWidth` (thousandths of an em). */
  fittedWidth(text: string, maxWidth: number): number {
    const ellipsis = this.#ellipsis.width;
    let width = 0;
    let cutWidth = -1;
    for (let i = 0; i < text.length; i++) {
      const codePoint = codePointAt(text, i);
      if (codePoint >= 0x10000) i++;
      const glyphWidth = this.#glyph(codePoint).width;
      if (cutWidth < 0 && width + glyphWidth + ellipsis > maxWidth) cutWidth = width;
      width += glyphWidth;
      if (width > maxWidth) return cutWidth + ellipsis;
    }
    return width;
  }

  /**
   * Writes the text as a hex string (`<...>`), cut to `maxWidth` (thousandths of an em) and
   * ended with an ellipsis when it does not fit; returns the width written.
   */
  fit(out: ContentBuffer, text: string, maxWidth: number): number {
    const ellipsis = this.#ellipsis;
    out.ascii("<");
    let width = 0;
    let cutAt = -1;
    let cutWidth = 0;
    for (let i = 0; i < text.length; i++) {
      const codePoint = codePointAt(text, i);
      if (codePoint >= 0x10000) i++;
      const glyph = this.#glyph(codePoint);
      if (cutAt < 0 && width + glyph.width + ellipsis.width > maxWidth) {
        cutAt = out.length;
        cutWidth = width;
      }
      width += glyph.width;
      out.glyph(glyph.id);
      if (width > maxWidth) {
        out.truncate(cutAt);
        out.glyph(ellipsis.id);
        out.ascii(">");
        return cutWidth + ellipsis.width;
      }
    }
    out.ascii(">");
    return width;
  }

  /** The text as a hex string (`<...>`), whole, for one-off uses outside a page. */
  hex(text: string): string {
    let hex = "";
    for (let i = 0; i < text.length; i++) {
      const codePoint = codePointAt(text, i);
      if (codePoint >= 0x10000) i++;
      hex += this.#glyph(codePoint).id.toString(16).padStart(4, "0");
    }
    return `<${hex}>`;
  }

  /**
   * The text broken into at most `maxLines` lines of at most `maxWidth` (thousandths of an em),
   * at spaces where possible and inside a word when a word alone is too wide. The last line holds
   * whatever is left and may be too wide: `fit` it, which ends it with an ellipsis.
   */
  wrap(text: string, maxWidth: number, maxLines: number): ReadonlyArray<string> {
    if (this.measure(text) <= maxWidth) return [text];
    const lines: Array<string> = [];
    let rest = text.trim();
    while (rest.length > 0 && lines.length < maxLines - 1) {
      const end = this.#breakAt(rest, maxWidth);
      lines.push(rest.slice(0, end).trimEnd());
      rest = rest.slice(end).trimStart();
    }
    if (rest.length > 0) lines.push(rest);
    return lines;
  }

  /** Where to end a line of `text` no wider than `maxWidth`: after the last space that fits. */
  #breakAt(text: string, maxWidth: number): number {
    let width = 0;
    let lastSpace = -1;
    let i = 0;
    while (i < text.length) {
      const codePoint = codePointAt(text, i);
      const glyphWidth = this.#glyph(codePoint).width;
      if (width + glyphWidth > maxWidth) break;
      width += glyphWidth;
      if (codePoint === SPACE) lastSpace = i;
      i += codePoint >= 0x10000 ? 2 : 1;
    }
    if (i >= text.length) return text.length;
    if (lastSpace > 0) return lastSpace + 1;
    return Math.max(i, codePointAt(text, 0) >= 0x10000 ? 2 : 1);
  }
}
