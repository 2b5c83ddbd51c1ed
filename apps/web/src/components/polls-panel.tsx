/** @jsxRuntime automatic @jsxImportSource preact */
import type { Room } from '@treff/client';
import { useState } from 'preact/hooks';
import { text } from '../strings.js';
import { PollCard } from './poll-card.js';
import { PollForm } from './poll-form.js';
import { SidePanel } from './side-panel.js';

/** The meeting's polls, newest first; hosts and co-hosts also start and close them. */
export function PollsPanel({ room, onClose }: { room: Room; onClose: () => void }) {
  const [creating, setCreating] = useState(false);
  const polls = [...room.polls].reverse();
  return (
    <SidePanel id="polls-panel" headingId="polls-heading" className="polls-panel" title={text.polls} onClose={onClose}>
      <div class="panel-body stack">
        {/* The server counts the votes, so it sees them even when everything else is end-to-end encrypted. */}
        {room.e2ee.status === 'encrypted' && <p class="hint warn">{text.pollNotEncrypted}</p>}
        {room.isModerator && (
          <>
            <button type="button" class="button small" aria-expanded={creating} aria-controls="new-poll" onClick={() => setCreating((c) => !c)}>
              {text.newPoll}
            </button>
            <div id="new-poll">{creating && <PollForm room={room} onDone={() => setCreating(false)} />}</div>
          </>
        )}
        {polls.length === 0 && <p class="muted">{text.pollsEmpty}</p>}
        {polls.map((poll) => (
          <PollCard key={poll.id} room={room} poll={poll} />
        ))}
      </div>
    </SidePanel>
  );
}
