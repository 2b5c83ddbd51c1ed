import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface ServerConfig {
  /** HTTP/WebSocket listen address and port (0 = any free port). */
  host: string;
  port: number;
  /** The UDP port all media shares (ICE UDP mux); 0 = any free port. */
  rtcPort: number;
  /** Address the media socket binds to. */
  rtcBindAddress: string;
  /** Address put in ICE candidates (public IP behind NAT); null = as gathered. */
  announcedAddress: string | null;
  /** Origin used in links handed out (e.g. https://meet.example.org); null = taken from each request. */
  publicUrl: string | null;
  /** Behind one reverse proxy: take client address, scheme and host from the right-most X-Forwarded-* entry. */
  trustProxy: boolean;
  tlsCertFile: string | null;
  tlsKeyFile: string | null;
  /** Folder for the SQLite database; null = in memory (rooms vanish on restart). */
  dataDir: string | null;
  /** Built web app to serve. */
  webRoot: string;
  logLevel: LogLevel;
  /** How long a participant whose socket dropped keeps its place and media session. */
  reconnectGraceMs: number;
  /** How often sockets are pinged; one without a pong by the next ping is closed. */
  heartbeatMs: number;
  maxParticipantsPerRoom: number;
  /** Loudest speakers each participant hears at once (audio top-N). */
  audioTopN: number;
  /** Recent speakers whose video may use its highest simulcast layer (last-N). */
  lastN: number;
  /** Bearer secret of the operator API (`/api/admin/…`, the `admin` CLI); null: that API does not exist. */
  operatorSecret: string | null;
  /**
   * Processes that run meetings, best one per core: each has its own SFU (media port `rtcPort + i`) and
   * uses one core. 1 runs everything in this process; more put a front process before them (cluster/primary.ts).
   */
  workers: number;
  /**
   * Several servers (nodes), on one machine or many, sharing one Redis: it holds what SQLite holds for one,
   * and which node runs each meeting (cluster/node-link.ts). null: this server keeps everything itself.
   */
  redisUrl: string | null;
  /** How the other nodes reach this one's HTTP port, e.g. http://10.0.0.2:8080 (with redisUrl only). */
  nodeUrl: string | null;
}

const DEFAULT_WEB_ROOT = resolve(import.meta.dirname, '../../../apps/web/dist');

export const DEFAULT_CONFIG: ServerConfig = {
  host: '0.0.0.0',
  port: 8080,
  rtcPort: 40000,
  rtcBindAddress: '0.0.0.0',
  announcedAddress: null,
  publicUrl: null,
  trustProxy: false,
  tlsCertFile: null,
  tlsKeyFile: null,
  dataDir: 'data',
  webRoot: DEFAULT_WEB_ROOT,
  logLevel: 'info',
  reconnectGraceMs: 20_000,
  heartbeatMs: 15_000,
  maxParticipantsPerRoom: 100,
  audioTopN: 3,
  lastN: 5,
  operatorSecret: null,
  workers: 1,
  redisUrl: null,
  nodeUrl: null,
};

export const USAGE = `Usage: npm start -- [options]    (or: node --import tsx packages/server/src/main.ts [options])

Options (each also settable by the environment variable shown):
  --host <addr>            HTTP listen address                 TREFF_HOST         (default 0.0.0.0)
  --port <n>               HTTP/WebSocket port                 TREFF_PORT         (default 8080)
  --rtc-port <n>           the one UDP port for all media      TREFF_RTC_PORT     (default 40000)
  --rtc-bind <addr>        address the media socket binds to   TREFF_RTC_BIND     (default 0.0.0.0)
  --announced-ip <addr>    address put in ICE candidates, e.g. the public IP behind NAT
  (alias --public-ip)                                          TREFF_ANNOUNCED_IP (default: as gathered)
  --public-url <url>       origin used in room links           TREFF_PUBLIC_URL   (default: from the request)
  --trust-proxy            behind one reverse proxy: use X-Forwarded-For/-Proto (right-most entry)
                                                               TREFF_TRUST_PROXY=1
  --tls-cert <file>        PEM certificate; enables HTTPS/WSS  TREFF_TLS_CERT
  --tls-key <file>         PEM private key                     TREFF_TLS_KEY
  --data-dir <dir>         where the SQLite database lives     TREFF_DATA_DIR     (default ./data; ":memory:" for none)
  --web-root <dir>         built web app to serve              TREFF_WEB_ROOT     (default apps/web/dist)
  --log-level <level>      fatal|error|warn|info|debug|trace|silent  TREFF_LOG_LEVEL (default info)
  --max-participants <n>   per room                            TREFF_MAX_PARTICIPANTS (default 100)
  --audio-top-n <n>        loudest speakers each one hears     TREFF_AUDIO_TOP_N  (default 3)
  --last-n <n>             recent speakers in full quality     TREFF_LAST_N       (default 5)
  --operator-secret <s>    enables the operator API (reports, blocking rooms); at least 16 characters.
                           Prefer the variable: flags show up in the process list.
                                                               TREFF_OPERATOR_SECRET (default: off)
  --workers <n|auto>       processes running meetings, each with its own core and
                           media port (rtc-port, rtc-port+1, ...); auto: one per core.
                           Needs a data dir (they share its database).
                                                               TREFF_WORKERS      (default 1)
  --redis <url>            run as one node of several sharing this Redis (redis://host:6379):
                           rooms, groups and reports live there, and every node serves every
                           link. Replaces the data dir; one process per node (no --workers).
                                                               TREFF_REDIS_URL    (default: off)
  --node-url <url>         how the other nodes reach this one's HTTP port, e.g. http://10.0.0.2:8080
                           (default: from --host and --port, unless those listen on any address)
                                                               TREFF_NODE_URL
  -h, --help               show this help
`;

const LOG_LEVELS = new Set<string>(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Whoever holds it can read reports and block rooms; a short one could be guessed. */
const MIN_OPERATOR_SECRET = 16;

export class ConfigError extends Error {}

/** Reads flags, then environment variables, then defaults. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): ServerConfig | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'rtc-port': { type: 'string' },
      'rtc-bind': { type: 'string' },
      'announced-ip': { type: 'string' },
      'public-ip': { type: 'string' },
      'public-url': { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'data-dir': { type: 'string' },
      'web-root': { type: 'string' },
      'log-level': { type: 'string' },
      'max-participants': { type: 'string' },
      'audio-top-n': { type: 'string' },
      'last-n': { type: 'string' },
      'operator-secret': { type: 'string' },
      workers: { type: 'string' },
      redis: { type: 'string' },
      'node-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const pick = (flag: string | undefined, name: string): string | undefined => flag ?? (env[name] === '' ? undefined : env[name]);
  const int = (raw: string | undefined, name: string, fallback: number, min: number, max: number): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    return n;
  };
  const logLevel = pick(values['log-level'], 'TREFF_LOG_LEVEL') ?? DEFAULT_CONFIG.logLevel;
  if (!LOG_LEVELS.has(logLevel)) throw new ConfigError(`--log-level must be one of ${[...LOG_LEVELS].join(', ')}`);
  const publicUrl = pick(values['public-url'], 'TREFF_PUBLIC_URL') ?? null;
  if (publicUrl !== null && !/^https?:\/\/[^/]+$/.test(publicUrl.replace(/\/$/, ''))) throw new ConfigError('--public-url must be an origin like https://meet.example.org');
  const tlsCertFile = pick(values['tls-cert'], 'TREFF_TLS_CERT') ?? null;
  const tlsKeyFile = pick(values['tls-key'], 'TREFF_TLS_KEY') ?? null;
  if ((tlsCertFile === null) !== (tlsKeyFile === null)) throw new ConfigError('--tls-cert and --tls-key go together');
  const operatorSecret = pick(values['operator-secret'], 'TREFF_OPERATOR_SECRET') ?? null;
  if (operatorSecret !== null && operatorSecret.length < MIN_OPERATOR_SECRET) throw new ConfigError(`the operator secret must be at least ${MIN_OPERATOR_SECRET} characters`);
  const dataDir = pick(values['data-dir'], 'TREFF_DATA_DIR') ?? DEFAULT_CONFIG.dataDir;
  const workersRaw = pick(values.workers, 'TREFF_WORKERS');
  const workers = workersRaw === 'auto' ? availableParallelism() : int(workersRaw, '--workers', DEFAULT_CONFIG.workers, 1, 256);
  if (workers > 1 && dataDir === ':memory:') throw new ConfigError('--workers above 1 needs a data dir: the workers share its database');
  const rtcPort = int(pick(values['rtc-port'], 'TREFF_RTC_PORT'), '--rtc-port', DEFAULT_CONFIG.rtcPort, 0, 65535);
  if (rtcPort !== 0 && rtcPort + workers - 1 > 65535) throw new ConfigError(`${workers} workers need UDP ports ${rtcPort} to ${rtcPort + workers - 1}, past 65535`);
  const host = pick(values.host, 'TREFF_HOST') ?? DEFAULT_CONFIG.host;
  const port = int(pick(values.port, 'TREFF_PORT'), '--port', DEFAULT_CONFIG.port, 0, 65535);
  const redisUrl = pick(values.redis, 'TREFF_REDIS_URL') ?? null;
  let nodeUrl = pick(values['node-url'], 'TREFF_NODE_URL')?.replace(/\/$/, '') ?? null;
  if (redisUrl !== null) {
    if (!/^rediss?:\/\/./.test(redisUrl)) throw new ConfigError('--redis must be a URL like redis://10.0.0.5:6379');
    if (workers > 1) throw new ConfigError('--redis runs one process per node: start one node per core instead of --workers');
    if (nodeUrl === null) {
      if (host === '0.0.0.0' || host === '::' || port === 0) throw new ConfigError('--redis needs --node-url when the server listens on any address or port: the other nodes must know where to reach it');
      nodeUrl = `${tlsCertFile ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    }
    if (!/^https?:\/\/[^/]+$/.test(nodeUrl)) throw new ConfigError('--node-url must be an origin like http://10.0.0.2:8080');
  } else if (nodeUrl !== null) {
    throw new ConfigError('--node-url goes with --redis');
  }
  return {
    host,
    port,
    rtcPort,
    rtcBindAddress: pick(values['rtc-bind'], 'TREFF_RTC_BIND') ?? DEFAULT_CONFIG.rtcBindAddress,
    announcedAddress: pick(values['announced-ip'] ?? values['public-ip'], 'TREFF_ANNOUNCED_IP') ?? null,
    publicUrl: publicUrl?.replace(/\/$/, '') ?? null,
    trustProxy: values['trust-proxy'] ?? (env.TREFF_TRUST_PROXY === '1' || env.TREFF_TRUST_PROXY === 'true'),
    tlsCertFile,
    tlsKeyFile,
    dataDir: dataDir === ':memory:' ? null : dataDir,
    webRoot: resolve(pick(values['web-root'], 'TREFF_WEB_ROOT') ?? DEFAULT_CONFIG.webRoot),
    logLevel: logLevel as LogLevel,
    reconnectGraceMs: DEFAULT_CONFIG.reconnectGraceMs,
    heartbeatMs: DEFAULT_CONFIG.heartbeatMs,
    maxParticipantsPerRoom: int(pick(values['max-participants'], 'TREFF_MAX_PARTICIPANTS'), '--max-participants', DEFAULT_CONFIG.maxParticipantsPerRoom, 2, 1000),
    audioTopN: int(pick(values['audio-top-n'], 'TREFF_AUDIO_TOP_N'), '--audio-top-n', DEFAULT_CONFIG.audioTopN, 1, 16),
    lastN: int(pick(values['last-n'], 'TREFF_LAST_N'), '--last-n', DEFAULT_CONFIG.lastN, 1, 100),
    operatorSecret,
    workers,
    redisUrl,
    nodeUrl,
  };
}
