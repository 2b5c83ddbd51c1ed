import { useEffect, useRef, useState } from 'preact/hooks';
import type * as Y from 'yjs';

/**
 * Whether someone else changed a shared document while it was not open here (the toolbar marks its button,
 * as the chat's does for unread messages). Opening it clears the mark; our own edits never set it.
 */
export function useUnseenEdits(doc: Y.Doc, open: boolean): boolean {
  const [unseen, setUnseen] = useState(false);
  const openNow = useRef(open);
  openNow.current = open;
  useEffect(() => {
    if (open) setUnseen(false);
  }, [open]);
  useEffect(() => {
    // Remote updates are applied outside a local transaction (Y.applyUpdate), so `local` tells them apart.
    const changed = (transaction: Y.Transaction) => {
      if (!transaction.local && transaction.changed.size > 0 && !openNow.current) setUnseen(true);
    };
    doc.on('afterTransaction', changed);
    return () => doc.off('afterTransaction', changed);
  }, [doc]);
  return unseen && !open;
}
