// Janus 1.1.2 (Debian's `janus`) as the benchmark's reference SFU: one process in a private network
// namespace, configured from a private temporary folder with only the VideoRoom plugin and the
// HTTP transport, no admin API, `event_loops = 2`, no STUN, ICE gathering on the namespace's
// address only, logging at warnings. Its plugin and transport folders hold symlinks to just the two
// libraries, so nothing else is loaded.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { NetNamespace } from './netns.js';

const LIBRARY_DIRS = ['/usr/lib/x86_64-linux-gnu/janus', '/usr/lib/aarch64-linux-gnu/janus', '/usr/lib/janus', '/opt/janus/lib/janus'];
const HTTP_PORT = 8088;

export interface JanusInstall {
  binary: string;
  plugin: string;
  transport: string;
}

/** Where Janus and the two libraries the benchmark needs are, or null when not installed. */
export function findJanus(): JanusInstall | null {
  const binary = (process.env['PATH'] ?? '/usr/bin').split(delimiter).map((d) => join(d, 'janus')).find((p) => existsSync(p));
  if (!binary) return null;
  for (const dir of LIBRARY_DIRS) {
    const plugin = join(dir, 'plugins', 'libjanus_videoroom.so');
    const transport = join(dir, 'transports', 'libjanus_http.so');
    if (existsSync(plugin) && existsSync(transport)) return { binary, plugin, transport };
  }
  return null;
}

export interface RunningJanus {
  /** API root, e.g. http://10.231.0.1:8088/janus */
  url: string;
  pid: number;
  stop(): Promise<void>;
  /** Synchronous kill, for exit handlers. */
  kill(): void;
}

function writeConfig(dir: string, install: JanusInstall, address: string): void {
  for (const sub of ['plugins', 'transports', 'events', 'loggers']) mkdirSync(join(dir, sub));
  symlinkSync(install.plugin, join(dir, 'plugins', 'libjanus_videoroom.so'));
  symlinkSync(install.transport, join(dir, 'transports', 'libjanus_http.so'));
  writeFileSync(
    join(dir, 'janus.jcfg'),
    `general: {
	configs_folder = "${dir}"
	plugins_folder = "${dir}/plugins"
	transports_folder = "${dir}/transports"
	events_folder = "${dir}/events"
	loggers_folder = "${dir}/loggers"
	log_to_stdout = false
	log_to_file = "${dir}/janus.log"
	debug_level = 3
	debug_colors = false
	session_timeout = 60
	event_loops = 2
}
certificates: {
}
media: {
	ipv6 = false
	rtp_port_range = "20000-40000"
}
nat: {
	nice_debug = false
	ignore_mdns = true
	ice_enforce_list = "${address}"
}
plugins: {
}
transports: {
}
loggers: {
}
events: {
	broadcast = false
}
`,
  );
  writeFileSync(
    join(dir, 'janus.transport.http.jcfg'),
    `general: {
	json = "compact"
	base_path = "/janus"
	http = true
	port = ${HTTP_PORT}
	ip = "${address}"
	https = false
}
admin: {
	admin_http = false
	admin_https = false
}
`,
  );
  // Rooms are created per load point through the API (janus-room.ts); none is pre-configured.
  writeFileSync(join(dir, 'janus.plugin.videoroom.jcfg'), 'general: {\n}\n');
}

async function waitForApi(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`janus exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/info`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`janus API did not answer within ${timeoutMs} ms`);
}

export async function startJanus(install: JanusInstall, ns: NetNamespace): Promise<RunningJanus> {
  const dir = mkdtempSync(join(tmpdir(), 'treff-janus-'));
  writeConfig(dir, install, ns.inside);
  const [cmd, ...prefix] = ns.exec;
  // -F: configuration folder; -C: this folder's janus.jcfg (not /etc/janus).
  const child = spawn(cmd!, [...prefix, install.binary, '-F', dir, '-C', join(dir, 'janus.jcfg'), '--disable-colors'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 8192) stderr += d.toString();
  });
  const url = `http://${ns.inside}:${HTTP_PORT}/janus`;
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForApi(url, child, 20_000);
  } catch (err) {
    let log = '';
    try {
      log = readFileSync(join(dir, 'janus.log'), 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      // no log yet
    }
    kill();
    throw new Error(`${(err as Error).message}\n${stderr}\n${log}`);
  }
  return {
    url,
    pid: child.pid!,
    kill,
    stop: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          kill();
          resolve();
        }, 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
