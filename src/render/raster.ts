import type { GrayImage } from "./gray-image.js";

/** An 8-bit raster the renderers draw into: 1 channel (gray) or 3 (RGB). */
export interface Raster {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

export type Rgb = readonly [number, number, number];

export function whiteRaster(width: number, height: number, channels: 1 | 3): Raster {
  return { width, height, channels, data: new Uint8Array(width * height * channels).fill(255) };
}

/**
 * Draws a gray coverage bitmap (0 = full ink, 255 = none, as jimp prints black text on white)
 * onto the raster in the given ink colour, clipped to the raster.
 */
export function blitInk(
  dst: Raster,
  src: GrayImage,
  x0: number,
  y0: number,
  ink: Rgb = [0, 0, 0],
): void {
  const { width, height, channels, data } = dst;
  for (let sy = 0; sy < src.height; sy++) {
    const y = y0 + sy;
    if (y < 0 || y >= height) continue;
    for (let sx = 0; sx < src.width; sx++) {
      const x = x0 + sx;
      if (x < 0 || x >= width) continue;
      const cover = 255 - (src.data[sy * src.width + sx] as number);
      if (cover === 0) continue;
      const p = (y * width + x) * channels;
      for (let ch = 0; ch < channels; ch++) {
        const under = data[p + ch] as number;
        data[p + ch] = under + (((ink[ch] as number) - under) * cover) / 255;
      }
    }
  }
}
