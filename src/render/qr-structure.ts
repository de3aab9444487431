/**
 * The fixed structure every QR symbol has (finders with separators, timing lines, the last
 * alignment pattern, the format information twice): a grid read in the wrong place or at the
 * wrong version fails these checks, which is how qr-grid.ts picks the right one.
 */

/** A QR module grid: grid[row][col] is true for a dark module. */
export type ModuleGrid = boolean[][];

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
export function hasFixedPatterns(grid: ModuleGrid): boolean {
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
