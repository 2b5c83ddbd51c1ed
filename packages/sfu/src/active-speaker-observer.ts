import { EventEmitter } from 'node:events';

/** RFC 6464 levels are -dBov: 0 is loudest, 127 silence. Below this many dB under overload counts as speech. */
const SPEECH_LEVEL = 60;
/** Window over which loudness is averaged. */
const WINDOW_MS = 1500;
/** A challenger must be this much louder than the current speaker, for this long, to take over. */
const TAKEOVER_MARGIN = 1.25;
const TAKEOVER_MS = 800;

interface SpeakerState {
  /** Time-decayed speech energy (sum of dB above the speech floor). */
  energy: number;
  lastUpdate: number;
  louderSince: number | null;
}

interface ObserverEvents {
  'dominant-speaker': [id: string | null];
}

/**
 * Picks the dominant speaker from audio levels with hysteresis, so a cough or a short "yes" does not
 * steal the highlight from someone who is talking. Works on any string ids (producers, participants).
 */
export class ActiveSpeakerObserver extends EventEmitter<ObserverEvents> {
  private readonly speakers = new Map<string, SpeakerState>();
  private dominant: string | null = null;

  get dominantSpeaker(): string | null {
    return this.dominant;
  }

  /** Feed one audio packet's level. */
  observe(id: string, level: number, nowMs: number): void {
    let state = this.speakers.get(id);
    if (state === undefined) {
      state = { energy: 0, lastUpdate: nowMs, louderSince: null };
      this.speakers.set(id, state);
    }
    decay(state, nowMs);
    if (level < SPEECH_LEVEL) state.energy += SPEECH_LEVEL - level;
  }

  remove(id: string): void {
    this.speakers.delete(id);
    if (this.dominant === id) this.setDominant(null);
  }

  /** Recent speech energy of every speaker now (0: silent), for audio top-N. */
  energies(nowMs: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const [id, state] of this.speakers) {
      decay(state, nowMs);
      out.set(id, state.energy);
    }
    return out;
  }

  /** Re-evaluates; call a few times per second. */
  update(nowMs: number): void {
    let loudest: string | null = null;
    let loudestEnergy = 0;
    for (const [id, state] of this.speakers) {
      decay(state, nowMs);
      if (state.energy > loudestEnergy) {
        loudest = id;
        loudestEnergy = state.energy;
      }
    }
    if (loudest === null || loudest === this.dominant) {
      for (const state of this.speakers.values()) state.louderSince = null;
      return;
    }
    const current = this.dominant === null ? undefined : this.speakers.get(this.dominant);
    if (current === undefined || current.energy === 0) {
      this.setDominant(loudest);
      return;
    }
    const challenger = this.speakers.get(loudest);
    if (challenger === undefined) return;
    if (loudestEnergy < current.energy * TAKEOVER_MARGIN) {
      challenger.louderSince = null;
      return;
    }
    challenger.louderSince ??= nowMs;
    if (nowMs - challenger.louderSince >= TAKEOVER_MS) this.setDominant(loudest);
  }

  private setDominant(id: string | null): void {
    if (id === this.dominant) return;
    this.dominant = id;
    for (const state of this.speakers.values()) state.louderSince = null;
    this.emit('dominant-speaker', id);
  }
}

function decay(state: SpeakerState, nowMs: number): void {
  const elapsed = nowMs - state.lastUpdate;
  if (elapsed <= 0) return;
  state.energy *= Math.exp(-elapsed / WINDOW_MS);
  if (state.energy < 1e-3) state.energy = 0;
  state.lastUpdate = nowMs;
}
