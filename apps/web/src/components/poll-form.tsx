/** @jsxRuntime automatic @jsxImportSource preact */
import { LIMITS, type Room } from '@treff/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useSentCheck } from '../action-feedback.js';
import { pollRequest, type DraftProblem } from '../polls.js';
import { text } from '../strings.js';

const blankOptions = () => ['', ''];

/** Hosts and co-hosts: a new poll's question, 2–10 options, and whether it is multiple choice or anonymous. */
export function PollForm({ room, onDone }: { room: Room; onDone: () => void }) {
  const [question, setQuestion] = useState('');
  const [options, setOptions] = useState<string[]>(blankOptions);
  const [multiple, setMultiple] = useState(false);
  const [anonymous, setAnonymous] = useState(true);
  const [problem, setProblem] = useState<DraftProblem | null>(null);
  const checkSent = useSentCheck();
  /** Sent, not yet answered: the draft stays until the poll arrives, so a refusal (toasted) loses nothing. */
  const waiting = useRef<ReadonlySet<string> | null>(null);
  const [sending, setSending] = useState(false);
  useEffect(() => {
    const settle = (created: boolean) => {
      if (!waiting.current) return;
      waiting.current = null;
      setSending(false);
      if (!created) return;
      setQuestion('');
      setOptions(blankOptions());
      onDone();
    };
    // Ours is the poll that was not there when we sent it (votes on other polls also bring the list).
    const offs = [
      room.events.on('polls', (polls) => {
        const before = waiting.current;
        if (before && polls.some((p) => !before.has(p.id))) settle(true);
      }),
      room.events.on('error', () => settle(false)),
    ];
    return () => offs.forEach((off) => off());
  }, [room]);

  const submit = (event: Event) => {
    event.preventDefault();
    const draft = pollRequest({ question, options, multiple, anonymous });
    if (!draft.ok) return setProblem(draft.problem);
    setProblem(null);
    // A refusal (e.g. too many polls) comes back as an error event, which the meeting toasts.
    if (checkSent(room.createPoll({ ...draft.request, options: [...draft.request.options] }))) {
      waiting.current = new Set(room.polls.map((p) => p.id));
      setSending(true);
    }
  };
  const setOption = (at: number, value: string) => setOptions((all) => all.map((o, i) => (i === at ? value : o)));

  return (
    <form class="poll-form stack tight" onSubmit={submit} aria-label={text.newPoll}>
      <label for="poll-question">{text.pollQuestion}</label>
      <input id="poll-question" class="input" type="text" maxLength={LIMITS.pollQuestion} value={question} onInput={(e) => setQuestion(e.currentTarget.value)} />
      {options.map((option, at) => (
        <div class="copy-row" key={at}>
          <input class="input" type="text" aria-label={text.pollOption(at + 1)} placeholder={text.pollOption(at + 1)} maxLength={LIMITS.pollOption} value={option} onInput={(e) => setOption(at, e.currentTarget.value)} />
          {options.length > 2 && (
            <button type="button" class="icon-button" aria-label={text.removeOption(at + 1)} title={text.removeOption(at + 1)} onClick={() => setOptions((all) => all.filter((_, i) => i !== at))}>
              <span aria-hidden="true">×</span>
            </button>
          )}
        </div>
      ))}
      {options.length < LIMITS.pollOptions && (
        <button type="button" class="button ghost small" onClick={() => setOptions((all) => [...all, ''])}>
          {text.addOption}
        </button>
      )}
      <label class="check">
        <input type="checkbox" checked={multiple} onChange={(e) => setMultiple(e.currentTarget.checked)} />
        {text.pollMultiple}
      </label>
      <label class="check">
        <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.currentTarget.checked)} />
        {text.pollAnonymous}
      </label>
      {problem && (
        <p class="error" role="alert">
          {text.pollProblem(problem)}
        </p>
      )}
      <button type="submit" class="button primary small" disabled={sending}>
        {text.startPoll}
      </button>
    </form>
  );
}
