export { startServer, type StartOptions, type RunningServer } from './server.js';
export { loadConfig, DEFAULT_CONFIG, type ServerConfig } from './config.js';
export type { TappedMedia, MediaTapListener } from './media-tap.js';
