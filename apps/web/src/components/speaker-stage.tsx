/** @jsxRuntime automatic @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import type { PresenterLayout } from '../presenter-layout.js';
import { CameraStrip } from './camera-strip.js';

/** The speaker view: one person's tile in the large place, the other cameras in the strip. */
export function SpeakerStage({ focus, layout, gap, children }: { focus: ComponentChildren; layout: PresenterLayout; gap: number; children: ComponentChildren }) {
  return (
    <div class={`presenter speaker-view strip-${layout.strip}`} style={{ gap: `${gap}px` }}>
      <div class="presenter-screen" style={{ width: `${layout.screen.width}px`, height: `${layout.screen.height}px` }}>
        {focus}
      </div>
      <CameraStrip layout={layout} gap={gap}>
        {children}
      </CameraStrip>
    </div>
  );
}
