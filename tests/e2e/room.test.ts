// Browser end-to-end: two Chromium participants and one Firefox ESR participant meet in one room through the
// real server (HTTP, signaling, SFU) on loopback. Run by scripts/run-e2e.mjs inside a private network
// namespace whose only interface is loopback. Join times are printed, never asserted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { CreateRoomResponse, RoomSummary } from '@treff/protocol';
import { e2eHarness, RESULTS } from './harness.js';
import type { OutboundRtp, Participant } from './participant.js';
import { pageText, waitUntilConnected } from './page-waits.js';
import { sleep, waitFor } from './wait.js';

// Generous: a 2-core machine runs the server and three browsers at once.
const NAV_TIMEOUT = 60_000;
const MEDIA_TIMEOUT = 90_000;
const LEAVE_TIMEOUT = 30_000;

const e2e = e2eHarness();
const { chromiumParticipant, firefoxParticipant, dismiss, printPageLogs, withDiagnostics } = e2e;
const createRoom = (title?: string) => e2e.createRoom(title === undefined ? {} : { title });

test('an unknown room link shows a friendly "does not exist" page', { timeout: 120_000 }, async () => {
  const room = await createRoom();
  const unknownId = randomBytes(16).toString('base64url');
  const unknownUrl = room.roomUrl.replace(room.roomId, unknownId);
  assert.notEqual(unknownUrl, room.roomUrl, 'roomUrl does not contain roomId');

  const response = await fetch(unknownUrl);
  const body = await response.text();
  assert.equal(response.status, 404, `GET ${unknownUrl} answered ${response.status}`);
  assert.match(response.headers.get('content-type') ?? '', /text\/html/);
  assert.doesNotMatch(body, /\bat .+:\d+:\d+\)?|Error: |node_modules|\/src\//, 'the 404 page leaks a stack trace or paths');

  // A malformed id is just as unknown.
  const malformed = await fetch(room.roomUrl.replace(room.roomId, 'no%20such%3Croom%3E'));
  assert.equal(malformed.status, 404, `malformed room id answered ${malformed.status}`);
  assert.doesNotMatch(await malformed.text(), /\bat .+:\d+:\d+\)?|Error: |node_modules|<room>/);

  // What a person sees: human text saying the room does not exist, no stack trace.
  const visitor = await chromiumParticipant('Visitor');
  const status = await visitor.page.goto(unknownUrl, NAV_TIMEOUT);
  assert.equal(status, 404);
  const text = await waitFor('the 404 page to render text', 10_000, async () => {
    const t = await pageText(visitor);
    return t.trim().length > 0 ? t : undefined;
  });
  assert.match(text, /(doesn.t|does not|no longer) exist|not found|no such (room|meeting)|can.t find|couldn.t find/i, `404 page text: ${text}`);
  assert.doesNotMatch(text, /\bat .+:\d+:\d+|Error:|stack/i);
  await visitor.page.screenshot(`${RESULTS}/unknown-room.png`);
  await dismiss(visitor);
});

describe('a room with two Chromium participants and one Firefox participant', () => {
  const names = { ada: 'Ada', zoe: 'Zoë', cem: 'Cem' } as const;
  let room: CreateRoomResponse;
  let ada: Participant;
  let zoe: Participant;
  let cem: Participant;

  after(async () => {
    await dismiss(ada, zoe, cem);
  });

  test('each participant decodes video and receives audio from both others', { timeout: 300_000 }, async () => {
    room = await createRoom('e2e');
    ada = await chromiumParticipant(names.ada);
    zoe = await firefoxParticipant(names.zoe);
    cem = await chromiumParticipant(names.cem);
    await withDiagnostics('media', async () => {
      // Ada opens the room first; once she is in, Zoë and Cem open it at the same moment, as at the start of a
      // meeting (this also exercises renegotiation while an offer is outstanding). Zoë's and Cem's join times
      // are "into a room that already has someone in it"; Ada's includes waiting for them.
      const joined = async (p: Participant): Promise<void> => {
        const status = await p.join(room.roomUrl, NAV_TIMEOUT);
        assert.equal(status, 200, `${p.name}: GET room URL answered ${status}`);
      };
      await joined(ada);
      await waitUntilConnected(ada, MEDIA_TIMEOUT, 100);
      await Promise.all([zoe, cem].map(async (p) => {
        await joined(p);
        await p.waitForFirstRemoteFrame(MEDIA_TIMEOUT);
      }));
      await ada.waitForFirstRemoteFrame(MEDIA_TIMEOUT);

      for (const p of [ada, zoe, cem]) {
        const others = [ada, zoe, cem].filter((o) => o !== p).map((o) => o.name);
        const media = await p.waitForMediaFrom(others, MEDIA_TIMEOUT);
        for (const m of media) {
          console.log(
            `${p.name} (${p.engine}) <- ${m.name}: video ${m.videoWidth}x${m.videoHeight}, +${m.framesDecodedGrowth} frames decoded, ` +
              `+${m.audioPacketsGrowth} audio packets (audio matched by ${m.audioMatchedBy})`,
          );
        }
        const video = await p.remoteVideoStats();
        const audio = await p.remoteAudioStats();
        assert.ok(video.filter((s) => s.framesDecoded > 0).length >= 2, `${p.name}: expected 2 decoding remote videos, stats ${JSON.stringify(video)}`);
        assert.ok(audio.filter((s) => s.packetsReceived > 0).length >= 2, `${p.name}: expected 2 receiving remote audio streams, stats ${JSON.stringify(audio)}`);
      }

      const shot = `${RESULTS}/room-${ada.engine}-${ada.name}.png`;
      await ada.screenshot(shot);
      console.log(`screenshot of ${ada.name}'s view: ${shot}`);
      await zoe.screenshot(`${RESULTS}/room-${zoe.engine}-zoe.png`);
    });
    console.log('join time, room URL opened -> first remote video frame decoded (informational, not asserted):');
    for (const p of [ada, zoe, cem]) {
      console.log(
        `  ${p.name.padEnd(4)} ${p.engine.padEnd(9)} ${String(p.joinMs).padStart(6)} ms   (first remote video packet at ${p.firstPacketMs} ms)` +
          `${p === ada ? '  first in: includes waiting for the others' : ''}`,
      );
    }
  });

  test('a chat message from Chromium shows in Firefox as text, its link clickable, after an unread badge; hands and reactions show across', { timeout: 120_000 }, async () => {
    assert.ok(ada && zoe, 'the room test did not get as far as joining');
    const message = '<b>bold?</b> see https://example.org/notes';
    await withDiagnostics('chat', async () => {
      await ada.page.clickButton('Chat', LEAVE_TIMEOUT);
      await ada.page.fill('Message', message, LEAVE_TIMEOUT);
      await ada.page.clickButton('Send', LEAVE_TIMEOUT);
      await waitFor(`${zoe.name} (${zoe.engine}) to show an unread chat badge`, LEAVE_TIMEOUT, async () => ((await zoe.page.findByRole('button', 'Chat, 1 unread')).length > 0 ? true : undefined), 250);
      await zoe.page.clickButton('Chat, 1 unread', LEAVE_TIMEOUT);
      const shown = await waitFor(`${zoe.name} (${zoe.engine}) to show ${names.ada}'s message`, LEAVE_TIMEOUT, async (note) => {
        const chat = await zoe.page.evaluate(() => {
          type Node = { textContent: string | null; querySelectorAll(s: string): ArrayLike<Node>; getAttribute(n: string): string | null };
          const list = (globalThis as unknown as { document: { querySelector(s: string): Node | null } }).document.querySelector('.chat-messages');
          if (!list) return null;
          const links = Array.from(list.querySelectorAll('a')).map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel'), target: a.getAttribute('target') }));
          return { text: list.textContent ?? '', links, bold: list.querySelectorAll('b').length };
        }, null);
        note(JSON.stringify(chat));
        return chat?.text.includes(message) ? chat : undefined;
      }, 250);
      assert.equal(shown.bold, 0, 'the markup in the message became an element');
      assert.deepEqual(shown.links, [{ href: 'https://example.org/notes', rel: 'noopener noreferrer', target: '_blank' }]);
      await zoe.screenshot(`${RESULTS}/chat-${zoe.engine}-zoe.png`);

      // A raised hand shows with its place in line on the other side; a reaction floats over the sender's tile.
      await zoe.page.clickButton('Raise hand', LEAVE_TIMEOUT);
      await waitFor(`${names.ada} to see ${names.zoe}'s raised hand`, LEAVE_TIMEOUT, async () => ((await ada.page.findByRole('img', 'Hand raised, first in line')).length > 0 ? true : undefined), 250);
      await ada.page.clickButton('Reactions', LEAVE_TIMEOUT);
      await ada.page.clickButton('React with 🎉', LEAVE_TIMEOUT);
      await waitFor(`${names.zoe} (${zoe.engine}) to see ${names.ada}'s reaction over her tile`, LEAVE_TIMEOUT, async (note) => {
        const floating = await zoe.page.evaluate(() => {
          type Node = { textContent: string | null; closest(s: string): { getAttribute(n: string): string | null } | null };
          const all = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<Node> } }).document.querySelectorAll('.floating-reaction');
          return Array.from(all).map((r) => ({ emoji: r.textContent, tile: r.closest('.tile')?.getAttribute('aria-label') ?? null }));
        }, null);
        note(JSON.stringify(floating));
        return floating.some((r) => r.emoji === '🎉' && r.tile === names.ada) ? true : undefined;
      }, 200);
      await ada.screenshot(`${RESULTS}/hands-reactions-${ada.engine}-ada.png`);
      await zoe.page.clickButton('Lower your hand', LEAVE_TIMEOUT);
      await waitFor(`${names.ada} to see ${names.zoe}'s hand lowered`, LEAVE_TIMEOUT, async () => ((await ada.page.findByRole('img', 'Hand raised, first in line')).length === 0 ? true : undefined), 250);
    });
  });

  test('the speaker view shows one person large and the rest in the strip; a pin picks who, and the large tile gets a higher layer', { timeout: 180_000 }, async () => {
    assert.ok(ada && zoe && cem, 'the room test did not get as far as joining');
    await withDiagnostics('speaker-view', async () => {
      await ada.page.clickButton('Speaker view', LEAVE_TIMEOUT);
      await ada.page.clickButton(`Pin ${names.cem}`, LEAVE_TIMEOUT);
      await waitFor(`${names.ada} to show ${names.cem} large, at a higher layer than ${names.zoe} in the strip`, MEDIA_TIMEOUT, async (note) => {
        const [large] = await ada.tiles(names.cem);
        const [small] = await ada.tiles(names.zoe);
        const [largeFrame, smallFrame] = await Promise.all([ada.tileVideoStats(names.cem), ada.tileVideoStats(names.zoe)]);
        note(`${names.cem} ${large?.width}x${large?.height} receiving ${largeFrame?.frameWidth}px; ${names.zoe} ${small?.width}x${small?.height} receiving ${smallFrame?.frameWidth}px`);
        const sizes = large !== undefined && small !== undefined && large.width > 2 * small.width;
        return sizes && (largeFrame?.frameWidth ?? 0) > (smallFrame?.frameWidth ?? 0) && (smallFrame?.frameWidth ?? 0) > 0 ? true : undefined;
      }, 500);
      await ada.screenshot(`${RESULTS}/speaker-view-${ada.engine}-ada.png`);
      // Unpinned, the speaker view stays; back to the grid, the tiles are alike again.
      await ada.page.clickButton(`Unpin ${names.cem}`, LEAVE_TIMEOUT);
      await ada.page.clickButton('Speaker view', LEAVE_TIMEOUT);
      await waitFor(`${names.ada}'s grid to show ${names.cem} and ${names.zoe} alike`, LEAVE_TIMEOUT, async (note) => {
        const [a] = await ada.tiles(names.cem);
        const [b] = await ada.tiles(names.zoe);
        note(`${a?.width} vs ${b?.width}`);
        return a !== undefined && b !== undefined && Math.abs(a.width - b.width) <= 1 ? true : undefined;
      }, 250);
    });
  });

  test('when one participant clicks "Leave", the others see them go', { timeout: 180_000 }, async () => {
    assert.ok(ada && zoe && cem, 'the room test did not get as far as joining');
    await withDiagnostics('leave', async () => {
      for (const p of [ada, zoe]) {
        await p.openParticipantList(LEAVE_TIMEOUT);
        assert.ok(await p.listsParticipant(names.cem), `${p.name}'s participant list does not name ${names.cem} before leaving`);
      }
      await cem.leave(LEAVE_TIMEOUT);
      for (const p of [ada, zoe]) {
        await waitFor(`${p.name} (${p.engine}) to drop ${names.cem}'s tile and list entry`, LEAVE_TIMEOUT, async (note) => {
          const tiles = await p.tiles(names.cem);
          const listed = await p.listsParticipant(names.cem);
          note(`${tiles.length} tile(s) named ${names.cem}; listed: ${listed}`);
          return tiles.length === 0 && !listed ? true : undefined;
        }, 250);
        assert.ok(await p.listsParticipant(p === ada ? names.zoe : names.ada), `${p.name}'s participant list lost the one who stayed`);
      }
      // And the server counts two people in the room.
      await waitFor('GET /api/rooms/:roomId to count 2 participants', LEAVE_TIMEOUT, async (note) => {
        const response = await fetch(new URL(`/api/rooms/${encodeURIComponent(room.roomId)}`, e2e.server.url));
        const summary = (await response.json()) as RoomSummary;
        note(`${response.status} ${JSON.stringify(summary)}`);
        return summary.participantCount === 2 ? true : undefined;
      }, 250);
      await ada.screenshot(`${RESULTS}/after-leave-${ada.engine}-${ada.name}.png`);
      await cem.screenshot(`${RESULTS}/after-leave-${cem.engine}-${cem.name}.png`);
      // The two who stayed still see each other.
      await ada.waitForMediaFrom([names.zoe], MEDIA_TIMEOUT);
      await zoe.waitForMediaFrom([names.ada], MEDIA_TIMEOUT);
    });
    printPageLogs();
  });
});

/** Outbound layers as one line: `l 320x180 ✓, m 640x360 ✓, h 1280x720 ✓ (cpu)`. */
function describeLayers(layers: readonly OutboundRtp[]): string {
  const limits = [...new Set(layers.map((l) => l.qualityLimitationReason).filter((r) => r && r !== 'none'))];
  return (
    layers.map((l) => `${l.rid ?? '(no rid)'} ${l.frameWidth}x${l.frameHeight}${l.framesEncoded > 0 ? '' : ' (not encoding)'}`).join(', ') +
    (limits.length > 0 ? ` (limited by ${limits.join(', ')})` : '')
  );
}

describe('simulcast: a small tile receives the low layer, a large tile a higher one', () => {
  // Two Chromium participants and one Firefox ESR participant, all publishing simulcast from fake cameras that
  // the app asks for 1280x720. Ana draws Ben's tile at 160x90 (the web app's `smallTile` test hook, which
  // subscribes at that size) and Fay's at its normal size; Fay draws Ana's tile small and Ben's normally.
  const names = { ana: 'Ana', ben: 'Ben', fay: 'Fay' } as const;
  let ana: Participant | undefined;
  let ben: Participant | undefined;
  let fay: Participant | undefined;

  after(async () => {
    await dismiss(ana, ben, fay);
  });

  test('each publishes 3 layers (the unneeded top one may pause); a 160x90 tile gets the lowest, a large tile a higher one', { timeout: 300_000 }, async () => {
    const room = await createRoom('simulcast');
    ana = await chromiumParticipant(names.ana);
    ben = await chromiumParticipant(names.ben);
    fay = await firefoxParticipant(names.fay);
    const all = [ana, ben, fay];
    const started = Date.now();
    const at = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    await withDiagnostics('simulcast', async () => {
      assert.ok(ana && ben && fay);
      await Promise.all([
        ana.join(room.roomUrl, NAV_TIMEOUT, { smallTile: names.ben }),
        ben.join(room.roomUrl, NAV_TIMEOUT),
        fay.join(room.roomUrl, NAV_TIMEOUT, { smallTile: names.ana }),
      ]);

      // 1. Every participant sends simulcast: one outbound-rtp per rid, and at least the two lower layers encoding
      // (every camera here is in somebody's large tile). The top layer may rightly stay paused: the server asks a
      // publisher to pause layers no tile needs (`send-layers`). How long the upper layers take to start depends
      // on how fast the publisher's bandwidth estimate grows.
      await Promise.all(all.map(async (p) => {
        await waitUntilConnected(p, MEDIA_TIMEOUT, 100);
        console.log(`${at()}  ${p.name} (${p.engine}) connected`);
        let first = '';
        const layers = await waitFor(`${p.name} (${p.engine}) to publish 3 simulcast layers and encode at least 2`, MEDIA_TIMEOUT, async (note) => {
          const out = await p.outboundVideoStats();
          note(describeLayers(out) || 'no video outbound-rtp');
          const layered = out.filter((l) => l.rid !== null);
          const encoding = layered.filter((l) => l.framesEncoded > 0 && l.frameWidth > 0);
          if (encoding.length > 0 && !first) first = `${at()}  ${p.name} (${p.engine}) first encodes ${describeLayers(encoding)}`;
          return layered.length >= 3 && encoding.length >= 2 ? out : undefined;
        }, 250);
        console.log(first);
        console.log(`${at()}  ${p.name} (${p.engine}) publishes: ${describeLayers(layers)}`);
      }));
      /** The width of a publisher's lowest layer now (it can shrink when the publisher's CPU is short). */
      const lowWidth = async (publisher: Participant): Promise<number> => {
        const out = (await publisher.outboundVideoStats()).filter((l) => l.rid !== null && l.frameWidth > 0);
        return Math.min(...out.map((l) => l.frameWidth));
      };

      // 2. What each viewer decodes in each tile, against the publisher's layers.
      const checks: { viewer: Participant; publisher: Participant; small: boolean }[] = [
        { viewer: ana, publisher: ben, small: true },
        { viewer: ana, publisher: fay, small: false },
        { viewer: fay, publisher: ana, small: true },
        { viewer: fay, publisher: ben, small: false },
        { viewer: ben, publisher: ana, small: false },
        { viewer: ben, publisher: fay, small: false },
      ];
      for (const { viewer, publisher, small } of checks) {
        const what = `${viewer.name} (${viewer.engine}) to decode ${publisher.name}'s ${small ? 'small (160x90)' : 'large'} tile at ${small ? 'the lowest layer (<= 320 wide)' : 'a layer above the lowest'}`;
        const seen = await waitFor(what, MEDIA_TIMEOUT, async (note) => {
          const inbound = await viewer.tileVideoStats(publisher.name);
          const tile = (await viewer.tiles(publisher.name))[0];
          const low = await lowWidth(publisher);
          note(`tile ${tile ? `${Math.round(tile.width)}x${Math.round(tile.height)}` : 'missing'}, decoding ${inbound ? `${inbound.frameWidth}x${inbound.frameHeight} (${inbound.framesDecoded} frames)` : 'nothing'}; ${publisher.name}'s lowest layer ${low} wide`);
          if (!inbound || inbound.framesDecoded === 0 || inbound.frameWidth === 0) return undefined;
          const ok = small ? inbound.frameWidth <= 320 && inbound.frameWidth <= low : inbound.frameWidth > low;
          return ok ? { inbound, low, tile } : undefined;
        }, 500);
        console.log(
          `${at()}  ${viewer.name} (${viewer.engine}) <- ${publisher.name}: tile ${seen.tile ? `${Math.round(seen.tile.width)}x${Math.round(seen.tile.height)}` : '?'} CSS px, ` +
            `decoding ${seen.inbound.frameWidth}x${seen.inbound.frameHeight} (publisher's lowest layer ${seen.low} wide)`,
        );
      }
      // Hold a moment and look again: the small tile stays on the low layer (no flapping up).
      await sleep(3_000);
      const again = await ana.tileVideoStats(names.ben);
      assert.ok(again && again.frameWidth <= 320, `Ana's small tile of Ben went back up: ${JSON.stringify(again)}`);
      await ana.screenshot(`${RESULTS}/simulcast-${ana.engine}-${ana.name}.png`);
      await fay.screenshot(`${RESULTS}/simulcast-${fay.engine}-${fay.name}.png`);
      for (const p of all) console.log(`${at()}  ${p.name} (${p.engine}) now sends ${describeLayers(await p.outboundVideoStats())}`);
    });
    printPageLogs();
  });

  test('on a small screen the grid pages, and only the page shown is subscribed', { timeout: 180_000 }, async () => {
    assert.ok(ana && ben && fay, 'the simulcast test did not get as far as joining');
    const viewer = ben;
    const others = [names.ana, names.fay];
    await withDiagnostics('pages', async () => {
      // Room for one remote tile and the self view: two pages for two others.
      await viewer.page.setViewport(360, 340);
      if (await viewer.listsParticipant(`${viewer.name} (you)`)) await viewer.page.clickButton('Participants', LEAVE_TIMEOUT);
      /** Which page is shown, whose tiles are on it, and what the app subscribed to. */
      const look = async () => {
        const nav = (await viewer.page.findByRole('navigation', 'Pages'))[0];
        const page = nav ? /Page (\d+) of (\d+)/.exec(nav.text) : null;
        const shown: string[] = [];
        for (const name of others) if ((await viewer.tiles(name)).length > 0) shown.push(name);
        const subscribed = (await viewer.videoSubscriptions()) ?? [];
        const sdk = await viewer.sdkRemotes();
        return { page: page ? `${page[1]}/${page[2]}` : 'none', shown, subscribed, sdk };
      };
      const onPage = async (want: string) =>
        waitFor(`${viewer.name} to show page ${want} with one remote tile, subscribed to exactly that one`, MEDIA_TIMEOUT, async (note) => {
          const seen = await look();
          note(JSON.stringify({ page: seen.page, shown: seen.shown, subscribed: seen.subscribed }));
          const subscribedNames = seen.subscribed.map((s) => s.name);
          return seen.page === want && seen.shown.length === 1 && subscribedNames.length === 1 && subscribedNames[0] === seen.shown[0] ? seen : undefined;
        }, 250);
      const first = await onPage('1/2');
      console.log(`page 1/2 shows ${first.shown[0]}, subscribed ${JSON.stringify(first.subscribed)}`);
      await viewer.page.clickButton('Next page', LEAVE_TIMEOUT);
      // The active speaker is kept on the first page, so who is on which page may change while we look;
      // what must hold is that the tile shown is the one subscribed, and that it plays.
      const second = await onPage('2/2');
      const shownName = second.shown[0]!;
      const hidden = others.find((n) => n !== shownName)!;
      console.log(`page 2/2 shows ${shownName}, subscribed ${JSON.stringify(second.subscribed)}`);
      await waitFor(`${viewer.name} to decode ${shownName}'s tile on page 2, and to receive no video for ${hidden}`, MEDIA_TIMEOUT, async (note) => {
        const seen = await look();
        const stats = seen.shown.length === 1 ? await viewer.tileVideoStats(seen.shown[0]!) : undefined;
        const hiddenNow = others.find((n) => !seen.shown.includes(n));
        const hiddenVideo = seen.sdk?.remotes.find((r) => r.name === hiddenNow)?.video ?? null;
        note(`page ${seen.page}, shown ${seen.shown.join(',')}, decoding ${stats ? `${stats.frameWidth}x${stats.frameHeight} (${stats.framesDecoded} frames)` : 'nothing'}, hidden ${hiddenNow}'s video track ${hiddenVideo ?? 'none'}`);
        return seen.page === '2/2' && stats && stats.framesDecoded > 0 && hiddenVideo === null ? true : undefined;
      }, 500);
      await viewer.screenshot(`${RESULTS}/pages-${viewer.engine}-${viewer.name}.png`);
      await viewer.page.clickButton('Previous page', LEAVE_TIMEOUT);
      await onPage('1/2');
      await viewer.page.setViewport(1280, 800);
    });
  });
});
