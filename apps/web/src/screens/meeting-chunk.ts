// The SDK's Room (end-to-end encryption, the shared documents' CRDT) and the meeting screens are one chunk,
// fetched while the pre-join screen shows: that screen paints without waiting for them.
export { Room } from '@treff/client';
export { InRoom } from './in-room.js';
