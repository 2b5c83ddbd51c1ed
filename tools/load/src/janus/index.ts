// @treff/load/janus: bots for a Janus VideoRoom, the forwarding benchmark's reference server.
export { JanusSession, JanusHandle, JanusError, type Jsep, type JanusCandidate, type JanusMessage, type PluginReply } from './janus-api.js';
export { JanusBot, VIDEOROOM_PLUGIN, type JanusBotOptions } from './janus-bot.js';
export { createJanusRoom, destroyJanusRoom, joinJanusRoomBots, type JanusRoomLoad, type JanusRoomLoadOptions, type JanusRoomOptions } from './janus-room.js';
