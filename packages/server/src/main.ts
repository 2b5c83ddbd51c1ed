import { pino } from 'pino';
import { isPrimaryMessage } from './cluster/messages.js';
import { runPrimary, WORKER_INDEX_ENV, WORKER_RTC_PORT_ENV, WORKER_SOCKET_ENV } from './cluster/primary.js';
import { ConfigError, loadConfig, USAGE, type ServerConfig } from './config.js';
import { startServer } from './server.js';
import { SchemaTooNewError } from './storage/migrations.js';
import { RedisUnreachableError } from './storage/redis/redis-storage.js';

let config;
try {
  config = loadConfig(process.argv.slice(2), process.env);
} catch (err) {
  if (err instanceof ConfigError || (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`treff: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  throw err;
}
if (config === 'help') {
  console.log(USAGE);
  process.exit(0);
}

try {
  // By our own variable, not cluster.isWorker: a process manager's cluster mode would make every copy a "worker".
  if (process.env[WORKER_INDEX_ENV] !== undefined && process.send !== undefined) await runWorker(config);
  else if (config.workers > 1) await runCluster(config);
  else await runSingle(config);
} catch (err) {
  // A data file from a newer release must not be touched, and an unreachable Redis is a setting to fix: saying so beats a stack trace.
  if (err instanceof SchemaTooNewError || err instanceof RedisUnreachableError) {
    console.error(`treff: ${err.message}`);
    process.exit(1);
  }
  throw err;
}

async function runSingle(config: ServerConfig): Promise<void> {
  const server = await startServer(config);
  const node = config.nodeUrl === null ? '' : `\n  (a node of the cluster sharing Redis; the other nodes reach it at ${config.nodeUrl})`;
  console.log(`\n  Treff is running: open ${server.url}/ in your browser\n  (media on UDP port ${server.rtcPort})${node}\n`);
  stopOnSignal(() => server.close());
}

async function runCluster(config: ServerConfig): Promise<void> {
  const running = await runPrimary(config, pino({ level: config.logLevel }));
  console.log(`\n  Treff is running: open ${running.url}/ in your browser\n  (${config.workers} workers; media on UDP ports ${running.rtcPorts.join(', ')})\n`);
  stopOnSignal(() => running.close());
}

/** One of the primary's workers: a whole server on a Unix socket of its own, stopped by the primary. */
async function runWorker(config: ServerConfig): Promise<void> {
  const index = Number(process.env[WORKER_INDEX_ENV]);
  let stop = (): void => process.exit(0);
  // From the start: a worker whose front is gone (even while it starts) stops, and Ctrl+C in a terminal
  // reaches the whole process group, but the front decides and stops the workers in order.
  process.on('disconnect', () => stop());
  process.on('message', (message) => isPrimaryMessage(message) && message.type === 'treff:shutdown' && stop());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => undefined);
  const server = await startServer({
    ...config,
    rtcPort: Number(process.env[WORKER_RTC_PORT_ENV]),
    // The front process terminates TLS and passes the client's address, scheme and host as its only hop.
    tlsCertFile: null,
    tlsKeyFile: null,
    trustProxy: true,
    logger: pino({ level: config.logLevel }).child({ worker: index }),
    worker: {
      socketPath: process.env[WORKER_SOCKET_ENV] ?? '',
      send: (message) => process.send?.(message),
      on: (event, listener) => process.on(event, listener),
      off: (event, listener) => process.off(event, listener),
    },
  });
  stop = () => void server.close().then(() => process.exit(0));
}

function stopOnSignal(close: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      close().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error('treff: stopping failed:', err);
          process.exit(1);
        },
      );
    });
  }
}
