import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFir, buildNack, buildPli, buildReceiverReport, buildRemb, buildSenderReport } from './rtcp-build.js';
import { parseRtcp } from './rtcp-parse.js';
import type { ReportBlock } from './rtcp-types.js';

const block: ReportBlock = {
  ssrc: 0xfeedface,
  fractionLost: 12,
  cumulativeLost: -3,
  highestSeq: 0x0002_0010,
  jitter: 77,
  lastSr: 0x12345678,
  delaySinceLastSr: 99,
};

test('PLI bytes (RFC 4585 §6.3.1)', () => {
  assert.equal(buildPli(1, 0x0a0b0c0d).toString('hex'), '81ce0002' + '00000001' + '0a0b0c0d');
});

test('FIR puts the SSRC in the FCI and 0 in the media source (RFC 5104 §4.3.1.2)', () => {
  assert.equal(buildFir(1, 0x0a0b0c0d, 258).toString('hex'), '84ce0004' + '00000001' + '00000000' + '0a0b0c0d' + '02000000');
  assert.deepEqual(parseRtcp(buildFir(5, 6, 7)), [{ kind: 'fir', senderSsrc: 5, entries: [{ ssrc: 6, seqNr: 7 }] }]);
});

test('NACK packs PID/BLP pairs', () => {
  const b = buildNack(1, 2, [100, 101, 116, 117, 200]);
  // 100 with bits for 101 (bit 0) and 116 (bit 15); 117 starts a new pair; then 200.
  assert.equal(b.toString('hex'), '81cd0005' + '00000001' + '00000002' + '00648001' + '00750000' + '00c80000');
  assert.deepEqual(parseRtcp(b), [{ kind: 'nack', senderSsrc: 1, mediaSsrc: 2, lost: [100, 101, 116, 117, 200] }]);
});

test('NACK handles unsorted input, duplicates and the 16-bit wrap', () => {
  const b = buildNack(1, 2, [1, 65535, 65534, 0, 1, 65534]);
  assert.equal(b.length, 16, 'one PID/BLP pair covers 65534..1');
  const p = parseRtcp(b)?.[0];
  assert.equal(p?.kind, 'nack');
  if (p?.kind === 'nack') assert.deepEqual(p.lost, [65534, 65535, 0, 1]);
});

test('NACK of nothing is an empty buffer', () => {
  assert.equal(buildNack(1, 2, []).length, 0);
});

test('NACK round-trips a long random-ish loss list', () => {
  const lost: number[] = [];
  for (let s = 65000; s < 65000 + 2000; s += 3) lost.push(s & 0xffff);
  const p = parseRtcp(buildNack(9, 8, lost))?.[0];
  assert.ok(p?.kind === 'nack');
  assert.deepEqual(p.lost, lost);
});

test('sender report round-trips, counters wrap', () => {
  const b = buildSenderReport({
    ssrc: 0xabcdef01,
    ntpSeconds: 0xe1234567,
    ntpFraction: 0x89abcdef,
    rtpTimestamp: 0xfffffff0,
    packetCount: 2 ** 32 + 5,
    octetCount: 123456,
    reports: [block],
  });
  assert.equal(b.length, 52);
  assert.deepEqual(parseRtcp(b), [
    { kind: 'sr', ssrc: 0xabcdef01, ntpSeconds: 0xe1234567, ntpFraction: 0x89abcdef, rtpTimestamp: 0xfffffff0, packetCount: 5, octetCount: 123456, reports: [block] },
  ]);
  assert.equal(buildSenderReport({ ssrc: 1, ntpSeconds: 0, ntpFraction: 0, rtpTimestamp: 0, packetCount: 0, octetCount: 0 }).length, 28);
});

test('receiver report round-trips and clamps cumulative loss to 24 bits', () => {
  assert.deepEqual(parseRtcp(buildReceiverReport(7, [block, { ...block, ssrc: 2 }])), [{ kind: 'rr', ssrc: 7, reports: [block, { ...block, ssrc: 2 }] }]);
  const clamped = parseRtcp(buildReceiverReport(7, [{ ...block, cumulativeLost: 1e9 }, { ...block, cumulativeLost: -1e9 }]));
  assert.ok(clamped?.[0]?.kind === 'rr');
  assert.equal(clamped[0].reports[0]?.cumulativeLost, 0x7fffff);
  assert.equal(clamped[0].reports[1]?.cumulativeLost, -0x800000);
  assert.equal(buildReceiverReport(7, []).toString('hex'), '80c90001' + '00000007');
  const many = parseRtcp(buildReceiverReport(7, new Array<ReportBlock>(40).fill(block)));
  assert.ok(many?.[0]?.kind === 'rr');
  assert.equal(many[0].reports.length, 31);
});

test('REMB encodes mantissa/exponent, rounding down', () => {
  assert.deepEqual(parseRtcp(buildRemb(1, 250_000, [3, 4])), [{ kind: 'remb', senderSsrc: 1, bitrate: 250_000, ssrcs: [3, 4] }]);
  const big = parseRtcp(buildRemb(1, 2_500_001, [3]))?.[0];
  assert.ok(big?.kind === 'remb');
  assert.ok(big.bitrate <= 2_500_001 && big.bitrate > 2_500_001 * 0.9999);
  const zero = parseRtcp(buildRemb(1, 0, []))?.[0];
  assert.ok(zero?.kind === 'remb');
  assert.equal(zero.bitrate, 0);
  assert.equal(buildRemb(1, 1000, [5]).subarray(12, 16).toString('latin1'), 'REMB');
});
