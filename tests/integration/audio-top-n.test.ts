// Audio top-N through the real server (audioTopN 3): five publishers with open microphones, four of
// them talking (RFC 6464 level −40 dBov) and one silent (level 127), and a listener. The listener
// hears at most three at a time — three audio slots, and three streams' worth of packets, not four —
// and never the silent one, whose packets keep reaching the server. When a heard speaker falls
// silent and the silent one starts talking (louder, −0 dBov), the newcomer is heard within about a
// second and the one who stopped drops out.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { nowMs, originTag, readProbeInto, sleep, waitUntil, type Bot, type ProbeInfo } from '@treff/load';
import { exitWhenDone, joinBot, newRoom, startTestServer } from './helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
exitWhenDone(async () => {
  for (const b of bots) b.close();
  await server?.close();
});

const TOP_N = 3;
/** The bots send one audio packet per 20 ms. */
const AUDIO_PPS = 50;
const SILENT = 127;
const LOUD = 0;

interface Heard {
  at: number;
  mid: string;
  source: string;
}

test('a listener hears only the three loudest speakers, never the silent one, and follows who talks', async (t) => {
  server = await startTestServer({ audioTopN: TOP_N });
  const roomId = await newRoom(server);
  const speakers: Bot[] = [];
  for (let i = 0; i < 5; i++) {
    const silent = i === 4;
    const bot = await joinBot(server, roomId, silent ? 'quiet' : `talker${i}`, {
      publish: { audio: true, video: false },
      audio: silent ? { level: SILENT, voiceActivity: false } : {},
    });
    speakers.push(bot);
    bots.push(bot);
  }
  const quiet = speakers[4]!;
  const listener = await joinBot(server, roomId, 'listener', { publish: { audio: false, video: false } });
  bots.push(listener);

  const names = new Map(speakers.map((b) => [originTag(b.participantId), b.name]));
  const heard: Heard[] = [];
  const probe: ProbeInfo = { sendTimeMs: -1, origin: 0, layer: -1 };
  listener.onRtp((p) => {
    if (p.stream.kind !== 'audio' || !readProbeInto(p.packet, p.payloadOffset, p.payloadLength, probe)) return;
    heard.push({ at: nowMs(), mid: p.mid, source: names.get(probe.origin) ?? `unknown ${probe.origin}` });
  });
  const between = (from: number, to: number) => heard.filter((h) => h.at >= from && h.at < to);
  const perSource = (packets: readonly Heard[]) => {
    const counts: Record<string, number> = {};
    for (const h of packets) counts[h.source] = (counts[h.source] ?? 0) + 1;
    return counts;
  };
  /** Source changes on the listener's audio slots (a slot that carried someone now carries someone else). */
  const switches = (packets: readonly Heard[]) => {
    const last = new Map<string, string>();
    let n = 0;
    for (const h of packets) {
      const before = last.get(h.mid);
      if (before !== undefined && before !== h.source) n++;
      last.set(h.mid, h.source);
    }
    return n;
  };

  await t.test('four talking, one silent: at most three heard at a time, never the silent one', async () => {
    await waitUntil(() => new Set(heard.map((h) => h.source)).size >= TOP_N, {
      timeoutMs: 30_000,
      what: `audio from ${TOP_N} speakers at the listener`,
      describe: () => JSON.stringify(perSource(heard)),
    });
    const start = nowMs();
    await sleep(3000);
    const window = between(start, nowMs());
    const seconds = (nowMs() - start) / 1000;
    const rate = window.length / seconds;
    const mids = new Set(heard.map((h) => h.mid));
    console.log(
      `# 4 talking + 1 silent, top-${TOP_N}: ${rate.toFixed(1)} audio packets/s at the listener over ${seconds.toFixed(1)} s ` +
        `(${TOP_N} streams = ${TOP_N * AUDIO_PPS}/s), per speaker ${JSON.stringify(perSource(window))}, audio slots used ${mids.size}, ` +
        `slot source switches ${switches(window)}`,
    );
    assert.equal(listener.packetsFrom(quiet.participantId, 'audio'), 0, 'the silent speaker was forwarded');
    assert.ok(quiet.outboundStats()[0]!.packets > 100, 'the silent speaker sent no packets at all');
    assert.ok(mids.size <= TOP_N, `audio arrived on ${mids.size} slots: ${[...mids].join(',')}`);
    // Three streams of 50 packets/s; a fourth would add a third again.
    assert.ok(rate <= TOP_N * AUDIO_PPS * 1.1, `${rate.toFixed(1)} packets/s: more than ${TOP_N} streams`);
    assert.ok(rate >= TOP_N * AUDIO_PPS * 0.85, `${rate.toFixed(1)} packets/s: fewer than ${TOP_N} streams`);
  });

  await t.test('a heard speaker stops and the silent one starts: the newcomer is heard within about a second', async () => {
    // Someone the listener hears right now.
    const recent = perSource(between(nowMs() - 300, nowMs()));
    const stopping = speakers.find((b) => (recent[b.name] ?? 0) > 5 && b !== quiet);
    assert.ok(stopping, `nobody heard in the last 300 ms: ${JSON.stringify(recent)}`);
    const t0 = nowMs();
    stopping.setAudioLevel(SILENT);
    assert.ok(quiet.setAudioLevel(LOUD));

    await waitUntil(() => listener.packetsFrom(quiet.participantId, 'audio') > 0, {
      timeoutMs: 5000,
      what: `${quiet.name} heard after starting to talk`,
      describe: () => JSON.stringify(perSource(between(t0, nowMs()))),
    });
    const newcomerAfter = heard.find((h) => h.source === quiet.name)!.at - t0;
    const lastFromStopping = () => heard.findLast((h) => h.source === stopping.name)?.at ?? 0;
    await waitUntil(() => nowMs() - lastFromStopping() > 1000, {
      timeoutMs: 8000,
      what: `${stopping.name} no longer forwarded after falling silent`,
    });
    const stoppedAfter = lastFromStopping() - t0;

    const start = nowMs();
    await sleep(2000);
    const window = between(start, nowMs());
    const counts = perSource(window);
    const rate = window.length / ((nowMs() - start) / 1000);
    console.log(
      `# ${stopping.name} fell silent and ${quiet.name} started talking: ${quiet.name} heard after ${newcomerAfter.toFixed(0)} ms, ` +
        `${stopping.name}'s last packet at the listener ${stoppedAfter.toFixed(0)} ms after; then ${rate.toFixed(1)} packets/s, ` +
        `per speaker ${JSON.stringify(counts)}, audio slots used ${new Set(heard.map((h) => h.mid)).size}`,
    );
    assert.ok((counts[quiet.name] ?? 0) >= AUDIO_PPS * 1.5, `${quiet.name} is not heard continuously: ${JSON.stringify(counts)}`);
    assert.equal(counts[stopping.name] ?? 0, 0, `${stopping.name} is still forwarded while silent`);
    assert.ok(rate <= TOP_N * AUDIO_PPS * 1.1, `${rate.toFixed(1)} packets/s: more than ${TOP_N} streams`);
    assert.ok(new Set(heard.map((h) => h.mid)).size <= TOP_N, 'more audio slots than top-N');
    for (const b of bots) {
      assert.deepEqual(b.errors, [], `${b.name}: server errors`);
      assert.deepEqual(b.localErrors, [], `${b.name}: bot errors`);
    }
  });
});
