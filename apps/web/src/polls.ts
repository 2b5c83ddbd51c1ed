import { LIMITS, type Poll } from '@treff/protocol';

/** Open polls this participant has not voted in yet: the number on the Polls button. */
export function awaitingVote(polls: readonly Poll[]): number {
  return polls.filter((p) => !p.closed && p.myChoices === null).length;
}

export interface ResultRow {
  text: string;
  votes: number;
  /** Share of the voters who picked this option, 0–100, rounded (in a multiple-choice poll they add up to more). */
  percent: number;
  /** Names, for polls that are not anonymous. */
  voters: readonly string[];
  mine: boolean;
}

export function resultRows(poll: Poll): ResultRow[] {
  const mine = new Set(poll.myChoices ?? []);
  return poll.options.map((option, index) => ({
    text: option.text,
    votes: option.votes,
    percent: poll.voterCount > 0 ? Math.round((100 * option.votes) / poll.voterCount) : 0,
    voters: option.voters ?? [],
    mine: mine.has(index),
  }));
}

/** Polls in `polls` whose ids are not in `known` (a new poll is announced once). */
export function newPolls(known: ReadonlySet<string>, polls: readonly Poll[]): Poll[] {
  return polls.filter((p) => !known.has(p.id));
}

export interface PollDraft {
  question: string;
  /** The form's option fields; blank ones are left out. */
  options: readonly string[];
  multiple: boolean;
  anonymous: boolean;
}

export type DraftProblem = 'question-missing' | 'question-too-long' | 'too-few-options' | 'too-many-options' | 'option-too-long';

/** The `createPoll` request a form's draft makes, or what keeps it from being one (the server checks again). */
export function pollRequest(draft: PollDraft): { ok: true; request: PollDraft } | { ok: false; problem: DraftProblem } {
  const question = draft.question.trim();
  const options = draft.options.map((o) => o.trim()).filter((o) => o !== '');
  if (question === '') return { ok: false, problem: 'question-missing' };
  if (question.length > LIMITS.pollQuestion) return { ok: false, problem: 'question-too-long' };
  if (options.length < 2) return { ok: false, problem: 'too-few-options' };
  if (options.length > LIMITS.pollOptions) return { ok: false, problem: 'too-many-options' };
  if (options.some((o) => o.length > LIMITS.pollOption)) return { ok: false, problem: 'option-too-long' };
  return { ok: true, request: { question, options, multiple: draft.multiple, anonymous: draft.anonymous } };
}
