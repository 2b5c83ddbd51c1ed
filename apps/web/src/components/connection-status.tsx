import type { ConnectionState } from '@treff/client';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  disconnected: 'Disconnected',
  failed: 'Connection failed',
};

export function ConnectionStatus({ state }: { state: ConnectionState }) {
  return (
    <div role="status" class={`connection ${state}`} data-state={state}>
      <span class="dot" aria-hidden="true" />
      <span>{LABELS[state]}</span>
    </div>
  );
}
