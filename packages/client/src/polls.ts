import type { ClientMessage, Poll } from '@treff/protocol';
import { LIMITS } from '@treff/protocol';

// Poll messages and the list of polls a participant sees. The builders refuse what the server would refuse
// anyway (like chat's), so an app learns of a mistake at once; the server still judges votes on state it
// alone knows for sure (closed polls, second votes).

export interface NewPoll {
  question: string;
  options: readonly string[];
  /** Voters may pick several options; otherwise exactly one. */
  multiple?: boolean;
  /** Results show counts only, never who voted for what. */
  anonymous?: boolean;
}

export function createPollMessage(poll: NewPoll): ClientMessage {
  const question = poll.question.trim();
  if (question.length === 0) throw new RangeError('poll: the question is empty');
  if (question.length > LIMITS.pollQuestion) throw new RangeError(`poll: the question has at most ${LIMITS.pollQuestion} characters`);
  const options = poll.options.map((option) => option.trim());
  if (options.length < 2) throw new RangeError('poll: at least 2 options');
  if (options.length > LIMITS.pollOptions) throw new RangeError(`poll: at most ${LIMITS.pollOptions} options`);
  if (options.some((option) => option.length === 0)) throw new RangeError('poll: an option is empty');
  if (options.some((option) => option.length > LIMITS.pollOption)) throw new RangeError(`poll: an option has at most ${LIMITS.pollOption} characters`);
  return { type: 'poll-create', question, options, multiple: poll.multiple === true, anonymous: poll.anonymous === true };
}

/** `poll`: what we know of it (null: not yet heard of; the server then decides). */
export function voteMessage(pollId: string, choices: readonly number[], poll: Poll | null): ClientMessage {
  if (pollId.length === 0) throw new RangeError('vote: no poll id');
  if (choices.length === 0) throw new RangeError('vote: choose at least one option');
  const count = poll?.options.length ?? LIMITS.pollOptions;
  if (choices.some((choice) => !Number.isInteger(choice) || choice < 0 || choice >= count)) throw new RangeError(`vote: options are numbered 0 to ${count - 1}`);
  if (new Set(choices).size !== choices.length) throw new RangeError('vote: an option is chosen twice');
  if (poll && !poll.multiple && choices.length > 1) throw new RangeError('vote: this poll allows one choice');
  return { type: 'poll-vote', pollId, choices: [...choices] };
}

export function closePollMessage(pollId: string): ClientMessage {
  if (pollId.length === 0) throw new RangeError('poll: no poll id');
  return { type: 'poll-close', pollId };
}

/**
 * The list after a `poll` update: the poll replaced where it was, or appended (polls arrive oldest first).
 * A server that keeps only the newest LIMITS.polls may drop its oldest closed polls without saying so;
 * dropping them here too keeps both lists alike.
 */
export function withPoll(polls: readonly Poll[], poll: Poll): Poll[] {
  const index = polls.findIndex((p) => p.id === poll.id);
  if (index >= 0) return polls.map((p, i) => (i === index ? poll : p));
  const next = [...polls, poll];
  while (next.length > LIMITS.polls) {
    const oldestClosed = next.findIndex((p) => p.closed);
    if (oldestClosed < 0) break;
    next.splice(oldestClosed, 1);
  }
  return next;
}
