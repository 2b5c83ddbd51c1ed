// A private network namespace joined to the root namespace by a veth pair, for servers whose ICE
// ignores loopback (Janus: libnice never gathers 127.0.0.1). The server runs inside on
// <prefix>.1, the bots stay outside and bind <prefix>.2; the addresses never leave the machine.
//
// Removal is synchronous so that it can run from an 'exit' handler: the benchmark removes the
// namespace on normal exit, on errors and on SIGINT/SIGTERM.

import { execFileSync } from 'node:child_process';

export interface NetNamespace {
  name: string;
  /** Address inside the namespace (the server's). */
  inside: string;
  /** Address of the root namespace's end (the bots'). */
  outside: string;
  /** argv prefix that runs a command inside the namespace (`ip netns exec` execs it: same pid). */
  exec: string[];
  remove(): void;
}

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Why a namespace cannot be made here, or null when it can. */
export function netnsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'creating a network namespace needs root';
  try {
    ip('netns', 'list');
  } catch {
    return "the 'ip' command (iproute2) is missing";
  }
  return null;
}

/** A /24 in 10.231.0.0/16 that no interface of the root namespace uses yet. */
function freePrefix(): string {
  const used = ip('-o', '-4', 'addr', 'show');
  for (let i = 0; i < 256; i++) {
    const third = (process.pid + i) % 256;
    const prefix = `10.231.${third}`;
    if (!used.includes(` ${prefix}.`)) return prefix;
  }
  throw new Error('no free 10.231.x.0/24 for the benchmark namespace');
}

export function createNetNamespace(): NetNamespace {
  const id = process.pid.toString(36);
  const name = `treff-bench-${id}`;
  // Interface names are at most 15 characters.
  const outsideIf = `tb${id}o`;
  const insideIf = `tb${id}i`;
  const prefix = freePrefix();
  const inside = `${prefix}.1`;
  const outside = `${prefix}.2`;
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    // Deleting the namespace destroys its end of the pair, and with it the outer end.
    for (const args of [['netns', 'del', name], ['link', 'del', outsideIf]]) {
      try {
        ip(...args);
      } catch {
        // not created, or already gone with the namespace
      }
    }
  };
  try {
    ip('netns', 'add', name);
    ip('link', 'add', outsideIf, 'type', 'veth', 'peer', 'name', insideIf);
    ip('link', 'set', insideIf, 'netns', name);
    ip('addr', 'add', `${outside}/24`, 'dev', outsideIf);
    ip('link', 'set', outsideIf, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${inside}/24`, 'dev', insideIf);
    ip('netns', 'exec', name, 'ip', 'link', 'set', insideIf, 'up');
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  } catch (err) {
    remove();
    throw err;
  }
  return { name, inside, outside, exec: ['ip', 'netns', 'exec', name], remove };
}
