// @treff/load: bot participants for integration tests, load runs and benchmarks.
export { Bot, BotJoinError, type BotOptions, type ReceivedPacket } from './bot.js';
export { type InboundStats, SequenceTracker, type SequenceVerdict } from './inbound.js';
export { type OutboundStats } from './outbound.js';
export { type LatencySummary, summarize } from './latency.js';
export { createRoom } from './api.js';
export { webSocketUrl, SignalingClient } from './signaling.js';
export { DEFAULT_AUDIO, DEFAULT_VIDEO, type AudioSourceOptions, type VideoSourceOptions } from './synthetic.js';
export { waitUntil, sleep, WaitTimeoutError } from './wait.js';
export { nowMs } from './clock.js';
export { summarizeBots, formatReport, type LoadReport } from './report.js';
export { joinRoomBots, meshComplete, type RoomLoad, type RoomLoadOptions } from './scenario.js';
