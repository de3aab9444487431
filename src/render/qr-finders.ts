import type { GrayImage } from "./gray-image.js";

/**
 * Finding a QR code's three corner finder patterns (the 7x7 squares) in a grayscale image: where
 * their centres are, and how big a module is. The grid reading in qr-grid.ts starts from them.
 */

interface Point {
  x: number;
  y: number;
}

interface FinderScan {
  /** Length of the 7-module cross-section in steps along the line. */
  span: number;
  /** Centre of the cross-section, in continuous pixel coordinates (pixel i covers [i, i+1)). */
  centre: Point;
}

const FINDER_RATIO = [1, 1, 3, 1, 1];

/**
 * Scans a line from (x0, y0) in steps of (dx, dy) for a finder's 1:1:3:1:1 cross-section (dark,
 * light, dark, light, dark). Up to two light pixels before the first dark one are skipped:
 * anti-aliasing rounds the finder's outer corner.
 */
function scanFinder(
  gray: GrayImage,
  t: number,
  x0: number,
  y0: number,
  dx: number,
  dy: number,
): FinderScan | null {
  const { width, height, data } = gray;
  let x = Math.floor(x0);
  let y = Math.floor(y0);
  const inside = () => x >= 0 && y >= 0 && x < width && y < height;
  for (let skip = 0; skip < 3 && inside() && (data[y * width + x] as number) >= t; skip++) {
    x += dx;
    y += dy;
  }
  const start = { x, y };
  const runs = [0, 0, 0, 0, 0];
  let i = 0;
  while (inside()) {
    const dark = (data[y * width + x] as number) < t;
    if (dark !== (i % 2 === 0)) {
      i++;
      if (i === 5) break;
    }
    runs[i] = (runs[i] as number) + 1;
    x += dx;
    y += dy;
  }
  const span = runs.reduce((a, b) => a + b, 0);
  const unit = span / 7;
  if (unit < 1) return null;
  for (let k = 0; k < 5; k++) {
    if (Math.abs((runs[k] as number) - (FINDER_RATIO[k] as number) * unit) > unit * 0.5 + 1) {
      return null;
    }
  }
  // First and last pixel of the span, then the midpoint between their centres.
  const last = { x: start.x + (span - 1) * dx, y: start.y + (span - 1) * dy };
  return { span, centre: { x: (start.x + last.x) / 2 + 0.5, y: (start.y + last.y) / 2 + 0.5 } };
}

interface Finder {
  centre: Point;
  /** Module size estimates (7-module spans / 7) from each line that crossed it. */
  modules: number[];
}

/**
 * Locates a corner finder: the diagonal from the box corner gives a rough centre (it crosses the
 * finder as 1:1:3:1:1 too); a horizontal and a vertical line through that centre refine it.
 */
export function locateFinder(
  gray: GrayImage,
  t: number,
  corner: Point,
  dx: number,
  dy: number,
): Finder | null {
  const diagonal = scanFinder(gray, t, corner.x, corner.y, dx, dy);
  if (!diagonal) return null;
  const across = scanFinder(gray, t, corner.x, diagonal.centre.y, dx, 0);
  const down = scanFinder(gray, t, diagonal.centre.x, corner.y, 0, dy);
  return {
    centre: { x: across?.centre.x ?? diagonal.centre.x, y: down?.centre.y ?? diagonal.centre.y },
    modules: [diagonal, across, down].filter((s) => s !== null).map((s) => s.span / 7),
  };
}
