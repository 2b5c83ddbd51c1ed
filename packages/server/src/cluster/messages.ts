import type { MeetingReport } from './placement.js';

/** Worker → primary, over the cluster IPC channel. */
export type WorkerMessage =
  | { type: 'treff:ready'; port: number }
  /** The worker's whole list of live meetings: sent when one starts or ends, and every second for sizes. */
  | { type: 'treff:meetings'; meetings: MeetingReport[] };

/** Primary → worker. */
export type PrimaryMessage =
  /** Sizes of every live meeting in the cluster, for the room, group and directory counts. */
  | { type: 'treff:sizes'; sizes: [key: number, size: number][] }
  | { type: 'treff:shutdown' };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return typeof value === 'object' && value !== null && 'type' in value && (value.type === 'treff:ready' || value.type === 'treff:meetings');
}

export function isPrimaryMessage(value: unknown): value is PrimaryMessage {
  return typeof value === 'object' && value !== null && 'type' in value && (value.type === 'treff:sizes' || value.type === 'treff:shutdown');
}
