import { EventEmitter } from 'node:events';
import { ActiveSpeakerObserver } from './active-speaker-observer.js';
import { AudioSelector } from './audio-selector.js';

/** How many recent dominant speakers a group remembers, most recent first (enough for any last-N). */
const RECENT_SPEAKERS = 64;

/**
 * One forwarding group: transports that receive each other's media and nobody else's. It has its own
 * speaker state, so loudness in one group never decides what another hears or sees.
 */
export class ForwardingGroup {
  readonly members = new Set<string>();
  readonly speakers = new ActiveSpeakerObserver();
  readonly audio: AudioSelector;
  /** Transport ids of recent dominant speakers, most recent first (last-N). */
  recentSpeakers: string[] = [];

  constructor(
    /** Null: the default group, where every transport starts. */
    readonly name: string | null,
    audioTopN: number,
  ) {
    this.audio = new AudioSelector(audioTopN);
  }
}

/**
 * Where a transport is now. The router's per-packet audio-level handler holds it and reads `group` as it
 * would read a single observer, so a group change costs that path nothing.
 */
export interface Membership {
  group: ForwardingGroup;
}

interface GroupsEvents {
  'dominant-speaker': [transportId: string | null, group: string | null];
}

/**
 * The router's forwarding groups: which transports may receive from which, and each group's speaker
 * state. Groups exist while they have members (the default group always).
 */
export class ForwardingGroups extends EventEmitter<GroupsEvents> {
  private readonly groups = new Map<string | null, ForwardingGroup>();
  private readonly memberships = new Map<string, Membership>();

  constructor(private readonly audioTopN: number) {
    super();
    this.groupNamed(null);
  }

  /** A new transport joins the default group. */
  add(transportId: string): Membership {
    const existing = this.memberships.get(transportId);
    if (existing !== undefined) return existing;
    const group = this.groupNamed(null);
    group.members.add(transportId);
    const membership: Membership = { group };
    this.memberships.set(transportId, membership);
    return membership;
  }

  /**
   * Moves a transport to `name` (null: the default group); returns whether it changed. Its speech starts
   * afresh there: how loud it was in the old group says nothing about the new one.
   */
  move(transportId: string, name: string | null): boolean {
    const membership = this.memberships.get(transportId);
    if (membership === undefined || membership.group.name === name) return false;
    this.leave(membership.group, transportId);
    membership.group = this.groupNamed(name);
    membership.group.members.add(transportId);
    return true;
  }

  remove(transportId: string): void {
    const membership = this.memberships.get(transportId);
    if (membership === undefined) return;
    this.memberships.delete(transportId);
    this.leave(membership.group, transportId);
  }

  /** The group a transport is in; undefined for one the router does not have. */
  of(transportId: string): ForwardingGroup | undefined {
    return this.memberships.get(transportId)?.group;
  }

  /** Whether `subscriber` may receive what `publisher` sends. */
  together(subscriber: string, publisher: string): boolean {
    const group = this.of(subscriber);
    return group !== undefined && group === this.of(publisher);
  }

  get all(): IterableIterator<ForwardingGroup> {
    return this.groups.values();
  }

  /** The dominant speaker of group `name` (null: none, or no such group). */
  dominantSpeaker(name: string | null): string | null {
    return this.groups.get(name)?.speakers.dominantSpeaker ?? null;
  }

  /** Feeds every group's speaker observer the passing time (a few times a second). */
  updateSpeakers(nowMs: number): void {
    for (const group of this.groups.values()) group.speakers.update(nowMs);
  }

  /**
   * Audio top-N in every group: per transport, the speakers it hears (ids, in slot order). `forwarding`
   * says whether a speaker's microphone is sent at all (paused or not yet live: not selected).
   */
  selectAudio(nowMs: number, forwarding: (transportId: string) => boolean): Map<string, string[]> {
    const heard = new Map<string, string[]>();
    for (const group of this.groups.values()) {
      const energy = group.speakers.energies(nowMs);
      for (const id of energy.keys()) if (!group.members.has(id) || !forwarding(id)) energy.delete(id);
      group.audio.update(energy);
      for (const member of group.members) heard.set(member, group.audio.for(member));
    }
    return heard;
  }

  private groupNamed(name: string | null): ForwardingGroup {
    let group = this.groups.get(name);
    if (group === undefined) {
      const created = new ForwardingGroup(name, this.audioTopN);
      created.speakers.on('dominant-speaker', (id) => {
        if (id !== null) created.recentSpeakers = [id, ...created.recentSpeakers.filter((s) => s !== id)].slice(0, RECENT_SPEAKERS);
        this.emit('dominant-speaker', id, name);
      });
      this.groups.set(name, created);
      group = created;
    }
    return group;
  }

  private leave(group: ForwardingGroup, transportId: string): void {
    group.members.delete(transportId);
    // May end its dominance: the group hears of it (dominant-speaker null) before it may go.
    group.speakers.remove(transportId);
    group.recentSpeakers = group.recentSpeakers.filter((s) => s !== transportId);
    if (group.members.size === 0 && group.name !== null) {
      group.speakers.removeAllListeners();
      this.groups.delete(group.name);
    }
  }
}
