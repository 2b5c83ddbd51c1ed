// Packet-level RTP/RTCP library of the SFU: pure functions and small classes over bytes.
export * from './rtp-packet.js';
export * from './sequence.js';
export * from './audio-level.js';
export * from './vp8.js';
export * from './ntp.js';
export * from './rtcp-types.js';
export * from './rtcp-parse.js';
export * from './rtcp-build.js';
export * from './packet-cache.js';
export * from './receive-stats.js';
export * from './stream-rewriter.js';
export * from './nack-generator.js';
export * from './vp8-picture-rewriter.js';
export * from './header-extension.js';
export * from './twcc.js';
