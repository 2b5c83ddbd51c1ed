import type { MeetingReport } from './placement.js';

/** Worker → primary, over the cluster IPC channel. */
export type WorkerMessage =
  | { type: 'treff:ready' }
  /** The worker's whole list of meetings (live, or claimed and about to start): when one starts or ends, and every second for sizes. */
  | { type: 'treff:meetings'; meetings: MeetingReport[] }
  /** May this worker start the meeting of `meeting.key`? Answered by `treff:claimed`. */
  | { type: 'treff:claim'; requestId: number; meeting: MeetingReport }
  /** The operator closed a room whose meeting this worker does not run: the worker that does ends it. */
  | { type: 'treff:close-meeting'; key: number };

/** Primary → worker. */
export type PrimaryMessage =
  /** Sizes of every live meeting in the cluster, for the room, group and directory counts. */
  | { type: 'treff:sizes'; sizes: [key: number, size: number][] }
  | { type: 'treff:claimed'; requestId: number; granted: boolean }
  | { type: 'treff:close-meeting'; key: number }
  | { type: 'treff:shutdown' };

const WORKER_TYPES = new Set(['treff:ready', 'treff:meetings', 'treff:claim', 'treff:close-meeting']);
const PRIMARY_TYPES = new Set(['treff:sizes', 'treff:claimed', 'treff:close-meeting', 'treff:shutdown']);

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return typeof value === 'object' && value !== null && 'type' in value && WORKER_TYPES.has(String(value.type));
}

export function isPrimaryMessage(value: unknown): value is PrimaryMessage {
  return typeof value === 'object' && value !== null && 'type' in value && PRIMARY_TYPES.has(String(value.type));
}
