/** @jsxRuntime automatic @jsxImportSource preact */
import type { Room } from '@treff/client';
import type { Poll } from '@treff/protocol';
import { useState } from 'preact/hooks';
import { useSentCheck } from '../action-feedback.js';
import { resultRows } from '../polls.js';
import { text } from '../strings.js';

/** Result bars: votes and share of the voters per option, and in a named poll who voted for it. */
function Results({ poll }: { poll: Poll }) {
  return (
    <div class="poll-results">
      <ul class="plain-list" aria-label={text.pollResults(poll.question)}>
        {resultRows(poll).map((row, at) => (
          <li key={at} class={row.mine ? 'poll-row mine' : 'poll-row'}>
            <div class="poll-row-text">
              <span>{row.text}</span>
              {row.mine && <span class="muted"> ({text.pollYourChoice})</span>}
              <span class="poll-count">{text.pollVotes(row.votes, row.percent)}</span>
            </div>
            <span class="poll-bar" aria-hidden="true">
              <span style={{ width: `${row.percent}%` }} />
            </span>
            {row.voters.length > 0 && <p class="hint">{text.pollVotedBy(text.listOf(row.voters))}</p>}
          </li>
        ))}
      </ul>
      <p class="hint">{text.pollVoterCount(poll.voterCount)}</p>
    </div>
  );
}

/** A ballot: one radio button per option, or checkboxes in a multiple-choice poll. */
function Ballot({ room, poll }: { room: Room; poll: Poll }) {
  const [chosen, setChosen] = useState<readonly number[]>([]);
  const checkSent = useSentCheck();
  const pick = (at: number, on: boolean) => setChosen((all) => (poll.multiple ? (on ? [...all, at].sort((a, b) => a - b) : all.filter((i) => i !== at)) : [at]));
  return (
    <form
      class="poll-ballot stack tight"
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen.length > 0) checkSent(room.vote(poll.id, [...chosen]));
      }}
    >
      <fieldset>
        <legend class="visually-hidden">{poll.question}</legend>
        {poll.options.map((option, at) => (
          <label class="check" key={at}>
            <input type={poll.multiple ? 'checkbox' : 'radio'} name={`poll-${poll.id}`} checked={chosen.includes(at)} onChange={(e) => pick(at, e.currentTarget.checked)} />
            {option.text}
          </label>
        ))}
      </fieldset>
      <button type="submit" class="button primary small" disabled={chosen.length === 0}>
        {text.vote}
      </button>
    </form>
  );
}

/** One poll: its question, a ballot until we voted (while open), results once we did (moderators always). */
export function PollCard({ room, poll }: { room: Room; poll: Poll }) {
  const checkSent = useSentCheck();
  const voted = poll.myChoices !== null;
  const headingId = `poll-${poll.id}-question`;
  return (
    <article class="poll" aria-labelledby={headingId}>
      <h3 id={headingId} class="poll-question">
        {poll.question}
        {poll.closed && <span class="badge">{text.pollClosed}</span>}
      </h3>
      <p class="hint">{text.pollMeta(poll.createdBy, poll.anonymous, poll.multiple)}</p>
      {!poll.closed && !voted && <Ballot room={room} poll={poll} />}
      {(voted || poll.closed || room.isModerator) && <Results poll={poll} />}
      {room.isModerator && !poll.closed && (
        <button type="button" class="button small" onClick={() => checkSent(room.closePoll(poll.id))}>
          {text.closePoll}
        </button>
      )}
    </article>
  );
}
