// Micro-benchmark of the per-packet forwarding work: parse the RTP header and rewrite
// SSRC/seq/timestamp for one subscriber, on a 1200-byte packet with a one-byte extension block.
// Run: node --import tsx packages/sfu/src/rtp/rtp.bench.ts
import { createRtpHeader, parseRtpHeader, parseRtpHeaderInto, setSequenceNumber, setSsrc, setTimestamp } from './rtp-packet.js';
import { RtpStreamRewriter } from './stream-rewriter.js';

const packet = Buffer.alloc(1200);
packet[0] = 0x90; // V=2, X=1
packet[1] = 96;
packet.writeUInt32BE(0x11223344, 8);
packet.writeUInt16BE(0xbede, 12);
packet.writeUInt16BE(2, 14);
packet.set([0x10, 0x7f, 0x21, 0x00, 0x01, 0, 0, 0], 16); // audio level, 3-byte element

const ITERATIONS = 5_000_000;

function run(label: string, reuseHeader: boolean): void {
  const rewriter = new RtpStreamRewriter(0xabcdef, 90000, { sequenceNumber: 0, timestamp: 0 });
  const header = createRtpHeader();
  let forwarded = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) {
    // Restore the source fields the previous rewrite overwrote (as a forwarding loop does).
    setSsrc(packet, 0x11223344);
    setSequenceNumber(packet, i & 0xffff);
    setTimestamp(packet, (i * 3000) >>> 0);
    const h = reuseHeader ? (parseRtpHeaderInto(packet, header) ? header : null) : parseRtpHeader(packet);
    if (h !== null && rewriter.rewrite(packet, h, i)) forwarded++;
  }
  const ns = Number(process.hrtime.bigint() - t0) / ITERATIONS;
  if (forwarded !== ITERATIONS) throw new Error(`only ${forwarded} forwarded`);
  console.log(`${label}: ${ns.toFixed(1)} ns/op`);
}

for (let round = 0; round < 3; round++) {
  run('parseRtpHeader + rewrite (allocating header)', false);
  run('parseRtpHeaderInto + rewrite (reused header)', true);
}
