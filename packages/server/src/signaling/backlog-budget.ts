/**
 * What all clients together may leave unread on the server. Each connection is held to
 * MAX_SEND_BACKLOG_BYTES already (signaling-session.ts), but many joined clients that stop reading in rooms
 * where someone broadcasts large messages would still add up to gigabytes.
 */
export const TOTAL_SEND_BACKLOG_BYTES = 512 * 1024 * 1024;

/**
 * The connections to drop, largest backlog first, until what is left unread fits `budget`. Dropped like a
 * lost connection: a participant that starts reading again resumes within the grace period.
 */
export function overBudget<S extends { bufferedAmount: number }>(sockets: Iterable<S>, budget = TOTAL_SEND_BACKLOG_BYTES): S[] {
  let total = 0;
  const backlogged: S[] = [];
  for (const socket of sockets) {
    total += socket.bufferedAmount;
    if (socket.bufferedAmount > 0) backlogged.push(socket);
  }
  if (total <= budget) return [];
  backlogged.sort((a, b) => b.bufferedAmount - a.bufferedAmount);
  const drop: S[] = [];
  for (const socket of backlogged) {
    if (total <= budget) break;
    drop.push(socket);
    total -= socket.bufferedAmount;
  }
  return drop;
}
