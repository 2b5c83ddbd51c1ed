/**
 * The presenter layout: while anyone shares a screen, the chosen share fills most of the stage and the camera
 * tiles sit in a strip beside it (wide stages) or below it (tall ones), small enough to cost little downlink.
 */

/**
 * Who shares, oldest first: those already sharing keep their place, new sharers go to the end (in the order
 * given), so "the newest share" is the last entry without the server having to say when a share began.
 */
export function shareOrder(previous: readonly string[], sharingNow: readonly string[]): string[] {
  const now = new Set(sharingNow);
  const kept = previous.filter((id) => now.has(id));
  const known = new Set(kept);
  return [...kept, ...sharingNow.filter((id) => !known.has(id))];
}

/** The share shown large: the one picked in the switcher while it lasts, else the newest. */
export function shownShare(order: readonly string[], picked: string | null): string | null {
  if (picked !== null && order.includes(picked)) return picked;
  return order.at(-1) ?? null;
}

export interface PresenterLayout {
  /** Where the camera strip goes. */
  strip: 'side' | 'below';
  /** The area for the shared screen, in CSS pixels. */
  screen: { width: number; height: number };
  /** One camera tile of the strip (16:9). */
  tile: { width: number; height: number };
  /** How many camera tiles fit in the strip at once (at least 1). */
  perStrip: number;
}

/** Widest camera tile in the strip; small on purpose: the screen is what people look at. */
export const STRIP_TILE_WIDTH = 240;
/** Narrowest strip tile still worth showing. */
const MIN_STRIP_TILE_WIDTH = 120;

/**
 * Splits a `width` × `height` stage between the screen and the camera strip. Wide stages get a column of tiles
 * on the right, tall ones a row underneath; the strip takes at most a fifth (tall: a quarter) of the stage.
 */
export function presenterLayout(width: number, height: number, gap = 12): PresenterLayout {
  const w = Math.max(0, width);
  const h = Math.max(0, height);
  // Room for at least two tiles (someone else and the self view), however small the stage.
  if (w >= h) {
    let tileW = Math.max(MIN_STRIP_TILE_WIDTH, Math.min(STRIP_TILE_WIDTH, w / 5));
    tileW = Math.min(tileW, (((h - gap) / 2) * 16) / 9);
    const tile = { width: Math.max(0, Math.floor(tileW)), height: Math.max(0, Math.floor((tileW * 9) / 16)) };
    const perStrip = Math.max(1, Math.floor((h + gap) / (tile.height + gap)));
    return { strip: 'side', screen: { width: Math.max(0, w - tile.width - gap), height: h }, tile, perStrip };
  }
  let tileH = Math.max((MIN_STRIP_TILE_WIDTH * 9) / 16, Math.min((STRIP_TILE_WIDTH * 9) / 16, h / 4));
  tileH = Math.min(tileH, (((w - gap) / 2) * 9) / 16);
  const tile = { width: Math.max(0, Math.floor((tileH * 16) / 9)), height: Math.max(0, Math.floor(tileH)) };
  const perStrip = Math.max(1, Math.floor((w + gap) / (tile.width + gap)));
  return { strip: 'below', screen: { width: w, height: Math.max(0, h - tile.height - gap) }, tile, perStrip };
}
