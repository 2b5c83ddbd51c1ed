// @treff/load: bot participants for integration tests, load runs and benchmarks.
export { Bot, BotEndedError, BotJoinError, BotRefusedError, type BotOptions, type PublishedStream, type ReceivedPacket } from './bot.js';
export { type InboundStats, SequenceTracker, type SequenceVerdict } from './inbound.js';
export { type OutboundStats } from './outbound.js';
export { type LatencySummary, summarize } from './latency.js';
export { createRoom } from './api.js';
export { webSocketUrl, SignalingClient } from './signaling.js';
export { DEFAULT_AUDIO, DEFAULT_VIDEO, type AudioSourceOptions, type VideoSourceOptions } from './synthetic.js';
export { waitUntil, sleep, WaitTimeoutError } from './wait.js';
export { nowMs } from './clock.js';
export { coalesceWakeups } from './coalesce.js';
export { summarizeBots, formatReport, sourceReport, type LoadReport, type SourceReport } from './report.js';
export { joinRoomBots, meshComplete, subscribeAll, type MeshOptions, type RoomLoad, type RoomLoadOptions } from './scenario.js';
export { type SourceStats } from './source-stats.js';
export { SlotSources, type SlotState } from './slot-sources.js';
export { SIMULCAST_LAYERS, type LayerSpec, type VideoLayers } from './simulcast.js';
export { originTag, readProbeInto, type ProbeInfo } from './probe.js';
export { type TransportFeedbackRecorder, type TransportFeedbackRecorderFactory, type TransportFeedbackStats } from './twcc.js';
