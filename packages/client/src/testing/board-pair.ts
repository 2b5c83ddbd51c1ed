import * as Y from 'yjs';

const REMOTE = 'remote';

/** Two participants' boards, each edit delivered to the other as the SDK would (with its own origin). */
export function boardPair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (update: Uint8Array, origin: unknown) => origin !== REMOTE && Y.applyUpdate(b, update, REMOTE));
  b.on('update', (update: Uint8Array, origin: unknown) => origin !== REMOTE && Y.applyUpdate(a, update, REMOTE));
  return { a: a.getArray<unknown>('strokes'), b: b.getArray<unknown>('strokes'), docA: a };
}
