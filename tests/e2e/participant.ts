// A meeting participant in a real browser: joins through the automation URL, reads the SDK room's WebRTC
// stats (`window.treff.room.getStats()`), finds remote tiles by role and accessible name, and leaves by
// clicking the button named "Leave". Works the same over Chromium (Playwright) and Firefox (Puppeteer).
import { performance } from 'node:perf_hooks';
import type { ElementSummary, PageDriver } from './driver.js';
import type { PageGlobals, PageStat } from './page-types.js';
import { sleep, waitFor } from './wait.js';

/** One `inbound-rtp` entry: a remote track this participant receives. */
export interface InboundRtp {
  id: string;
  kind: 'audio' | 'video';
  ssrc: number;
  mid: string | null;
  trackIdentifier: string | null;
  packetsReceived: number;
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  totalSamplesReceived: number;
  concealedSamples: number;
}

/** Page function: the SDK room's inbound-rtp stats, or null while the room is not (yet) exposed. */
const readInbound = async (): Promise<InboundRtp[] | null> => {
  const room = (globalThis as unknown as PageGlobals).treff?.room;
  if (!room) return null;
  const report = await room.getStats();
  const out: InboundRtp[] = [];
  report.forEach((s: PageStat) => {
    if (s.type !== 'inbound-rtp') return;
    const kind = (s.kind ?? s.mediaType) === 'video' ? 'video' : 'audio';
    const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
    out.push({
      id: s.id,
      kind,
      ssrc: num(s.ssrc),
      mid: typeof s.mid === 'string' ? s.mid : null,
      trackIdentifier: typeof s.trackIdentifier === 'string' ? s.trackIdentifier : null,
      packetsReceived: num(s.packetsReceived),
      framesDecoded: num(s.framesDecoded),
      frameWidth: num(s.frameWidth),
      frameHeight: num(s.frameHeight),
      totalSamplesReceived: num(s.totalSamplesReceived),
      concealedSamples: num(s.concealedSamples),
    });
  });
  return out;
};

/** One `outbound-rtp` video entry: one encoding (simulcast layer) this participant sends. */
export interface OutboundRtp {
  rid: string | null;
  ssrc: number;
  frameWidth: number;
  frameHeight: number;
  framesEncoded: number;
  bytesSent: number;
  qualityLimitationReason: string | null;
}

/** Page function: the SDK room's video outbound-rtp stats (one per simulcast encoding), or null without a room. */
const readOutbound = async (): Promise<OutboundRtp[] | null> => {
  const room = (globalThis as unknown as PageGlobals).treff?.room;
  if (!room) return null;
  const report = await room.getStats();
  const out: OutboundRtp[] = [];
  report.forEach((s: PageStat) => {
    if (s.type !== 'outbound-rtp' || (s.kind ?? s.mediaType) !== 'video') return;
    const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
    out.push({
      rid: typeof s.rid === 'string' ? s.rid : null,
      ssrc: num(s.ssrc),
      frameWidth: num(s.frameWidth),
      frameHeight: num(s.frameHeight),
      framesEncoded: num(s.framesEncoded),
      bytesSent: num(s.bytesSent),
      qualityLimitationReason: typeof s.qualityLimitationReason === 'string' ? s.qualityLimitationReason : null,
    });
  });
  return out;
};

/** A remote participant's track ids as the SDK room reports them (null while no room is exposed). */
export interface RemoteTrackIds {
  name: string;
  audio: string | null;
  video: string | null;
}

/** Page function: the SDK room's connection state and its remote participants' track ids. */
const readRemotes = (): { state: string; remotes: RemoteTrackIds[] } | null => {
  const room = (globalThis as unknown as PageGlobals).treff?.room;
  if (!room) return null;
  const remotes = room.participants
    ? Array.from(room.participants.values()).map((p) => ({ name: p.name, audio: p.audioTrack?.id ?? null, video: p.videoTrack?.id ?? null }))
    : [];
  return { state: room.connectionState ?? 'unknown', remotes };
};

/** Page function: the app's current video subscriptions, by participant name (null before any). */
const readSubscriptions = (): { name: string; width: number; height: number }[] | null => {
  const room = (globalThis as unknown as PageGlobals).treff?.room;
  const subscriptions = room?.videoSubscriptions;
  if (!room || !subscriptions) return null;
  const names = new Map(Array.from(room.participants?.values() ?? []).map((p) => [p.id, p.name]));
  return subscriptions.map((s) => ({ name: names.get(s.participantId) ?? `(unknown ${s.participantId})`, width: s.width, height: s.height }));
};

/** What one participant receives from one named remote participant, measured over a short interval. */
export interface RemoteMedia {
  name: string;
  framesDecodedGrowth: number;
  audioPacketsGrowth: number;
  videoWidth: number;
  videoHeight: number;
  /**
   * How audio was attributed to this participant: by an audio track inside their tile, by the audio track the
   * SDK room lists for them, or (neither available) by counting growing audio streams.
   */
  audioMatchedBy: 'tile-track' | 'sdk-track' | 'count';
}

export class Participant {
  /** Milliseconds from opening the room URL to the first decoded remote video frame. */
  joinMs: number | null = null;
  /** Milliseconds from opening the room URL to the first remote video packet received. */
  firstPacketMs: number | null = null;
  private openedAt = 0;

  constructor(
    readonly name: string,
    readonly page: PageDriver,
  ) {}

  get engine(): string {
    return this.page.engine;
  }

  /** Opens `roomUrl?name=<name>&autojoin=1` (plus `params`); resolves with the document's HTTP status. */
  async join(roomUrl: string, timeoutMs: number, params: Record<string, string> = {}): Promise<number | null> {
    const url = new URL(roomUrl);
    url.searchParams.set('name', this.name);
    url.searchParams.set('autojoin', '1');
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    this.openedAt = performance.now();
    return this.page.goto(url.toString(), timeoutMs);
  }

  async inboundStats(): Promise<InboundRtp[] | null> {
    return this.page.evaluate(readInbound, undefined);
  }

  /** Connection state and remote participants as the SDK room sees them; null before the room exists. */
  async sdkRemotes(): Promise<{ state: string; remotes: RemoteTrackIds[] } | null> {
    return this.page.evaluate(readRemotes, undefined);
  }

  /** The tiles the web app subscribed video for (names and device-pixel sizes), or null before it did. */
  async videoSubscriptions(): Promise<{ name: string; width: number; height: number }[] | null> {
    return this.page.evaluate(readSubscriptions, undefined);
  }

  /** The video encodings this participant sends (one per simulcast layer), from outbound-rtp. */
  async outboundVideoStats(): Promise<OutboundRtp[]> {
    return (await this.page.evaluate(readOutbound, undefined)) ?? [];
  }

  /**
   * The inbound-rtp entry feeding the video shown in `name`'s tile (matched by the tile's video track id),
   * or undefined while the tile shows no video.
   */
  async tileVideoStats(name: string): Promise<InboundRtp | undefined> {
    const ids = (await this.tiles(name)).flatMap((t) => t.media).flatMap((m) => m.tracks).filter((t) => t.kind === 'video').map((t) => t.id);
    if (ids.length === 0) return undefined;
    return (await this.remoteVideoStats()).find((s) => s.trackIdentifier !== null && ids.includes(s.trackIdentifier));
  }

  async remoteVideoStats(): Promise<InboundRtp[]> {
    return ((await this.inboundStats()) ?? []).filter((s) => s.kind === 'video');
  }

  async remoteAudioStats(): Promise<InboundRtp[]> {
    return ((await this.inboundStats()) ?? []).filter((s) => s.kind === 'audio');
  }

  /**
   * Waits for the first decoded remote video frame and records `joinMs` (informational only), and
   * `firstPacketMs`, when the first remote video packet arrived (a long gap between them means waiting for
   * a keyframe).
   */
  async waitForFirstRemoteFrame(timeoutMs: number): Promise<number> {
    await waitFor(`${this.name} (${this.engine}) to decode a first remote video frame`, timeoutMs, async (note) => {
      const stats = await this.inboundStats();
      if (stats === null) {
        note('window.treff.room not exposed yet');
        return undefined;
      }
      const video = stats.filter((s) => s.kind === 'video');
      if (this.firstPacketMs === null && video.some((s) => s.packetsReceived > 0)) {
        this.firstPacketMs = Math.round(performance.now() - this.openedAt);
      }
      const decoded = video.filter((s) => s.framesDecoded > 0);
      note(`${stats.length} inbound-rtp, ${video.length} video, ${decoded.length} with frames decoded`);
      return decoded.length > 0 ? true : undefined;
    }, 50);
    this.joinMs = Math.round(performance.now() - this.openedAt);
    return this.joinMs;
  }

  /** Remote tiles: role `figure` or `group` whose accessible name is the participant's display name. */
  async tiles(name: string): Promise<ElementSummary[]> {
    return [...(await this.page.findByRole('figure', name)), ...(await this.page.findByRole('group', name))];
  }

  /**
   * Waits until video from every named participant is decoded here and audio from each arrives:
   * the tile named after them shows a video with `videoWidth > 0`, the inbound-rtp stream carrying that
   * tile's video track (matched by `trackIdentifier`) keeps decoding frames, and their audio keeps
   * receiving packets (matched by an audio track in their tile, else by the audio track the SDK room lists for
   * them — the web app plays audio from elements outside the tiles — else by counting growing streams).
   */
  async waitForMediaFrom(names: readonly string[], timeoutMs: number): Promise<RemoteMedia[]> {
    const deadline = Date.now() + timeoutMs;
    const remaining = (): number => Math.max(1_000, deadline - Date.now());
    const tileTracks = new Map<string, { video: string[]; audio: string[]; width: number; height: number }>();
    for (const name of names) {
      const found = await waitFor(`${this.name} (${this.engine}) to show a playing video tile for ${name}`, remaining(), async (note) => {
        const tiles = await this.tiles(name);
        const media = tiles.flatMap((t) => t.media);
        note(`${tiles.length} tile(s) named "${name}", videos ${JSON.stringify(media.map((m) => [m.videoWidth, m.videoHeight, m.tracks.length]))}`);
        const playing = media.find((m) => m.tag === 'video' && m.videoWidth > 0);
        if (!playing) return undefined;
        const tracks = media.flatMap((m) => m.tracks);
        return {
          video: tracks.filter((t) => t.kind === 'video').map((t) => t.id),
          audio: tracks.filter((t) => t.kind === 'audio').map((t) => t.id),
          width: playing.videoWidth,
          height: playing.videoHeight,
        };
      }, 250);
      tileTracks.set(name, found);
    }

    const before = await this.inboundStats();
    if (before === null) throw new Error(`${this.name}: window.treff.room is not exposed, cannot read WebRTC stats`);
    const baseline = new Map(before.map((s) => [s.id, s]));
    const growth = (s: InboundRtp): { frames: number; packets: number } => {
      const b = baseline.get(s.id);
      return { frames: s.framesDecoded - (b?.framesDecoded ?? 0), packets: s.packetsReceived - (b?.packetsReceived ?? 0) };
    };

    return waitFor(`${this.name} (${this.engine}) to keep decoding video and receiving audio from ${names.join(', ')}`, remaining(), async (note) => {
      await sleep(500);
      const now = await this.inboundStats();
      if (now === null) return undefined;
      const sdk = await this.sdkRemotes();
      const growingAudio = now.filter((s) => s.kind === 'audio' && growth(s).packets > 0);
      const results: RemoteMedia[] = [];
      const problems: string[] = [];
      for (const name of names) {
        const tile = tileTracks.get(name);
        if (!tile) continue;
        const video = now.filter((s) => s.kind === 'video' && s.trackIdentifier !== null && tile.video.includes(s.trackIdentifier));
        const frames = video.reduce((sum, s) => sum + growth(s).frames, 0);
        if (video.length === 0) problems.push(`${name}: no inbound-rtp for tile video track ${tile.video.join(',') || '(none)'}`);
        else if (frames <= 0) problems.push(`${name}: framesDecoded not growing`);
        const sdkAudio = sdk?.remotes.filter((r) => r.name === name && r.audio !== null).map((r) => r.audio as string) ?? [];
        const audioIds = tile.audio.length > 0 ? tile.audio : sdkAudio;
        const matchedBy = tile.audio.length > 0 ? 'tile-track' : sdkAudio.length > 0 ? 'sdk-track' : 'count';
        const audio = now.filter((s) => s.kind === 'audio' && s.trackIdentifier !== null && audioIds.includes(s.trackIdentifier));
        const packets =
          matchedBy === 'count'
            ? growingAudio.length >= names.length ? growingAudio.reduce((sum, s) => sum + growth(s).packets, 0) : 0
            : audio.reduce((sum, s) => sum + growth(s).packets, 0);
        if (matchedBy !== 'count' && audio.length === 0) problems.push(`${name}: no inbound-rtp for audio track ${audioIds.join(',')}`);
        else if (packets <= 0) problems.push(`${name}: audio packets not growing (${growingAudio.length} growing audio streams)`);
        results.push({
          name,
          framesDecodedGrowth: frames,
          audioPacketsGrowth: packets,
          videoWidth: tile.width,
          videoHeight: tile.height,
          audioMatchedBy: matchedBy,
        });
      }
      note(problems.join('; '));
      return problems.length === 0 ? results : undefined;
    }, 0);
  }

  /**
   * Is `name` in the participant list? Entries are list items named after the person. The list sits in a
   * side panel that narrow screens close by default; the button named "Participants" opens it.
   */
  async listsParticipant(name: string): Promise<boolean> {
    return (await this.page.findByRole('listitem', name)).length > 0;
  }

  /** Opens the participant list if it is closed (recognised by our own entry, "<name> (you)"). */
  async openParticipantList(timeoutMs: number): Promise<void> {
    if (await this.listsParticipant(`${this.name} (you)`)) return;
    await this.page.clickButton('Participants', timeoutMs);
    await waitFor(`${this.name}'s participant list to open`, timeoutMs, async () => ((await this.listsParticipant(`${this.name} (you)`)) ? true : undefined), 250);
  }

  /** Clicks the button named "Leave". */
  async leave(timeoutMs: number): Promise<void> {
    await this.page.clickButton('Leave', timeoutMs);
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot(path);
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}
