import { LIMITS, type Poll } from '@treff/protocol';
import { newShortId } from '../ids.js';
import { RoomError } from './room-error.js';

/** A new poll as a moderator asked for it (texts already trimmed and length-checked by the schema). */
export interface PollDraft {
  question: string;
  options: readonly string[];
  multiple: boolean;
  anonymous: boolean;
}

interface Ballot {
  choices: number[];
  /** Display name at voting time; shown only in polls that are not anonymous. */
  name: string;
}

interface StoredPoll {
  id: string;
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
  closed: boolean;
  createdBy: string;
  at: number;
  /** By participant id, in voting order. A voter who leaves stays counted. */
  ballots: Map<string, Ballot>;
}

/**
 * A meeting's polls, in memory for the meeting only. Once `LIMITS.polls` exist, new ones are refused
 * (closed ones included: their results stay visible to everyone until the meeting ends). Everyone sees
 * counts; only a voter's own view carries their choices, and anonymous polls name no voters to anyone.
 */
export class PollBook {
  private readonly polls: StoredPoll[] = [];

  get size(): number {
    return this.polls.length;
  }

  create(draft: PollDraft, createdBy: string, now = Date.now()): string {
    if (this.polls.length >= LIMITS.polls) {
      throw new RoomError('bad-request', `this meeting has ${LIMITS.polls} polls, as many as it may have; no more can be created`);
    }
    const lowered = draft.options.map((o) => o.toLowerCase());
    if (new Set(lowered).size !== lowered.length) throw new RoomError('bad-request', 'each option of a poll must be different');
    const poll: StoredPoll = {
      id: newShortId(),
      question: draft.question,
      options: [...draft.options],
      multiple: draft.multiple,
      anonymous: draft.anonymous,
      closed: false,
      createdBy,
      at: now,
      ballots: new Map(),
    };
    this.polls.push(poll);
    return poll.id;
  }

  /** One vote per participant; choices are option indexes (exactly one unless the poll is multiple choice). */
  vote(pollId: string, voterId: string, voterName: string, choices: readonly number[]): void {
    const poll = this.find(pollId);
    if (poll.closed) throw new RoomError('bad-request', 'this poll is closed');
    if (poll.ballots.has(voterId)) throw new RoomError('bad-request', 'you have already voted in this poll');
    if (choices.length === 0) throw new RoomError('bad-request', 'choose at least one option');
    if (!poll.multiple && choices.length > 1) throw new RoomError('bad-request', 'this poll takes a single choice');
    for (const choice of choices) {
      if (!Number.isInteger(choice) || choice < 0 || choice >= poll.options.length) {
        throw new RoomError('bad-request', `this poll has options 0 to ${poll.options.length - 1}; there is no option ${choice}`);
      }
    }
    if (new Set(choices).size !== choices.length) throw new RoomError('bad-request', 'each option may be chosen only once');
    poll.ballots.set(voterId, { choices: [...choices].sort((a, b) => a - b), name: voterName });
  }

  close(pollId: string): void {
    const poll = this.find(pollId);
    if (poll.closed) throw new RoomError('bad-request', 'this poll is already closed');
    poll.closed = true;
  }

  /** The poll as `viewerId` sees it. */
  view(pollId: string, viewerId: string): Poll {
    return viewOf(this.find(pollId), viewerId);
  }

  /** Every poll as `viewerId` sees it, oldest first. */
  viewsFor(viewerId: string): Poll[] {
    return this.polls.map((p) => viewOf(p, viewerId));
  }

  private find(pollId: string): StoredPoll {
    const poll = this.polls.find((p) => p.id === pollId);
    if (poll === undefined) throw new RoomError('not-found', 'there is no such poll in this meeting');
    return poll;
  }
}

function viewOf(poll: StoredPoll, viewerId: string): Poll {
  const ballots = [...poll.ballots.values()];
  return {
    id: poll.id,
    question: poll.question,
    options: poll.options.map((text, i) => {
      const chosen = ballots.filter((b) => b.choices.includes(i));
      return poll.anonymous ? { text, votes: chosen.length } : { text, votes: chosen.length, voters: chosen.map((b) => b.name) };
    }),
    multiple: poll.multiple,
    anonymous: poll.anonymous,
    closed: poll.closed,
    createdBy: poll.createdBy,
    at: poll.at,
    voterCount: ballots.length,
    myChoices: poll.ballots.get(viewerId)?.choices ?? null,
  };
}
