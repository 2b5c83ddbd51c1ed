export interface GridLayout {
  columns: number;
  rows: number;
  /** Tile size in px; tiles keep `aspect` and the grid is centred. */
  width: number;
  height: number;
}

/**
 * Picks the column count that makes `count` tiles of the given aspect ratio as large as possible in a
 * `width` × `height` area — what people expect from Meet-like grids, on a wide screen or a phone.
 */
export function gridLayout(count: number, width: number, height: number, gap = 8, aspect = 16 / 9): GridLayout {
  const n = Math.max(1, count);
  let best: GridLayout = { columns: 1, rows: n, width: 0, height: 0 };
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    const cellW = (width - gap * (columns - 1)) / columns;
    const cellH = (height - gap * (rows - 1)) / rows;
    if (cellW <= 0 || cellH <= 0) continue;
    const tileW = Math.min(cellW, cellH * aspect);
    const tileH = tileW / aspect;
    if (tileW * tileH > best.width * best.height) best = { columns, rows, width: Math.floor(tileW), height: Math.floor(tileH) };
  }
  return best;
}
