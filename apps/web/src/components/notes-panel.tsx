/** @jsxRuntime automatic @jsxImportSource preact */
import type { Room } from '@treff/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { downloadBlob, meetingFileName } from '../download.js';
import { bindTextarea } from '../notes-binding.js';
import { text } from '../strings.js';
import { useDocSync } from '../use-doc-sync.js';
import { DownloadIcon, EncryptedIcon } from './icons.js';
import { SidePanel } from './side-panel.js';

const utf8 = new TextEncoder();

/** Saves the notes as everyone sees them now to a Markdown file (nothing of them outlives the meeting). */
function downloadNotes(room: Room, title: string): void {
  downloadBlob(new Blob([room.docs.exportNotes()], { type: 'text/markdown;charset=utf-8' }), meetingFileName(title, 'notes', 'md', Date.now()));
}

/**
 * The meeting's shared notes: one Markdown text everyone edits at once (a Yjs text the SDK keeps in sync),
 * whether everyone has our changes, and the download that keeps them after the meeting.
 */
export function NotesPanel({ room, title, onClose }: { room: Room; title: string; onClose: () => void }) {
  const area = useRef<HTMLTextAreaElement>(null);
  const docs = room.docs;
  const sync = useDocSync(docs, 'notes');
  const [full, setFull] = useState(false);

  useEffect(() => {
    const textarea = area.current;
    if (!textarea) return;
    const unbind = bindTextarea(textarea, docs.notes, {
      // Refused here rather than sent and undone by the SDK, so the text does not flicker.
      mayGrow: (change) => {
        const fits = docs.bytes('notes') + utf8.encode(change.insert).byteLength <= docs.maxBytes;
        if (!fits) setFull(true);
        return fits;
      },
    });
    const offFull = docs.events.on('full', ({ doc }) => doc === 'notes' && setFull(true));
    return () => {
      unbind();
      offFull();
    };
  }, [docs]);

  // Once text was removed, the warning goes (Yjs keeps a little of what was deleted, so some room is left).
  const recheckFull = () => {
    if (full && docs.bytes('notes') < docs.maxBytes * 0.95) setFull(false);
  };

  const encrypted = room.e2ee.status === 'encrypted';
  const status =
    room.connectionState !== 'connected' ? text.notesOffline : sync === 'syncing' ? text.notesSyncing : sync === 'unanswered' ? text.notesUnanswered : text.notesSaved;
  return (
    <SidePanel id="notes-panel" headingId="notes-heading" className="notes-panel" title={text.notes} onClose={onClose}>
      <div class="notes-body">
        <p class={`notes-status ${sync === 'synced' ? 'synced' : ''}`} role="status">
          {status}
        </p>
        <textarea
          ref={area}
          class="notes-text"
          aria-label={text.notesLabel}
          aria-describedby="notes-hint"
          placeholder={text.notesPlaceholder}
          spellcheck
          onInput={recheckFull}
        />
        {full && (
          <p class="hint warn" role="alert">
            {text.notesFull}
          </p>
        )}
        <p id="notes-hint" class="hint notes-hint">
          {encrypted && <EncryptedIcon size={14} />}
          {encrypted ? text.notesEncryptedHint : text.notesClearHint}
        </p>
      </div>
      <div class="panel-actions">
        <button type="button" class="button small ghost" onClick={() => downloadNotes(room, title)}>
          <DownloadIcon size={16} />
          {text.notesDownload}
        </button>
      </div>
    </SidePanel>
  );
}
