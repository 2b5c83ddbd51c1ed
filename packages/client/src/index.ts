/**
 * @treff/client — the browser SDK for Treff meetings.
 *
 * ```ts
 * const room = new Room({ url: 'wss://meet.example.org/ws', roomId, name: 'Ada' });
 * room.events.on('track', ({ participantId, kind, track }) => attach(participantId, kind, track));
 * await room.join(await getLocalMedia({ audio: true, video: true }));
 * ```
 *
 * Host controls: a room with a lobby leaves the Room in state `waiting` (`join()` resolves once admitted);
 * hosts and co-hosts see `room.lobby` (event `lobby`) and call `admit`, `deny`, `remove`, `mute`,
 * `requestUnmute`, `updateSettings`; hosts also `setRole` and `endMeeting`. The server is the judge: what a
 * role may not do comes back as a non-fatal `error` event (`forbidden`). A session the server ends (removed,
 * banned, meeting ended, denied, room closed) ends the Room with that reason, and refused joins (password,
 * locked, banned, not invited, …) end it with the error; neither is ever retried on its own.
 *
 * End-to-end encryption (docs/e2ee.md) is on by default: wherever this browser and everyone else's can,
 * every frame is encrypted in a worker and chat is sealed; `room.e2ee` (event `e2ee`) says whether it is
 * and who keeps it from it, `room.safetyCode(id)` gives the code to compare out of band, and a room that
 * requires it refuses a browser that cannot (`e2ee-required`, a terminal join error).
 *
 * Screen sharing: `room.startScreenShare({ audio })` opens the browser's picker and resolves once the server
 * accepted (a refusal rejects with its message); everyone receives every share as `Participant.screenTrack`
 * (and `screenAudioTrack`, also in `room.audioTracks`), with `track` events of `source: 'screen'`.
 * Polls: `room.polls` (event `polls`), `createPoll`, `vote`, `closePoll`; they are not end-to-end encrypted.
 * Shared video: `room.sharedVideo` (event `shared-video`; `currentPosition(video)` says where playback is now);
 * hosts and co-hosts `shareVideo(url)`, `playSharedVideo`, `pauseSharedVideo`, `seekSharedVideo`, `stopSharedVideo`.
 * Each browser loads the file from the URL itself; the URL is not end-to-end encrypted.
 * Breakout rooms (docs/breakouts.md): `room.breakouts` (event `breakouts`; `remainingMs(b)` is the time left),
 * `room.myBreakout`; hosts and co-hosts `openBreakouts`, `assignBreakout`, `broadcastToBreakouts` (event
 * `breakout-message`), `closeBreakouts`; everyone `joinBreakout`. Media, active speaker and public chat are per room.
 * Whiteboard (docs/shared-docs.md): read the shared strokes with `readStrokes` (entries that are not strokes are
 * skipped), edit them with `addStroke`, `eraseStrokes`, `clearBoard`; a `WhiteboardHistory` adds and erases as steps this browser can undo and redo.
 * Shared notes and whiteboard: `room.docs` (a `SharedDocs`) holds both Yjs documents (`notes`, `strokes`), sends
 * local edits (sealed while the meeting is encrypted) and syncs on joining; event `sync`, and `full` for a refused edit.
 */
export { Room } from './room.js';
export type { Actor, ConnectionState, EndReason, JoinMedia, Participant, RoomError, RoomErrorCode, RoomEvents, RoomOptions, TrackEvent } from './room.js';
export type { Targets } from './moderation.js';
export type { ChatEntry, E2eeState } from './e2ee/e2ee-session.js';
export type { E2eeStats } from './e2ee/frame-messages.js';
export { detectE2eeCapability, type E2eeCapability } from './e2ee/media-encryption.js';
export { isReaction } from './together.js';
export { ScreenShareError, type ScreenShareFailure } from './screen-share.js';
export type { NewPoll } from './polls.js';
export { currentPosition, type SharedVideo } from './shared-video.js';
export { addStroke, BOARD_HEIGHT, BOARD_WIDTH, clearBoard, eraseStrokes, MAX_STROKE_POINTS, MAX_STROKE_WIDTH, newStrokeId, readStrokes, STROKE_COLORS, STROKE_WIDTHS, toStroke, WHITEBOARD_ORIGIN, type Stroke, type StrokeColor } from './whiteboard.js';
export { HISTORY_DEPTH, WhiteboardHistory } from './whiteboard-history.js';
export { SharedDocs, type DocName, type DocSync, type SharedDocsEvents } from './shared-docs.js';
export { breakoutName, breakoutProblem, remainingMs, type BreakoutProblem, type Breakouts, type NewBreakouts } from './breakouts.js';
export { isHostRole, isModeratorRole } from './roles.js';
export { TERMINAL_JOIN_ERRORS } from './join-errors.js';
export { Emitter } from './events.js';
export type { EventMap, Listener } from './events.js';
export { describeMediaError, getLocalMedia, getTrack, listDevices, onDevicesChanged } from './devices.js';
export type { DeviceLists, LocalMedia, LocalMediaRequest } from './devices.js';
export type { BackoffOptions } from './backoff.js';
export type { SocketFactory, SocketHandle, SocketHandlers, Timers } from './signal-client.js';
export { LIMITS, REACTIONS } from '@treff/protocol';
export type { ChatMessage, E2eeIdentity, Reaction, EndedReason, ErrorCode, LobbyEntry, MediaKind, MediaSource, MediaState, Poll, ParticipantInfo, SharedVideoState, BreakoutState, ReportReason, Role, RoomInfo, RoomSettings, RoomSettingsUpdate, VideoSubscription } from '@treff/protocol';

/** The signaling URL on the same origin as `location` (ws: for http:, wss: for https:). */
export function signalingUrl(location: { protocol: string; host: string }, path = '/ws'): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${path}`;
}
