import type { Participant, Room } from '@treff/client';
import { useEffect, useState } from 'preact/hooks';

/** A participant's code; `undefined` while it is being worked out, null when either side has no identity. */
export type SafetyCodes = ReadonlyMap<string, string | null>;

/**
 * The security codes with these participants, recomputed when anyone's identity key changes (someone
 * reloading gets a new one, so their code with us changes too).
 */
export function useSafetyCodes(room: Room, people: readonly Pick<Participant, 'id' | 'e2ee'>[]): SafetyCodes {
  const [codes, setCodes] = useState<SafetyCodes>(new Map());
  const keys = people.map((p) => `${p.id}:${p.e2ee?.publicKey ?? ''}`).join(',');
  useEffect(() => {
    let current = true;
    void Promise.all(people.map(async (p) => [p.id, await room.safetyCode(p.id).catch(() => null)] as const)).then((entries) => {
      if (current) setCodes(new Map(entries));
    });
    return () => {
      current = false;
    };
  }, [room, keys]);
  return codes;
}
