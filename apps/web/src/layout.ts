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

/** Most tiles one page shows (a 5×5 grid); more people means more pages. */
export const MAX_TILES_PER_PAGE = 25;
/** Narrowest tile worth showing, in CSS pixels; a smaller stage gets fewer tiles per page. */
export const MIN_TILE_WIDTH = 200;

/**
 * How many tiles fit on a page of a `width` × `height` stage without any being narrower than `minWidth`
 * (tiles are at most 16:9, so such a tile is at least `minWidth` × 9/16 tall), between 1 and `max`.
 */
export function tilesPerPage(width: number, height: number, gap = 8, minWidth = MIN_TILE_WIDTH, max = MAX_TILES_PER_PAGE): number {
  const columns = Math.floor((width + gap) / (minWidth + gap));
  const rows = Math.floor((height + gap) / ((minWidth * 9) / 16 + gap));
  return Math.min(max, Math.max(1, columns) * Math.max(1, rows));
}

/** Number of pages for `count` items, `perPage` a page (at least one page). */
export function pageCount(count: number, perPage: number): number {
  return Math.max(1, Math.ceil(count / Math.max(1, perPage)));
}

/**
 * The ids on `page` (0-based, clamped to the last page). The active speaker, if they would be on a later
 * page, takes the last place of the first page instead, so whoever talks is seen without flipping pages;
 * everyone else keeps their order (no shuffling while people take turns).
 */
export function pageItems(ids: readonly string[], perPage: number, page: number, speakerId: string | null): string[] {
  const size = Math.max(1, perPage);
  const ordered = [...ids];
  const at = speakerId === null ? -1 : ordered.indexOf(speakerId);
  if (at >= size) {
    ordered.splice(at, 1);
    ordered.splice(size - 1, 0, speakerId!);
  }
  const last = pageCount(ordered.length, size) - 1;
  const p = Math.min(Math.max(0, page), last);
  return ordered.slice(p * size, (p + 1) * size);
}
