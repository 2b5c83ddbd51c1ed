import { BOARD_HEIGHT, BOARD_WIDTH, MAX_STROKE_POINTS, type Stroke } from '@treff/client';

/** Where the board is drawn on the page (a `getBoundingClientRect()`). */
export interface BoardRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The board point under a pointer at (`clientX`, `clientY`): the board keeps its 16:9 shape centred in `rect`
 * (SVG's `xMidYMid meet`), so the scale is the smaller of the two and the rest is margin. Rounded to whole
 * board units and kept on the board, as strokes must be.
 */
export function toBoardPoint(clientX: number, clientY: number, rect: BoardRect): [number, number] {
  const scale = Math.min(rect.width / BOARD_WIDTH, rect.height / BOARD_HEIGHT);
  if (!(scale > 0)) return [0, 0];
  const offsetX = (rect.width - BOARD_WIDTH * scale) / 2;
  const offsetY = (rect.height - BOARD_HEIGHT * scale) / 2;
  const x = Math.round((clientX - rect.left - offsetX) / scale);
  const y = Math.round((clientY - rect.top - offsetY) / scale);
  return [Math.min(BOARD_WIDTH, Math.max(0, x)), Math.min(BOARD_HEIGHT, Math.max(0, y))];
}

/** Squared distance from point p to the segment a–b. */
function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
  const x = ax + t * dx - px;
  const y = ay + t * dy - py;
  return x * x + y * y;
}

/**
 * Ramer–Douglas–Peucker on a flat `x0, y0, x1, y1, …` list: drops the points that lie within `tolerance` of
 * the line through their neighbours. First and last points always stay.
 */
export function simplify(points: readonly number[], tolerance: number): number[] {
  const count = points.length / 2;
  if (count <= 2) return [...points];
  const keep = new Uint8Array(count);
  keep[0] = 1;
  keep[count - 1] = 1;
  const limit = tolerance * tolerance;
  const spans: [number, number][] = [[0, count - 1]];
  while (spans.length > 0) {
    const [first, last] = spans.pop()!;
    let farthest = -1;
    let farthestDistance = limit;
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistance2(points[2 * i]!, points[2 * i + 1]!, points[2 * first]!, points[2 * first + 1]!, points[2 * last]!, points[2 * last + 1]!);
      if (d > farthestDistance) {
        farthest = i;
        farthestDistance = d;
      }
    }
    if (farthest < 0) continue;
    keep[farthest] = 1;
    spans.push([first, farthest], [farthest, last]);
  }
  const kept: number[] = [];
  for (let i = 0; i < count; i++) if (keep[i]) kept.push(points[2 * i]!, points[2 * i + 1]!);
  return kept;
}

/**
 * A drawn line as a stroke's points: repeats dropped, then simplified just below what the eye sees (half a board
 * unit), and more coarsely until it has at most `MAX_STROKE_POINTS` points.
 */
export function strokePoints(drawn: readonly number[]): number[] {
  const distinct: number[] = [];
  for (let i = 0; i + 1 < drawn.length; i += 2) {
    const x = drawn[i]!;
    const y = drawn[i + 1]!;
    if (distinct.length >= 2 && distinct[distinct.length - 2] === x && distinct[distinct.length - 1] === y) continue;
    distinct.push(x, y);
  }
  let tolerance = 0.5;
  let points = simplify(distinct, tolerance);
  while (points.length > MAX_STROKE_POINTS * 2) {
    tolerance *= 2;
    points = simplify(distinct, tolerance);
  }
  return points;
}

/**
 * The ids of the strokes the eraser touched while moving from `from` to `to` (board units): those whose line
 * comes within its own half width plus `radius` of that path.
 */
export function strokesHit(strokes: readonly Stroke[], from: readonly [number, number], to: readonly [number, number], radius: number): string[] {
  const hit: string[] = [];
  for (const stroke of strokes) {
    const reach = stroke.width / 2 + radius;
    const reach2 = reach * reach;
    const p = stroke.points;
    let touched = false;
    for (let i = 0; i + 1 < p.length && !touched; i += 2) {
      const x = p[i]!;
      const y = p[i + 1]!;
      // The stroke's next point, or this one again for its last (a dot is a segment of length 0).
      const nx = i + 3 < p.length ? p[i + 2]! : x;
      const ny = i + 3 < p.length ? p[i + 3]! : y;
      touched = segmentsDistance2(from[0], from[1], to[0], to[1], x, y, nx, ny) <= reach2;
    }
    if (touched) hit.push(stroke.id);
  }
  return hit;
}

/** Squared distance between segments a–b and c–d (0 when they cross). */
function segmentsDistance2(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): number {
  const cross = (px: number, py: number, qx: number, qy: number, rx: number, ry: number) => (qx - px) * (ry - py) - (qy - py) * (rx - px);
  const d1 = cross(cx, cy, dx, dy, ax, ay);
  const d2 = cross(cx, cy, dx, dy, bx, by);
  const d3 = cross(ax, ay, bx, by, cx, cy);
  const d4 = cross(ax, ay, bx, by, dx, dy);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return 0;
  return Math.min(
    segmentDistance2(ax, ay, cx, cy, dx, dy),
    segmentDistance2(bx, by, cx, cy, dx, dy),
    segmentDistance2(cx, cy, ax, ay, bx, by),
    segmentDistance2(dx, dy, ax, ay, bx, by),
  );
}
