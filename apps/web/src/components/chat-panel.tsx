/** @jsxRuntime automatic @jsxImportSource preact */
import { LIMITS, type ChatEntry, type Room } from '@treff/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useSentCheck } from '../action-feedback.js';
import { ChatText } from '../chat-text.js';
import { chatOfRoom, roomName } from '../breakout-view.js';
import { chatExportFileName, chatMarkdown } from '../chat-export.js';
import { activeLocale } from '../i18n/language.js';
import { text } from '../strings.js';
import { EncryptedIcon } from './icons.js';
import { SidePanel } from './side-panel.js';

const EVERYONE = '';

function nameOf(room: Room, id: string): string {
  if (id === room.self?.id) return text.chatYou;
  return room.participants.get(id)?.name ?? text.chatSomeoneWhoLeft;
}

/** Who said it, and for a private message who it was for (as this participant sees it). */
function heading(room: Room, m: ChatEntry): { who: string; privately: string | null } {
  const mine = m.from === room.self?.id;
  const who = mine ? text.chatYou : m.fromName;
  if (m.to === null) return { who, privately: null };
  return { who, privately: mine ? text.chatPrivateTo(nameOf(room, m.to)) : text.chatPrivate };
}

const time = (at: number) => new Date(at).toLocaleTimeString(activeLocale(), { hour: '2-digit', minute: '2-digit' });

/** Saves the chat as we can read it to a Markdown file (the server keeps none after the meeting). */
function exportChat(room: Room, title: string): void {
  const now = Date.now();
  const markdown = chatMarkdown({
    title,
    entries: room.chat,
    selfId: room.self?.id ?? null,
    nameOf: (id) => room.participants.get(id)?.name,
    time: (at) => new Date(at).toLocaleString(activeLocale()),
    exportedAt: now,
  });
  const url = URL.createObjectURL(new Blob([markdown], { type: 'text/markdown;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = chatExportFileName(title, now);
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The meeting's chat: everything said to everyone, and private messages to and from us; moderators export it. */
export function ChatPanel({ room, title = '', onClose }: { room: Room; title?: string; onClose: () => void }) {
  const [draft, setDraft] = useState('');
  const [to, setTo] = useState(EVERYONE);
  const listRef = useRef<HTMLOListElement>(null);
  const checkSent = useSentCheck();
  // In a breakout room: its public messages (not those of the room we came from) and all private ones.
  const messages = chatOfRoom(room.chat, room.myBreakout);
  const breakoutName = roomName(room.breakouts, room.myBreakout);
  // While breakout rooms are open a public message reaches only one's own room, the main room too.
  const everyoneLabel = breakoutName !== null ? text.chatEveryoneInRoom(breakoutName) : room.breakouts !== null ? text.chatEveryoneInMainRoom : text.chatEveryone;
  const encrypted = room.e2ee.status === 'encrypted';
  const people = [...room.participants.values()].sort((a, b) => a.name.localeCompare(b.name));
  // Someone we were writing to privately left: fall back to everyone rather than send into the void.
  const recipient = to !== EVERYONE && room.participants.has(to) ? to : EVERYONE;

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [messages.length]);

  const send = (event: Event) => {
    event.preventDefault();
    if (draft.trim() === '') return;
    if (checkSent(room.sendChat(draft, recipient === EVERYONE ? {} : { to: recipient }))) setDraft('');
  };

  return (
    <SidePanel id="chat-panel" headingId="chat-heading" className="chat-panel" title={text.chat} onClose={onClose}>
      {encrypted && (
        <p class="chat-e2ee hint">
          <EncryptedIcon size={14} />
          {text.chatEncrypted}
        </p>
      )}
      <ol class="chat-messages" ref={listRef} aria-label={text.chatMessages} aria-live="polite">
        {messages.length === 0 && <li class="muted chat-empty">{text.chatEmpty}</li>}
        {messages.map((m) => {
          const { who, privately } = heading(room, m);
          return (
            <li key={m.id} class={`chat-message ${privately ? 'private' : ''}`}>
              <div class="chat-meta">
                <span class="chat-from">{who}</span>
                {privately && <span class="chat-private">{privately}</span>}
                {/* Once encrypted, the messages from before that the server could read say so. */}
                {encrypted && !m.encrypted && <span class="chat-clear">{text.chatSentInClear}</span>}
                <time class="muted" dateTime={new Date(m.at).toISOString()}>
                  {time(m.at)}
                </time>
              </div>
              {/* null: sealed with a key from before we joined; nothing of the sealed text is ever shown. */}
              {m.text === null ? <p class="chat-text chat-sealed muted">{text.chatSealedBeforeJoin}</p> : <ChatText text={m.text} />}
            </li>
          );
        })}
      </ol>
      {room.isModerator && (
        <div class="panel-actions">
          <button type="button" class="button small ghost" onClick={() => exportChat(room, title)}>
            {text.exportChat}
          </button>
        </div>
      )}
      <form class="chat-form" onSubmit={send}>
        <label class="chat-to">
          <span>{text.chatTo}</span>
          <select value={recipient} onChange={(e) => setTo((e.target as HTMLSelectElement).value)}>
            <option value={EVERYONE}>{everyoneLabel}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <div class="chat-compose">
          <textarea
            aria-label={text.chatMessageLabel}
            rows={2}
            maxLength={LIMITS.chatText}
            value={draft}
            placeholder={recipient === EVERYONE ? text.chatPlaceholder : text.chatPrivatePlaceholder(room.participants.get(recipient)?.name ?? '')}
            onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)}
            onKeyDown={(e) => {
              // Enter sends, Shift+Enter starts a new line, as in most chat apps.
              if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) send(e);
            }}
          />
          <button type="submit" class="button small" disabled={draft.trim() === ''}>
            {text.chatSend}
          </button>
        </div>
      </form>
    </SidePanel>
  );
}
