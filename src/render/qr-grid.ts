/** An 8-bit single-channel image, one byte per pixel, rows packed. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A QR module grid: grid[row][col] is true for a dark module. */
export type ModuleGrid = boolean[][];

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
function locateFinder(
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

function isDark(grid: ModuleGrid, r: number, c: number): boolean {
  return grid[r]?.[c] === true;
}

/** The 32 valid 15-bit format words: 5 data bits, BCH(15,5) remainder, XOR mask 0x5412. */
const FORMAT_WORDS = new Set(
  Array.from({ length: 32 }, (_, data) => {
    let rem = data << 10;
    for (let bit = 14; bit >= 10; bit--) if (rem & (1 << bit)) rem ^= 0x537 << (bit - 10);
    return ((data << 10) | rem) ^ 0x5412;
  }),
);

/** Both copies of the format information must be the same valid word: a misplaced grid fails. */
function hasValidFormat(grid: ModuleGrid): boolean {
  const n = grid.length;
  const first: [number, number][] = [];
  for (let c = 0; c <= 8; c++) if (c !== 6) first.push([8, c]);
  for (let r = 7; r >= 0; r--) if (r !== 6) first.push([r, 8]);
  const second: [number, number][] = [];
  for (let r = n - 1; r >= n - 7; r--) second.push([r, 8]);
  for (let c = n - 8; c < n; c++) second.push([8, c]);
  const word = (cells: [number, number][]) =>
    cells.reduce((acc, [r, c]) => (acc << 1) | (isDark(grid, r, c) ? 1 : 0), 0);
  const a = word(first);
  return a === word(second) && FORMAT_WORDS.has(a) && isDark(grid, n - 8, 8);
}

/** Checks the fixed patterns: three finders with separators, both timing lines, last alignment. */
function hasFixedPatterns(grid: ModuleGrid): boolean {
  const n = grid.length;
  const corners = [
    [0, 0],
    [0, n - 7],
    [n - 7, 0],
  ] as const;
  for (const [r0, c0] of corners) {
    for (let dr = -1; dr <= 7; dr++) {
      for (let dc = -1; dc <= 7; dc++) {
        const r = r0 + dr;
        const c = c0 + dc;
        if (r < 0 || c < 0 || r >= n || c >= n) continue;
        const ring = Math.max(Math.abs(dr - 3), Math.abs(dc - 3));
        // Rings 0, 1 and 3 are dark; ring 2 and the separator (ring 4) are light.
        if (isDark(grid, r, c) !== (ring <= 1 || ring === 3)) return false;
      }
    }
  }
  for (let i = 8; i < n - 8; i++) {
    if (isDark(grid, 6, i) !== (i % 2 === 0) || isDark(grid, i, 6) !== (i % 2 === 0)) return false;
  }
  if (n >= 25) {
    const a = n - 7;
    for (let dr = -2; dr <= 2; dr++) {
      for (let dc = -2; dc <= 2; dc++) {
        const ring = Math.max(Math.abs(dr), Math.abs(dc));
        if (isDark(grid, a + dr, a + dc) !== (ring !== 1)) return false;
      }
    }
  }
  return hasValidFormat(grid);
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
