// What end-to-end encryption costs (docs/e2ee.md), printed, never asserted:
//  1. the frame crypto alone (SFrame with AES-128-GCM through WebCrypto, as the browser's worker runs it):
//     µs per encrypted and per decrypted frame for Opus-, VP8-delta- and VP8-key-frame-sized frames;
//  2. real Chromium: two participants in one room, E2EE off (`?e2ee=off`) and on, alternating rounds in fresh
//     browsers: join time (link opened → first remote video frame decoded) and the browser's CPU per participant.
//
//   npm run bench:e2ee -- [--rounds 2] [--seconds 20]
//
// The browser part needs root for a loopback-only network namespace (as the e2e tests); it re-runs itself in one.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startServer } from '@treff/server';
import type { CreateRoomResponse } from '@treff/protocol';
import { FrameEncryptor, KeyRing } from '../packages/client/src/e2ee/key-ring.js';
import { newSenderKey } from '../packages/client/src/e2ee/sender-key.js';
import { launchChromium } from '../tests/e2e/browsers.js';
import { playwrightDriver } from '../tests/e2e/driver.js';
import { Participant } from '../tests/e2e/participant.js';
import { sleep } from '../tests/e2e/wait.js';
import { processCpuSeconds } from './measure.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2' }, seconds: { type: 'string', default: '20' } } });
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);

// ---- 1. frame crypto ----

async function frameCrypto(): Promise<void> {
  const tag = 0x1234abcd;
  const key = newSenderKey();
  const encryptor = new FrameEncryptor(tag);
  await encryptor.setKey(key);
  const ring = new KeyRing();
  await ring.set(tag, key);
  const sizes: { name: string; kind: 'audio' | 'video'; bytes: number; keyFrame: boolean }[] = [
    { name: 'Opus 20 ms', kind: 'audio', bytes: 120, keyFrame: false },
    { name: 'VP8 delta', kind: 'video', bytes: 2_500, keyFrame: false },
    { name: 'VP8 key', kind: 'video', bytes: 25_000, keyFrame: true },
  ];
  console.log('\n## Frame crypto (Node WebCrypto, one core)\n');
  console.log('| frame | bytes | encrypt µs | decrypt µs |');
  console.log('|---|---:|---:|---:|');
  for (const size of sizes) {
    const frame = crypto.getRandomValues(new Uint8Array(size.bytes));
    frame[0] = size.keyFrame ? 0x10 : 0x11; // VP8 frame tag: bit 0 clear on key frames (RFC 6386 §9.1)
    const n = size.bytes > 10_000 ? 2_000 : 10_000;
    const sealed: Uint8Array[] = [];
    let t = performance.now();
    for (let i = 0; i < n; i++) sealed.push(await encryptor.encryptFrame(size.kind, frame));
    const encryptUs = ((performance.now() - t) * 1000) / n;
    t = performance.now();
    for (const s of sealed) {
      const result = await ring.decryptFrame(size.kind, s);
      if (!result.ok) throw new Error(`benchmark frame did not decrypt: ${result.reason}`);
    }
    const decryptUs = ((performance.now() - t) * 1000) / n;
    console.log(`| ${size.name} | ${size.bytes} | ${encryptUs.toFixed(1)} | ${decryptUs.toFixed(1)} |`);
  }
}

// ---- 2. browsers ----

/** CPU seconds of every Chromium process in this network namespace (the benchmark's own browser). */
function chromiumCpuSeconds(): number {
  const ourNet = readlinkSync('/proc/self/ns/net');
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      if (!readlinkSync(`/proc/${pid}/exe`).includes('chromium') || readlinkSync(`/proc/${pid}/ns/net`) !== ourNet) continue;
      total += processCpuSeconds(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return total;
}

interface RoundResult {
  e2ee: boolean;
  joinMs: number[];
  cpuPercentPerParticipant: number;
}

async function round(serverUrl: string, e2ee: boolean): Promise<RoundResult> {
  const response = await fetch(new URL('/api/rooms', serverUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const room = (await response.json()) as CreateRoomResponse;
  const browser = await launchChromium();
  try {
    const open = async (name: string) => new Participant(name, playwrightDriver(await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()));
    const a = await open('Ada');
    const b = await open('Bo');
    const params: Record<string, string> = e2ee ? {} : { e2ee: 'off' };
    await a.join(room.roomUrl, 60_000, params);
    await b.join(room.roomUrl, 60_000, params);
    await Promise.all([a.waitForFirstRemoteFrame(90_000), b.waitForFirstRemoteFrame(90_000)]);
    const state = await a.page.evaluate(() => (globalThis as unknown as { treff?: { room?: { e2ee?: { status: string } } } }).treff?.room?.e2ee?.status ?? 'unknown', undefined);
    if ((state === 'encrypted') !== e2ee) throw new Error(`round with e2ee ${e2ee ? 'on' : 'off'} found the room ${state}`);
    await sleep(3000); // past the start-up bandwidth ramp
    const cpu0 = chromiumCpuSeconds();
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const cpu = chromiumCpuSeconds() - cpu0;
    const wall = (performance.now() - t0) / 1000;
    return { e2ee, joinMs: [a.joinMs ?? NaN, b.joinMs ?? NaN], cpuPercentPerParticipant: (cpu / wall / 2) * 100 };
  } finally {
    await browser.close();
  }
}

async function browsers(): Promise<void> {
  const server = await startServer({ port: 0, host: '127.0.0.1', rtcPort: 0, iceAddress: '127.0.0.1', dataDir: null, logLevel: 'warn' });
  try {
    const results: RoundResult[] = [];
    for (let i = 0; i < rounds; i++) {
      for (const e2ee of i % 2 === 0 ? [false, true] : [true, false]) {
        const r = await round(server.url, e2ee);
        console.log(`round ${i + 1}, e2ee ${e2ee ? 'on ' : 'off'}: join ${r.joinMs.map((ms) => ms.toFixed(0)).join(' / ')} ms, Chromium CPU ${r.cpuPercentPerParticipant.toFixed(1)}% of a core per participant`);
        results.push(r);
      }
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const of = (e2ee: boolean) => results.filter((r) => r.e2ee === e2ee);
    const row = (e2ee: boolean) => {
      const rs = of(e2ee);
      return { cpu: mean(rs.map((r) => r.cpuPercentPerParticipant)), join: mean(rs.flatMap((r) => r.joinMs)) };
    };
    const off = row(false);
    const on = row(true);
    console.log(`\n## Chromium, 2 participants, fake 640×480 camera and microphone, ${rounds} rounds of ${seconds} s\n`);
    console.log('| e2ee | CPU per participant (% of a core) | join → first remote frame (ms, mean) |');
    console.log('|---|---:|---:|');
    console.log(`| off | ${off.cpu.toFixed(1)} | ${off.join.toFixed(0)} |`);
    console.log(`| on | ${on.cpu.toFixed(1)} | ${on.join.toFixed(0)} |`);
    console.log(`| difference | ${(on.cpu - off.cpu).toFixed(1)} | ${(on.join - off.join).toFixed(0)} |`);
  } finally {
    await server.close();
  }
}

// ---- main ----

function inLoopbackNamespace(): boolean {
  return readFileSync('/proc/net/dev', 'utf8').split('\n').slice(2).filter((l) => l.trim()).every((l) => l.trim().startsWith('lo:'));
}

if (!inLoopbackNamespace()) {
  await frameCrypto();
  const inner = 'ip link set lo up && ip route add default dev lo src 127.0.0.1 && exec "$0" "$@"';
  const child = spawnSync('unshare', ['-n', 'sh', '-c', inner, process.execPath, '--import', 'tsx', ...process.argv.slice(1)], { stdio: 'inherit' });
  if (child.error || child.status !== 0) console.error(`browser part failed or could not start a network namespace (needs root): ${child.error?.message ?? `exit ${child.status}`}`);
  process.exit(child.status ?? 1);
} else {
  await browsers();
  process.exit(0);
}
