import type { ConnectionState } from '@treff/client';
import { connectionLabels as LABELS } from '../strings.js';

export function ConnectionStatus({ state }: { state: ConnectionState }) {
  return (
    <div role="status" class={`connection ${state}`} data-state={state}>
      <span class="dot" aria-hidden="true" />
      <span>{LABELS[state]}</span>
    </div>
  );
}
