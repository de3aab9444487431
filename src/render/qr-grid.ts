import { darkBox, type GrayImage, grayLevels } from "./gray-image.js";
import { locateFinder } from "./qr-finders.js";
import { hasFixedPatterns, type ModuleGrid } from "./qr-structure.js";

/**
 * Reads the module grid of the QR code in GREEN-API's PNG, so qr-card.ts can redraw it crisp at
 * the card's size: the finders give the module size and version, the timing patterns each
 * module's centre, and the fixed structure (qr-structure.ts) decides which version reads right.
 */

interface Sampled {
  grid: ModuleGrid;
  ambiguous: number;
}

/**
 * Module centres along one axis, read from the timing pattern: along row 6 (or column 6) every
 * module from 7 to n-8 is its own run between the two finders' 7-module runs. Nearest-neighbour
 * scaling by a non-integer factor makes modules 4 or 5 px wide in no regular order; the runs
 * give each one's true position. Null when the runs do not add up (e.g. blurred away).
 */
function timingCentres(
  line: (i: number) => boolean,
  length: number,
  n: number,
  pitch: number,
): number[] | null {
  const runs: { start: number; length: number }[] = [];
  for (let i = 0; i < length; i++) {
    const dark = line(i);
    const last = runs[runs.length - 1];
    if (last && dark === (runs.length % 2 === 1)) last.length++;
    else if (runs.length === 0 && !dark) continue;
    else runs.push({ start: i, length: 1 });
  }
  if (runs.length !== n - 12) return null;
  for (let k = 0; k < runs.length; k++) {
    const expected = k === 0 || k === runs.length - 1 ? 7 * pitch : pitch;
    if (Math.abs((runs[k] as { length: number }).length - expected) > pitch * 0.6 + 1) return null;
  }
  const first = runs[0] as { start: number; length: number };
  const last = runs[runs.length - 1] as { start: number; length: number };
  // The finders' runs are split evenly: measuring from both of a run's edges cancels the shift
  // that blur or thresholding gives each edge.
  const centres: number[] = [];
  for (let c = 0; c < 7; c++) centres.push(first.start + ((c + 0.5) * first.length) / 7);
  for (let k = 1; k < runs.length - 1; k++) {
    const run = runs[k] as { start: number; length: number };
    centres.push(run.start + run.length / 2);
  }
  for (let c = 0; c < 7; c++) centres.push(last.start + ((c + 0.5) * last.length) / 7);
  return centres;
}

function sampleGrid(
  gray: GrayImage,
  t: number,
  margin: number,
  xs: number[],
  ys: number[],
  pitch: number,
): Sampled | null {
  const { width, height, data } = gray;
  // Average a small window around each centre so one stray anti-aliased pixel cannot flip a
  // module, but keep a pixel of slack each side for edges that jitter under nearest-neighbour.
  const rad = Math.max(0, Math.floor((pitch - 2) / 4));
  let ambiguous = 0;
  const grid: ModuleGrid = [];
  for (const y0 of ys) {
    const cy = Math.floor(y0);
    const row: boolean[] = [];
    for (const x0 of xs) {
      const cx = Math.floor(x0);
      if (cx - rad < 0 || cy - rad < 0 || cx + rad >= width || cy + rad >= height) return null;
      let sum = 0;
      for (let y = cy - rad; y <= cy + rad; y++) {
        for (let x = cx - rad; x <= cx + rad; x++) sum += data[y * width + x] as number;
      }
      const v = sum / (2 * rad + 1) ** 2;
      if (Math.abs(v - t) < margin) ambiguous++;
      row.push(v < t);
    }
    grid.push(row);
  }
  return { grid, ambiguous };
}

/**
 * Recovers the module grid of an axis-aligned QR code (any margin, any module size, integer or
 * not, anti-aliased or not). Returns null when the image does not look like a clean QR code.
 */
export function extractModuleGrid(gray: GrayImage): ModuleGrid | null {
  const levels = grayLevels(gray);
  const t = levels.threshold;
  if (t < 0 || levels.light - levels.dark < 48) return null;
  // A module centre closer than this to the threshold is neither clearly dark nor clearly light.
  const margin = (levels.light - levels.dark) / 4;
  const box = darkBox(gray, t);
  if (!box) return null;
  const bw = box.right - box.left + 1;
  const bh = box.bottom - box.top + 1;
  if (bw < 21 || Math.abs(bw - bh) > Math.max(2, bw * 0.05)) return null;

  const tl = locateFinder(gray, t, { x: box.left, y: box.top }, 1, 1);
  const tr = locateFinder(gray, t, { x: box.right, y: box.top }, -1, 1);
  const bl = locateFinder(gray, t, { x: box.left, y: box.bottom }, 1, -1);
  if (!tl || !tr || !bl) return null;
  const modules = [...tl.modules, ...tr.modules, ...bl.modules];
  const moduleSize = modules.reduce((a, b) => a + b, 0) / modules.length;
  // Only upright symbols: a rotated one goes to the fallback.
  if (
    Math.abs(tr.centre.y - tl.centre.y) > moduleSize ||
    Math.abs(bl.centre.x - tl.centre.x) > moduleSize
  ) {
    return null;
  }
  const spanX = tr.centre.x - tl.centre.x;
  const spanY = bl.centre.y - tl.centre.y;
  // Finder centres sit n - 7 modules apart.
  const estimate = ((spanX + spanY) / 2 / moduleSize - 10) / 4;

  // The estimate can be a version off for big symbols; the fixed patterns decide which fits.
  const { width, data } = gray;
  let best: Sampled | null = null;
  const v0 = Math.round(estimate);
  for (const v of [v0, v0 - 1, v0 + 1]) {
    if (v < 1 || v > 40) continue;
    const n = 17 + 4 * v;
    const px = spanX / (n - 7);
    const py = spanY / (n - 7);
    if (Math.min(px, py) < 1) continue;
    // Timing row 6 lies 3 modules below the top-left finder's centre (module 3, 3).
    const timingY = Math.floor(tl.centre.y + 3 * py);
    const timingX = Math.floor(tl.centre.x + 3 * px);
    const xs =
      timingCentres((i) => (data[timingY * width + box.left + i] as number) < t, bw, n, px)?.map(
        (x) => box.left + x,
      ) ?? Array.from({ length: n }, (_, c) => tl.centre.x + (c - 3) * px);
    const ys =
      timingCentres((i) => (data[(box.top + i) * width + timingX] as number) < t, bh, n, py)?.map(
        (y) => box.top + y,
      ) ?? Array.from({ length: n }, (_, r) => tl.centre.y + (r - 3) * py);
    const sampled = sampleGrid(gray, t, margin, xs, ys, Math.min(px, py));
    if (!sampled || !hasFixedPatterns(sampled.grid)) continue;
    if (!best || sampled.ambiguous < best.ambiguous) best = sampled;
  }
  // Many centres close to the threshold mean the grid sits across module edges, not on centres.
  if (!best || best.ambiguous > best.grid.length * best.grid.length * 0.02) return null;
  return best.grid;
}
