export interface GridLayout {
  columns: number;
  rows: number;
  /** Tile size in px; the grid is centred. */
  width: number;
  height: number;
}

export interface AspectRange {
  /** Narrowest allowed tile (width / height). */
  min: number;
  /** Widest allowed tile. */
  max: number;
}

const WIDESCREEN: AspectRange = { min: 16 / 9, max: 16 / 9 };

/**
 * Picks the column count that makes `count` tiles as large as possible in a `width` × `height` area.
 * Tiles fill their grid cell within the allowed aspect range: fixed 16:9 on wide screens, while on a
 * portrait phone a range lets two people share the screen instead of leaving half of it black.
 */
export function gridLayout(count: number, width: number, height: number, gap = 8, aspect: AspectRange = WIDESCREEN): GridLayout {
  const n = Math.max(1, count);
  let best: GridLayout = { columns: 1, rows: n, width: 0, height: 0 };
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    const cellW = (width - gap * (columns - 1)) / columns;
    const cellH = (height - gap * (rows - 1)) / rows;
    if (cellW <= 0 || cellH <= 0) continue;
    let tileW = cellW;
    let tileH = cellH;
    if (tileW / tileH > aspect.max) tileW = tileH * aspect.max;
    if (tileW / tileH < aspect.min) tileH = tileW / aspect.min;
    if (tileW * tileH > best.width * best.height) best = { columns, rows, width: Math.floor(tileW), height: Math.floor(tileH) };
  }
  return best;
}

/** The aspect range for a stage: widescreen tiles unless the stage itself is portrait. */
export function aspectFor(width: number, height: number): AspectRange {
  return height > width ? { min: 3 / 4, max: 16 / 9 } : WIDESCREEN;
}
