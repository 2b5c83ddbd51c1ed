/** @jsxRuntime automatic @jsxImportSource preact */
import { LIMITS, type BreakoutProblem, type Breakouts, type ParticipantInfo, type Room } from '@treff/client';
import { useEffect, useState } from 'preact/hooks';
import { useSentCheck } from '../action-feedback.js';
import { breakoutRequest, groupByRoom, mayJoin, resizeNames } from '../breakout-view.js';
import { text } from '../strings.js';
import { useCountdown } from '../use-breakouts.js';
import { SidePanel } from './side-panel.js';

const MAIN = '';

interface Props {
  room: Room;
  /** Moves us (the meeting remembers we asked, so the move is not announced to us as someone else's). */
  onJoin: (breakoutId: string | null) => void;
  onClose: () => void;
}

/**
 * Breakout rooms. Hosts and co-hosts open them (names, manual or random assignment, a timer, self-select),
 * then see every room with its people, move anyone with a select, go into any room, broadcast and close.
 * Everyone else sees the rooms and who is where, joins one when allowed, and returns to the main room.
 */
export function BreakoutPanel({ room, onJoin, onClose }: Props) {
  const breakouts = room.breakouts;
  return (
    <SidePanel id="breakouts-panel" headingId="breakouts-heading" className="breakouts-panel" title={text.breakoutRooms} onClose={onClose}>
      <div class="panel-body stack">
        {breakouts === null ? (
          room.isModerator ? <OpenForm room={room} /> : <p class="muted">{text.breakoutsNoneOpen}</p>
        ) : (
          <OpenRooms room={room} breakouts={breakouts} onJoin={onJoin} />
        )}
      </div>
    </SidePanel>
  );
}

function OpenForm({ room }: { room: Room }) {
  const [names, setNames] = useState<string[]>(() => resizeNames([], 2, text.breakoutDefaultName));
  const [assign, setAssign] = useState<'manual' | 'random'>('manual');
  const [minutes, setMinutes] = useState('');
  const [selfSelect, setSelfSelect] = useState(false);
  const [problem, setProblem] = useState<BreakoutProblem | null>(null);
  const checkSent = useSentCheck();

  const submit = (event: Event) => {
    event.preventDefault();
    const draft = breakoutRequest({ names, assign, minutes, selfSelect });
    if (!draft.ok) return setProblem(draft.problem);
    setProblem(null);
    // The rooms arrive as a `breakouts` update (the panel then shows them); a refusal is toasted.
    checkSent(room.openBreakouts(draft.request));
  };
  const setName = (at: number, value: string) => setNames((all) => all.map((n, i) => (i === at ? value : n)));

  return (
    <form class="breakout-form stack tight" onSubmit={submit} aria-label={text.openBreakouts}>
      <p class="hint">{text.breakoutsHowTo}</p>
      <label for="breakout-count">{text.breakoutRoomCount}</label>
      <input
        id="breakout-count"
        class="input"
        type="number"
        min={1}
        max={LIMITS.breakoutRooms}
        value={names.length}
        onInput={(e) => {
          const count = e.currentTarget.valueAsNumber;
          if (Number.isFinite(count)) setNames((all) => resizeNames(all, count, text.breakoutDefaultName));
        }}
      />
      {names.map((name, at) => (
        <input key={at} class="input" type="text" aria-label={text.breakoutRoomName(at + 1)} maxLength={LIMITS.breakoutName} value={name} onInput={(e) => setName(at, e.currentTarget.value)} />
      ))}
      <fieldset class="settings-section">
        <legend>{text.breakoutAssignment}</legend>
        <label class="check">
          <input type="radio" name="breakout-assign" checked={assign === 'manual'} onChange={() => setAssign('manual')} />
          <span>{text.breakoutAssignManual}</span>
        </label>
        <label class="check">
          <input type="radio" name="breakout-assign" checked={assign === 'random'} onChange={() => setAssign('random')} />
          <span>{text.breakoutAssignRandom}</span>
        </label>
      </fieldset>
      <label for="breakout-minutes">{text.breakoutTimer}</label>
      <input id="breakout-minutes" class="input" type="text" inputMode="numeric" value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
      <label class="check">
        <input type="checkbox" checked={selfSelect} onChange={(e) => setSelfSelect(e.currentTarget.checked)} />
        <span>{text.breakoutSelfSelect}</span>
      </label>
      {problem && (
        <p class="error" role="alert">
          {text.breakoutProblem(problem)}
        </p>
      )}
      <button type="submit" class="button primary small">
        {text.openBreakouts}
      </button>
    </form>
  );
}

/**
 * Someone's room, for moderators to move them. The room asked for shows until the server answers — with the
 * move, or with an error that leaves them where they are, when the select shows their room again.
 */
function MoveSelect({ room, person, breakouts }: { room: Room; person: ParticipantInfo; breakouts: Breakouts }) {
  const checkSent = useSentCheck();
  // An object, so that settling always re-renders and puts back what the DOM select may still show.
  const [asked, setAsked] = useState<{ value: string | null }>({ value: null });
  useEffect(() => {
    if (asked.value === null) return;
    const offs = [
      room.events.on('participant-updated', (p) => p.id === person.id && setAsked({ value: null })),
      room.events.on('error', () => setAsked({ value: null })),
    ];
    return () => offs.forEach((off) => off());
  }, [room, person.id, asked]);
  const move = (value: string) => setAsked({ value: checkSent(room.assignBreakout(person.id, value === MAIN ? null : value)) ? value : null });
  return (
    <select aria-label={text.breakoutMoveTo(person.name)} value={asked.value ?? person.breakout ?? MAIN} onChange={(e) => move(e.currentTarget.value)}>
      <option value={MAIN}>{text.breakoutMainRoom}</option>
      {breakouts.rooms.map((r) => (
        <option key={r.id} value={r.id}>
          {r.name}
        </option>
      ))}
    </select>
  );
}

function OpenRooms({ room, breakouts, onJoin }: { room: Room; breakouts: Breakouts; onJoin: (breakoutId: string | null) => void }) {
  const [message, setMessage] = useState('');
  const checkSent = useSentCheck();
  const time = useCountdown(breakouts);
  const moderator = room.isModerator;
  const self = room.self;
  const mine = room.myBreakout;
  const everyone: ParticipantInfo[] = [...(self ? [self] : []), ...[...room.participants.values()].sort((a, b) => a.joinedAt - b.joinedAt)];
  const groups = groupByRoom(breakouts, everyone);

  const broadcast = (event: Event) => {
    event.preventDefault();
    if (message.trim() === '') return;
    if (checkSent(room.broadcastToBreakouts(message))) setMessage('');
  };
  /** Closing calls everyone back at once: asked once more, inside the panel. */
  const [confirming, setConfirming] = useState(false);

  return (
    <>
      {time !== null && <p class="breakout-panel-time">{text.breakoutTimeLeft(time)}</p>}
      {!moderator && breakouts.selfSelect && mine === null && <p class="hint">{text.breakoutGuestHint}</p>}
      {mine !== null && (
        <button type="button" class="button small" onClick={() => onJoin(null)}>
          {text.breakoutReturn}
        </button>
      )}
      {groups.map((group) => {
        const name = group.name ?? text.breakoutMainRoom;
        const headingId = `breakout-${group.id ?? 'main'}`;
        const here = group.id === mine;
        return (
          <section class={`breakout-room ${here ? 'here' : ''}`} key={group.id ?? MAIN} aria-labelledby={headingId}>
            <header class="breakout-room-header">
              <h3 id={headingId}>{name}</h3>
              <span class="muted">{text.breakoutPeopleCount(group.people.length)}</span>
              {here ? (
                <span class="badge">{text.breakoutYouAreHere}</span>
              ) : (
                group.id !== null &&
                mayJoin(breakouts, group.id, self?.id, moderator) && (
                  <button type="button" class="button small" aria-label={text.breakoutJoinRoom(name)} onClick={() => onJoin(group.id)}>
                    {text.breakoutJoin}
                  </button>
                )
              )}
            </header>
            {group.people.length === 0 ? (
              <p class="muted small">{text.breakoutNobody}</p>
            ) : (
              <ul class="plain-list breakout-people" aria-labelledby={headingId}>
                {group.people.map((p) => (
                  <li key={p.id}>
                    <span class="person-name">{p.id === self?.id ? text.nameWithYou(p.name) : p.name}</span>
                    {moderator && p.id !== self?.id && (room.isHost || p.role !== 'host') && <MoveSelect room={room} person={p} breakouts={breakouts} />}
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
      {moderator && (
        <>
          <form class="breakout-broadcast-form stack tight" onSubmit={broadcast}>
            <label for="breakout-message">{text.breakoutBroadcastLabel}</label>
            <textarea id="breakout-message" class="input" rows={2} maxLength={LIMITS.breakoutMessage} value={message} onInput={(e) => setMessage(e.currentTarget.value)} />
            <button type="submit" class="button small" disabled={message.trim() === ''}>
              {text.breakoutBroadcastSend}
            </button>
          </form>
          {confirming ? (
            <div class="breakout-close-confirm stack tight" role="group" aria-label={text.closeBreakouts}>
              <p>{text.confirmCloseBreakouts}</p>
              <div class="copy-row">
                <button type="button" class="button small danger" onClick={() => checkSent(room.closeBreakouts()) && setConfirming(false)}>
                  {text.breakoutCloseYes}
                </button>
                <button type="button" class="button small ghost" onClick={() => setConfirming(false)}>
                  {text.cancel}
                </button>
              </div>
            </div>
          ) : (
            <button type="button" class="button small danger" onClick={() => setConfirming(true)}>
              {text.closeBreakouts}
            </button>
          )}
        </>
      )}
    </>
  );
}
