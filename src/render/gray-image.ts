/**
 * Grayscale images and what qr-card.ts reads off them before any QR logic: the Otsu threshold
 * with its dark and light levels, and the box the dark pixels sit in. Its own file because the
 * label text and the raster compositing use the same image type, with no QR in sight.
 */

/** An 8-bit single-channel image, one byte per pixel, rows packed. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** RGBA to luma, with transparent pixels composited over white (a transparent QR margin is white). */
export function rgbaToGray(width: number, height: number, rgba: Uint8Array): GrayImage {
  const data = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < data.length; i++, p += 4) {
    const luma =
      ((rgba[p] as number) * 77 + (rgba[p + 1] as number) * 150 + (rgba[p + 2] as number) * 29) >>
      8;
    const a = rgba[p + 3] as number;
    data[i] = a === 255 ? luma : (luma * a + 255 * (255 - a) + 127) / 255;
  }
  return { width, height, data };
}

/** Otsu's threshold with the mean dark and light levels on either side of it. */
export function grayLevels(gray: GrayImage): { threshold: number; dark: number; light: number } {
  const hist = new Float64Array(256);
  for (const v of gray.data) hist[v] = (hist[v] as number) + 1;
  const total = gray.data.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * (hist[i] as number);
  let wB = 0;
  let sumB = 0;
  let best = -1;
  let bestEnd = -1;
  let bestVar = 0;
  for (let t = 0; t < 256; t++) {
    wB += hist[t] as number;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * (hist[t] as number);
    const diff = sumB / wB - (sumAll - sumB) / wF;
    const between = wB * wF * diff * diff;
    if (between > bestVar * (1 + 1e-9)) {
      bestVar = between;
      best = t;
      bestEnd = t;
    } else if (between >= bestVar * (1 - 1e-9)) {
      bestEnd = t;
    }
  }
  // A two-level image scores the same for every cut between its levels: take the middle one.
  best = Math.floor((best + bestEnd) / 2);
  if (best < 0) return { threshold: -1, dark: 0, light: 0 };
  let darkSum = 0;
  let darkCount = 0;
  for (let i = 0; i <= best; i++) {
    darkSum += i * (hist[i] as number);
    darkCount += hist[i] as number;
  }
  // Pixels <= best are dark; report the cut as "dark below" so callers use `v < threshold`.
  return {
    threshold: best + 1,
    dark: darkSum / darkCount,
    light: (sumAll - darkSum) / (total - darkCount),
  };
}

/** Inclusive pixel bounds. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The bounding box of pixels darker than t, or null if there are none. */
export function darkBox(gray: GrayImage, t: number): Box | null {
  const { width, height, data } = gray;
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if ((data[row + x] as number) < t) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        bottom = y;
      }
    }
  }
  return right < 0 ? null : { left, top, right, bottom };
}
