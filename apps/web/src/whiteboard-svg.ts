import { BOARD_HEIGHT, BOARD_WIDTH, type Stroke } from '@treff/client';
import { getStroke } from 'perfect-freehand';

/** The board's paper colour, on screen and in exports (every pen colour reads on it). */
export const BOARD_BACKGROUND = '#fbfaf7';

/** How a line of `width` looks: the same options everywhere, so every participant sees the same shape. */
const options = (width: number) => ({ size: width, thinning: 0.5, smoothing: 0.5, streamline: 0.4, simulatePressure: true, last: true });

const fixed = (n: number) => (Math.round(n * 100) / 100).toString();

/**
 * SVG path data of a stroke's outline (perfect-freehand's `getStroke`), as the quadratic curves through its
 * outline points' midpoints that perfect-freehand's README recommends.
 */
export function strokePath(stroke: Pick<Stroke, 'width' | 'points'>): string {
  const input: [number, number][] = [];
  for (let i = 0; i + 1 < stroke.points.length; i += 2) input.push([stroke.points[i]!, stroke.points[i + 1]!]);
  const outline = getStroke(input, options(stroke.width));
  if (outline.length < 4) {
    // Too short for an outline: a dot of the pen's width.
    const [x, y] = input[0] ?? [0, 0];
    const r = fixed(stroke.width / 2);
    return `M${fixed(x - stroke.width / 2)},${fixed(y)} a${r},${r} 0 1,0 ${fixed(stroke.width)},0 a${r},${r} 0 1,0 ${fixed(-stroke.width)},0Z`;
  }
  const mid = (a: number, b: number) => fixed((a + b) / 2);
  const [a, b, c] = outline as [number, number][];
  let path = `M${fixed(a![0])},${fixed(a![1])} Q${fixed(b![0])},${fixed(b![1])} ${mid(b![0], c![0])},${mid(b![1], c![1])} T`;
  for (let i = 2; i < outline.length - 1; i++) {
    const p = outline[i]!;
    const q = outline[i + 1]!;
    path += `${mid(p[0]!, q[0]!)},${mid(p[1]!, q[1]!)} `;
  }
  return `${path}Z`;
}

/**
 * The board as a standalone SVG file: its paper and every stroke in drawing order. Colours come from the
 * palette (validated by `readStrokes`), path data is numbers only, so nothing from others is markup.
 */
export function boardSvg(strokes: readonly Stroke[]): string {
  const paths = strokes.map((stroke) => `<path fill="${stroke.color}" d="${strokePath(stroke)}"/>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${BOARD_WIDTH} ${BOARD_HEIGHT}" width="${BOARD_WIDTH}" height="${BOARD_HEIGHT}">`,
    `<rect width="${BOARD_WIDTH}" height="${BOARD_HEIGHT}" fill="${BOARD_BACKGROUND}"/>`,
    ...paths,
    '</svg>',
    '',
  ].join('\n');
}
