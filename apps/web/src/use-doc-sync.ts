import type { DocName, DocSync, SharedDocs } from '@treff/client';
import { useEffect, useState } from 'preact/hooks';

/**
 * Where one shared document stands in this browser: `syncing`, `synced`, or `unanswered` — nobody we asked
 * sent it (it may be too large to send, or held back because the meeting is no longer encrypted). A document
 * that arrives later still turns it `synced`.
 */
export type DocSyncView = DocSync | 'unanswered';

export function useDocSync(docs: SharedDocs, doc: DocName): DocSyncView {
  const [view, setView] = useState<DocSyncView>(() => docs.sync(doc));
  useEffect(() => {
    const offs = [
      docs.events.on('sync', (e) => e.doc === doc && setView(e.state)),
      docs.events.on('unanswered', (e) => e.doc === doc && setView('unanswered')),
    ];
    setView(docs.sync(doc));
    return () => offs.forEach((off) => off());
  }, [docs, doc]);
  return view;
}
