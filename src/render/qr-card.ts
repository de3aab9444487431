import { constants } from "node:zlib";
import { Jimp, ResizeStrategy } from "jimp";
import { SANS_32_BLACK } from "jimp/fonts";
import {
  CARD_HEIGHT,
  CARD_WIDTH,
  LABEL_STRIP_HEIGHT,
  QR_AREA,
  QR_MAX,
  qrGeometry,
  TEXT_PADDING,
} from "./layout.js";
import { Lru } from "./lru.js";
import { encodePng } from "./png.js";
import { darkBox, type GrayImage, grayLevels, rgbaToGray } from "./gray-image.js";
import { extractModuleGrid } from "./qr-grid.js";
import type { ModuleGrid } from "./qr-structure.js";
import { blitInk, type Raster, whiteRaster } from "./raster.js";
import { cachedFont, fitLine, sanitizeFor, textBitmap } from "./text.js";

export type { GrayImage } from "./gray-image.js";
export { extractModuleGrid } from "./qr-grid.js";
export type { ModuleGrid } from "./qr-structure.js";

export interface QrCardInput {
  /** The PNG GREEN-API serves (its base64 `message`, decoded). */
  qrPng: Buffer;
  /** The instance name; drawn in Latin only, so keep the human text in the caption. */
  label: string;
}

type JimpImage = Awaited<ReturnType<typeof Jimp.fromBuffer>>;

const LABEL_FONT = SANS_32_BLACK;
const LABEL_WIDTH = CARD_WIDTH - 2 * TEXT_PADDING;

// The label repeats on every QR frame of a session: print it once and keep the bitmap.
const labels = new Lru<string, Promise<GrayImage>>(256);

function labelBitmap(label: string): Promise<GrayImage> {
  let bitmap = labels.get(label);
  if (!bitmap) {
    bitmap = cachedFont(LABEL_FONT).then((font) =>
      textBitmap(font, fitLine(font, sanitizeFor(font, label), LABEL_WIDTH)),
    );
    labels.set(label, bitmap);
    bitmap.catch(() => labels.delete(label));
  }
  return bitmap;
}

/** Draws the grid at an integer scale: every module is scale×scale pure black or white pixels. */
function drawGrid(card: Raster, grid: ModuleGrid): void {
  const n = grid.length;
  const { scale, offset } = qrGeometry(n);
  const { width, data } = card;
  for (let r = 0; r < n; r++) {
    const y0 = offset + r * scale;
    const rowStart = y0 * width;
    const row = grid[r] as boolean[];
    for (let c = 0; c < n; c++) {
      if (row[c]) data.fill(0, rowStart + offset + c * scale, rowStart + offset + (c + 1) * scale);
    }
    // The other rows of this module row are copies of the first.
    for (let k = 1; k < scale; k++)
      data.copyWithin(rowStart + k * width, rowStart, rowStart + width);
  }
}

/**
 * Not a clean QR: show the source itself, nearest-neighbour upscaled by an integer factor (or
 * shrunk to fit), so the user still gets something a phone may scan.
 */
function drawFallback(card: Raster, source: JimpImage, gray: GrayImage): void {
  // Crop to the dark content so a wide source margin does not shrink the picture.
  const box = darkBox(gray, Math.max(1, grayLevels(gray).threshold));
  const crop = box
    ? { x: box.left, y: box.top, w: box.right - box.left + 1, h: box.bottom - box.top + 1 }
    : { x: 0, y: 0, w: gray.width, h: gray.height };
  const side = Math.max(crop.w, crop.h);
  const factor = side <= QR_MAX ? Math.floor(QR_MAX / side) : QR_MAX / side;
  const w = Math.max(1, Math.round(crop.w * factor));
  const h = Math.max(1, Math.round(crop.h * factor));
  const img = source.clone().crop(crop).resize({ w, h, mode: ResizeStrategy.NEAREST_NEIGHBOR });
  const scaled = rgbaToGray(w, h, img.bitmap.data);
  const x0 = Math.floor((CARD_WIDTH - w) / 2);
  const y0 = Math.floor((QR_AREA - h) / 2);
  for (let y = 0; y < h; y++) {
    card.data.set(scaled.data.subarray(y * w, (y + 1) * w), (y0 + y) * CARD_WIDTH + x0);
  }
}

function labelPosition(bitmap: GrayImage): { x: number; y: number } {
  return {
    x: Math.floor((CARD_WIDTH - bitmap.width) / 2),
    y: QR_AREA + Math.floor((LABEL_STRIP_HEIGHT - bitmap.height) / 2),
  };
}

/**
 * Renders a GREEN-API QR PNG as a crisp card: the module grid redrawn at an integer scale with a
 * quiet zone of at least 4 modules, the label below. Grayscale PNG, CARD_WIDTH×CARD_HEIGHT.
 * Throws if qrPng is not a decodable image.
 */
export async function renderQrCard(input: QrCardInput): Promise<Buffer> {
  const [source, label] = await Promise.all([
    Jimp.fromBuffer(input.qrPng),
    labelBitmap(input.label),
  ]);
  const gray = rgbaToGray(source.bitmap.width, source.bitmap.height, source.bitmap.data);
  const card = whiteRaster(CARD_WIDTH, CARD_HEIGHT, 1);
  const grid = extractModuleGrid(gray);
  if (grid) drawGrid(card, grid);
  else drawFallback(card, source, gray);
  const at = labelPosition(label);
  blitInk(card, label, at.x, at.y);
  // Run-length deflate: ~10x faster than the default on black/white runs, at a similar size.
  return encodePng(card, { strategy: constants.Z_RLE });
}
