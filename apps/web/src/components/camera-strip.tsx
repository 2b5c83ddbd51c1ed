/** @jsxRuntime automatic @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import type { PresenterLayout } from '../presenter-layout.js';
import { text } from '../strings.js';

/** The camera tiles beside or below what is shown large (a shared screen, the whiteboard, the speaker). */
export function CameraStrip({ layout, gap, children }: { layout: PresenterLayout; gap: number; children: ComponentChildren }) {
  const { tile } = layout;
  const style =
    layout.strip === 'side'
      ? { gridTemplateColumns: `${tile.width}px`, gridAutoRows: `${tile.height}px`, gap: `${gap}px` }
      : { gridAutoFlow: 'column', gridAutoColumns: `${tile.width}px`, gridTemplateRows: `${tile.height}px`, gap: `${gap}px` };
  return (
    <div class="camera-strip" role="group" aria-label={text.cameras} style={style}>
      {children}
    </div>
  );
}
