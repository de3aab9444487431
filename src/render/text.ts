import { Jimp, loadFont, measureText } from "jimp";
import type { GrayImage } from "./gray-image.js";

export type Font = Awaited<ReturnType<typeof loadFont>>;

const fonts = new Map<string, Promise<Font>>();

/** Loads a jimp bitmap font once per process (jimp parses the .fnt and its page image each time). */
export function cachedFont(path: string): Promise<Font> {
  let font = fonts.get(path);
  if (!font) {
    font = loadFont(path);
    fonts.set(path, font);
    font.catch(() => fonts.delete(path));
  }
  return font;
}

const MARK = /\p{M}/u;
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;
const SPACE = /\s/u;

/**
 * Reduces text to printable ASCII, which is all jimp's built-in fonts reliably draw: accents are
 * stripped ("café" → "cafe"), bidi and zero-width marks dropped, other characters become "?".
 */
export function toPrintableAscii(text: string): string {
  let out = "";
  for (const ch of text.normalize("NFKD")) {
    if (SPACE.test(ch)) out += " ";
    else if (MARK.test(ch) || INVISIBLE.test(ch)) continue;
    else {
      const code = ch.codePointAt(0) ?? 0;
      out += code >= 0x20 && code <= 0x7e ? ch : "?";
    }
  }
  return out.replace(/ +/g, " ").trim();
}

/** Printable ASCII with any glyph the font lacks (SANS fonts have no "`") replaced by "?". */
export function sanitizeFor(font: Font, text: string): string {
  let out = "";
  // Card text is a few lines at most: bound the work a huge string could cause.
  for (const ch of toPrintableAscii(text.slice(0, 4096))) {
    out += ch === " " || font.chars[ch] ? ch : "?";
  }
  return out;
}

const ELLIPSIS = "...";
/** No line of a built-in font holds this many characters: the rest can be dropped unmeasured. */
const MAX_LINE_CHARS = 256;

/**
 * Cuts text to fit maxWidth, ending in "..." when cut (the fonts have no "…" glyph). `cut` forces
 * the ellipsis, for a line followed by text that did not fit.
 */
export function fitLine(font: Font, input: string, maxWidth: number, cut = false): string {
  const text = input.slice(0, MAX_LINE_CHARS + 1);
  if (!cut && text === input && measureText(font, text) <= maxWidth) return text;
  // Binary search the longest prefix that still fits with the ellipsis.
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measureText(font, text.slice(0, mid).trimEnd() + ELLIPSIS) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo).trimEnd() + ELLIPSIS;
}

/** Longest prefix of a word that fits (at least one character, so wrapping always advances). */
function fittingPrefix(font: Font, word: string, maxWidth: number): number {
  let cut = 1;
  while (cut < word.length && measureText(font, word.slice(0, cut + 1)) <= maxWidth) cut++;
  return cut;
}

/** Greedy word wrap; words wider than a line are broken; overflow ends the last line in "...". */
export function wrapText(font: Font, text: string, maxWidth: number, maxLines: number): string[] {
  const pieces: string[] = [];
  // One extra character past the cap keeps the overflow visible as "...".
  for (const word of text
    .slice(0, maxLines * MAX_LINE_CHARS + 1)
    .split(" ")
    .filter(Boolean)) {
    let rest = word;
    while (rest.length > 1 && measureText(font, rest) > maxWidth) {
      const cut = fittingPrefix(font, rest, maxWidth);
      pieces.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    pieces.push(rest);
  }
  const lines: string[] = [];
  if (maxLines < 1) return lines;
  let current = "";
  let i = 0;
  for (; i < pieces.length; i++) {
    const piece = pieces[i] as string;
    const candidate = current ? `${current} ${piece}` : piece;
    if (!current || measureText(font, candidate) <= maxWidth) {
      current = candidate;
      continue;
    }
    lines.push(current);
    current = piece;
    if (lines.length === maxLines) break;
  }
  if (lines.length < maxLines) {
    if (current) lines.push(current);
  } else {
    const last = lines.length - 1;
    lines[last] = fitLine(font, lines[last] as string, maxWidth, true);
  }
  return lines;
}

const PAD = 8;

/**
 * Prints one line with jimp and returns it as a gray coverage bitmap (255 = background) cropped
 * to the inked columns, one font line high. Text should be sanitized and fitted first.
 */
export function textBitmap(font: Font, text: string): GrayImage {
  const height = font.common.lineHeight;
  if (!text.trim()) return { width: 0, height, data: new Uint8Array(0) };
  const canvasWidth = Math.ceil(measureText(font, text)) + 2 * PAD;
  const img = new Jimp({ width: canvasWidth, height, color: 0xffffffff });
  img.print({ font, x: PAD, y: 0, text });
  const rgba = img.bitmap.data;
  let first = canvasWidth;
  let last = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < canvasWidth; x++) {
      if ((rgba[(y * canvasWidth + x) * 4] as number) < 255) {
        if (x < first) first = x;
        if (x > last) last = x;
      }
    }
  }
  if (last < 0) return { width: 0, height, data: new Uint8Array(0) };
  const width = last - first + 1;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++)
      data[y * width + x] = rgba[(y * canvasWidth + first + x) * 4] as number;
  }
  return { width, height, data };
}
