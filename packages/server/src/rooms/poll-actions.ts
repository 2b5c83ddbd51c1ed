import type { Participant } from './participant.js';
import { authorize } from './moderation.js';
import type { PollDraft } from './polls.js';
import type { Room } from './room.js';

// Polls as participants use them: checked against the permissions table, and every change sent to
// everyone as their own view of the poll (their own choices in it).

export function createPoll(room: Room, creator: Participant, draft: PollDraft): void {
  authorize(room, creator, 'create-poll');
  announce(room, room.polls.create(draft, creator.name));
}

export function votePoll(room: Room, voter: Participant, pollId: string, choices: readonly number[]): void {
  authorize(room, voter, 'vote');
  room.polls.vote(pollId, voter.id, voter.name, choices);
  announce(room, pollId);
}

export function closePoll(room: Room, actor: Participant, pollId: string): void {
  authorize(room, actor, 'close-poll');
  room.polls.close(pollId);
  announce(room, pollId);
}

function announce(room: Room, pollId: string): void {
  for (const participant of room.participants.values()) participant.send({ type: 'poll', poll: room.polls.view(pollId, participant.id) });
}
