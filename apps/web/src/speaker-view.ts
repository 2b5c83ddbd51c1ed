/**
 * The speaker view: one person large, everyone else in the strip beside or below (the presenter layout,
 * with a camera in the screen's place). For large meetings it is the view people watch in: the large tile
 * gets a high simulcast layer, the strip's small tiles the lowest.
 */

export type MeetingView = 'grid' | 'speaker';

/**
 * Who is shown large: the pinned participant while present; else the active speaker; else whoever was shown
 * last, so a pause in speech does not swap the picture; else the first of the others. Null when alone.
 */
export function focusOf(remoteIds: readonly string[], pinned: string | null, speakerId: string | null, previous: string | null): string | null {
  for (const id of [pinned, speakerId, previous]) if (id !== null && remoteIds.includes(id)) return id;
  return remoteIds[0] ?? null;
}
