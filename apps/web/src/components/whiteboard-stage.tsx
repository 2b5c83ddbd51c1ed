/** @jsxRuntime automatic @jsxImportSource preact */
import { BOARD_HEIGHT, BOARD_WIDTH, clearBoard, newStrokeId, readStrokes, STROKE_COLORS, STROKE_WIDTHS, WhiteboardHistory, type Room, type Stroke, type StrokeColor } from '@treff/client';
import type { ComponentChildren } from 'preact';
import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { downloadBlob, meetingFileName } from '../download.js';
import type { PresenterLayout } from '../presenter-layout.js';
import { text } from '../strings.js';
import { useDocSync } from '../use-doc-sync.js';
import { strokePoints, strokesHit, toBoardPoint } from '../whiteboard-geometry.js';
import { BOARD_BACKGROUND, boardSvg, strokePath } from '../whiteboard-svg.js';
import { CameraStrip } from './camera-strip.js';
import { DownloadIcon, EraserIcon, PenIcon, RedoIcon, TrashIcon, UndoIcon } from './icons.js';

type Tool = 'pen' | 'eraser';

/** How far from the pointer the eraser reaches, in board units. */
const ERASER_RADIUS = 10;
/** Bytes a stroke adds to the document at most per point (two small integers), plus its other fields. */
const STROKE_BYTES = (points: number) => points * 6 + 120;

/** One undo history per board for this page's lifetime, so closing and reopening the whiteboard keeps it. */
const histories = new WeakMap<Y.Array<unknown>, WhiteboardHistory>();
function historyOf(strokes: Y.Array<unknown>): WhiteboardHistory {
  let history = histories.get(strokes);
  if (!history) {
    history = new WhiteboardHistory(strokes);
    histories.set(strokes, history);
  }
  return history;
}

/** A drawing or erasing gesture of one pointer, from down to up. */
interface Gesture {
  pointerId: number;
  tool: Tool;
  /** Board points drawn so far (pen). */
  points: number[];
  /** Strokes touched so far (eraser), hidden here until the gesture ends and erases them all as one step. */
  erasing: Set<string>;
  last: [number, number];
}

/** Outline paths, computed once per stroke (perfect-freehand is the costly part of drawing a board). */
function usePaths() {
  const cache = useRef(new Map<string, { points: readonly number[]; width: number; d: string }>());
  return (strokes: readonly Stroke[]) => {
    const next = new Map<string, { points: readonly number[]; width: number; d: string }>();
    for (const stroke of strokes) {
      const known = cache.current.get(stroke.id);
      const same = known && known.width === stroke.width && known.points.length === stroke.points.length && known.points.every((n, i) => n === stroke.points[i]);
      next.set(stroke.id, same ? known : { points: stroke.points, width: stroke.width, d: strokePath(stroke) });
    }
    cache.current = next;
    return (id: string) => next.get(id)?.d ?? '';
  };
}

async function downloadPng(svg: string, name: string): Promise<void> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = BOARD_WIDTH;
    canvas.height = BOARD_HEIGHT;
    canvas.getContext('2d')?.drawImage(image, 0, 0);
    const png = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (png) downloadBlob(png, name);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Ctrl+Z and friends belong to a text field while one has the focus (the notes, the chat). */
const typingIn = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT');

interface Props {
  room: Room;
  title: string;
  layout: PresenterLayout;
  gap: number;
  /** The camera tiles of the strip. */
  children: ComponentChildren;
}

/**
 * The shared whiteboard, large where a screen share would be, with the cameras in the strip: everyone draws
 * with the pen and erases what they touch; each undoes and redoes their own steps; hosts and co-hosts clear it.
 */
export function WhiteboardStage({ room, title, layout, gap, children }: Props) {
  const docs = room.docs;
  const array = docs.strokes;
  const history = historyOf(array);
  const board = useRef<SVGSVGElement>(null);
  const gesture = useRef<Gesture | null>(null);
  const [strokes, setStrokes] = useState(() => readStrokes(array));
  const sync = useDocSync(docs, 'whiteboard');
  const [full, setFull] = useState(false);
  const [tool, setTool] = useState<Tool>('pen');
  const [color, setColor] = useState<StrokeColor>(STROKE_COLORS[0]);
  const [width, setWidth] = useState<number>(STROKE_WIDTHS[1]);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const paths = usePaths()(strokes);

  useEffect(() => {
    const update = () => {
      setStrokes(readStrokes(array));
      // The warning lasts until something was erased (or cleared) and there is room again.
      setFull((was) => was && docs.bytes('whiteboard') >= docs.maxBytes * 0.9);
    };
    array.observe(update);
    update();
    const offFull = docs.events.on('full', ({ doc }) => doc === 'whiteboard' && setFull(true));
    return () => {
      array.unobserve(update);
      offFull();
    };
  }, [docs, array]);

  useEffect(() => {
    const off = history.events.on('change', () => redraw(undefined));
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || typingIn(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) history.undo();
      else if ((key === 'z' && event.shiftKey) || key === 'y') history.redo();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      off();
      window.removeEventListener('keydown', onKey);
    };
  }, [history]);

  const pointOf = (event: PointerEvent): [number, number] => {
    const rect = board.current?.getBoundingClientRect() ?? { left: 0, top: 0, width: 0, height: 0 };
    return toBoardPoint(event.clientX, event.clientY, rect);
  };

  const erase = (g: Gesture, to: [number, number]) => {
    for (const id of strokesHit(strokes, g.last, to, ERASER_RADIUS)) g.erasing.add(id);
  };

  const onPointerDown = (event: PointerEvent) => {
    if (gesture.current || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    try {
      // The rest of the line reaches the board even when the pointer leaves it.
      board.current?.setPointerCapture(event.pointerId);
    } catch {
      // A pointer the browser no longer counts as active (lifted at once): the line is drawn all the same.
    }
    const at = pointOf(event);
    const g: Gesture = { pointerId: event.pointerId, tool, points: [...at], erasing: new Set(), last: at };
    if (tool === 'eraser') erase(g, at);
    gesture.current = g;
    redraw(undefined);
  };

  const onPointerMove = (event: PointerEvent) => {
    const g = gesture.current;
    if (!g || g.pointerId !== event.pointerId) return;
    // The samples between two frames, where the browser has them: smoother lines from fast hands.
    const coalesced = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    for (const sample of coalesced.length > 0 ? coalesced : [event]) {
      const at = pointOf(sample);
      if (g.tool === 'eraser') erase(g, at);
      else g.points.push(at[0], at[1]);
      g.last = at;
    }
    redraw(undefined);
  };

  const finish = (event: PointerEvent, keep: boolean) => {
    const g = gesture.current;
    if (!g || g.pointerId !== event.pointerId) return;
    gesture.current = null;
    if (g.tool === 'eraser') {
      history.erase(g.erasing);
    } else if (keep) {
      const points = strokePoints(g.points);
      const self = room.self?.id;
      // Checked before adding so that a stroke the board has no room for never becomes an undo step (the SDK
      // would undo its edit, but the history would keep it); the SDK's maxBytes check stays the real cap.
      if (docs.bytes('whiteboard') + STROKE_BYTES(points.length / 2) > docs.maxBytes) setFull(true);
      else if (self) history.add({ id: newStrokeId(), by: self, color, width, points });
    }
    redraw(undefined);
  };

  const clear = () => {
    if (confirm(text.whiteboardConfirmClear)) clearBoard(array);
  };

  const g = gesture.current;
  const shown = g && g.erasing.size > 0 ? strokes.filter((s) => !g.erasing.has(s.id)) : strokes;
  const live = g && g.tool === 'pen' ? strokePath({ width, points: g.points }) : null;
  const download = (extension: 'svg' | 'png') => {
    const svg = boardSvg(strokes);
    const name = meetingFileName(title, 'whiteboard', extension, Date.now());
    if (extension === 'svg') downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), name);
    else void downloadPng(svg, name);
  };

  return (
    <div class={`presenter strip-${layout.strip}`} style={{ gap: `${gap}px` }}>
      <section class="presenter-screen whiteboard" aria-label={text.whiteboard} style={{ width: `${layout.screen.width}px`, height: `${layout.screen.height}px` }}>
        <div class="whiteboard-tools" role="group" aria-label={text.whiteboardTools}>
          <button type="button" class="tool-button" aria-pressed={tool === 'pen'} aria-label={text.whiteboardPen} title={text.whiteboardPen} onClick={() => setTool('pen')}>
            <PenIcon />
          </button>
          <button type="button" class="tool-button" aria-pressed={tool === 'eraser'} aria-label={text.whiteboardEraser} title={text.whiteboardEraser} onClick={() => setTool('eraser')}>
            <EraserIcon />
          </button>
          <span class="tool-group" role="group" aria-label={text.whiteboardColors}>
            {STROKE_COLORS.map((c, i) => (
              <button
                key={c}
                type="button"
                class="tool-button swatch"
                aria-pressed={tool === 'pen' && color === c}
                aria-label={text.whiteboardColorNames[i] ?? c}
                title={text.whiteboardColorNames[i] ?? c}
                onClick={() => {
                  setColor(c);
                  setTool('pen');
                }}
              >
                <span class="swatch-color" style={{ background: c }} />
              </button>
            ))}
          </span>
          <span class="tool-group" role="group" aria-label={text.whiteboardWidths}>
            {STROKE_WIDTHS.map((w, i) => (
              <button key={w} type="button" class="tool-button" aria-pressed={width === w} aria-label={text.whiteboardWidthNames[i] ?? String(w)} title={text.whiteboardWidthNames[i] ?? String(w)} onClick={() => setWidth(w)}>
                <span class="width-dot" style={{ width: `${Math.min(18, 3 + w / 1.5)}px`, height: `${Math.min(18, 3 + w / 1.5)}px` }} />
              </button>
            ))}
          </span>
          <span class="tool-group">
            <button type="button" class="tool-button" aria-label={text.whiteboardUndo} title={text.whiteboardUndoShortcut} disabled={!history.canUndo()} onClick={() => history.undo()}>
              <UndoIcon />
            </button>
            <button type="button" class="tool-button" aria-label={text.whiteboardRedo} title={text.whiteboardRedoShortcut} disabled={!history.canRedo()} onClick={() => history.redo()}>
              <RedoIcon />
            </button>
          </span>
          <span class="tool-group tool-end">
            {room.isModerator && (
              <button type="button" class="tool-button" aria-label={text.whiteboardClear} title={text.whiteboardClear} disabled={strokes.length === 0} onClick={clear}>
                <TrashIcon />
              </button>
            )}
            <button type="button" class="tool-button labelled" title={text.whiteboardDownloadSvg} aria-label={text.whiteboardDownloadSvg} onClick={() => download('svg')}>
              <DownloadIcon />
              <span aria-hidden="true">SVG</span>
            </button>
            <button type="button" class="tool-button labelled" title={text.whiteboardDownloadPng} aria-label={text.whiteboardDownloadPng} onClick={() => download('png')}>
              <DownloadIcon />
              <span aria-hidden="true">PNG</span>
            </button>
          </span>
        </div>
        <svg
          ref={board}
          class={`whiteboard-board tool-${tool}`}
          viewBox={`0 0 ${BOARD_WIDTH} ${BOARD_HEIGHT}`}
          preserveAspectRatio="xMidYMid meet"
          role="img"
          aria-label={text.whiteboardBoard(shown.length)}
          data-strokes={shown.length}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={(event) => finish(event, true)}
          onPointerCancel={(event) => finish(event, false)}
        >
          <rect width={BOARD_WIDTH} height={BOARD_HEIGHT} fill={BOARD_BACKGROUND} />
          {shown.map((stroke) => (
            <path key={stroke.id} d={paths(stroke.id)} fill={stroke.color} data-stroke-id={stroke.id} data-by={stroke.by} />
          ))}
          {live && <path class="whiteboard-live" d={live} fill={color} />}
        </svg>
        <p class="whiteboard-status hint" role="status">
          {full ? text.whiteboardFull : sync === 'syncing' ? text.whiteboardSyncing : sync === 'unanswered' ? text.whiteboardUnanswered : text.whiteboardHint}
        </p>
      </section>
      <CameraStrip layout={layout} gap={gap}>
        {children}
      </CameraStrip>
    </div>
  );
}
