import { HorizontalAlign, Jimp, ResizeStrategy } from "jimp";
import { SANS_32_BLACK } from "jimp/fonts";
import { cachedFont, fitLine, sanitizeFor } from "../src/render/text.js";
import {
  CARD_HEIGHT,
  CARD_WIDTH,
  LABEL_STRIP_HEIGHT,
  QR_AREA,
  QR_MAX,
  TEXT_PADDING,
} from "../src/render/layout.js";
import type { QrCardInput } from "../src/render/index.js";

const LABEL_WIDTH = CARD_WIDTH - 2 * TEXT_PADDING;

/**
 * The straightforward jimp pipeline (upscale, composite, print, default PNG encode): the baseline
 * renderQrCard is benchmarked against (`npm run bench`). Not used by greenlight itself.
 */
export async function renderQrCardNaive(input: QrCardInput): Promise<Buffer> {
  const source = await Jimp.read(input.qrPng);
  const side = Math.max(source.width, source.height);
  const factor = Math.max(1, Math.floor(QR_MAX / side));
  source.resize({
    w: source.width * factor,
    h: source.height * factor,
    mode: ResizeStrategy.NEAREST_NEIGHBOR,
  });
  const card = new Jimp({ width: CARD_WIDTH, height: CARD_HEIGHT, color: 0xffffffff });
  card.composite(
    source,
    Math.floor((CARD_WIDTH - source.width) / 2),
    Math.floor((QR_AREA - source.height) / 2),
  );
  const font = await cachedFont(SANS_32_BLACK);
  card.print({
    font,
    x: TEXT_PADDING,
    y: QR_AREA + Math.floor((LABEL_STRIP_HEIGHT - font.common.lineHeight) / 2),
    text: {
      text: fitLine(font, sanitizeFor(font, input.label), LABEL_WIDTH),
      alignmentX: HorizontalAlign.CENTER,
    },
    maxWidth: LABEL_WIDTH,
  });
  return card.getBuffer("image/png");
}
