/**
 * The fonts every PDF embeds: DejaVu Sans and DejaVu Sans Bold from the `dejavu-fonts-ttf`
 * package (pinned), which cover Latin, Greek and Cyrillic (and much more). They are read from
 * the package, never from the system, once per process; pdfkit embeds the glyphs a document uses.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const files = new Map<string, Uint8Array>();

const fontFile = (name: string): Uint8Array => {
  let file = files.get(name);
  if (file === undefined) {
    file = readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${name}`));
    files.set(name, file);
  }
  return file;
};

/** DejaVu Sans, the body font (TrueType). */
export const regularFontFile = (): Uint8Array => fontFile("DejaVuSans.ttf");

/** DejaVu Sans Bold, for titles and table headers (TrueType). */
export const boldFontFile = (): Uint8Array => fontFile("DejaVuSans-Bold.ttf");
